using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Text;

namespace Bench.Core.Thresholds;

/// <summary>
/// A threshold's expression, after k6's thresholds (<c>http_req_duration: ['p(95)&lt;500']</c>; see
/// https://grafana.com/docs/k6/latest/using-k6/thresholds/) over Bench's metric catalogue:
/// <c>METRIC[{CELL,CELL…}] OP NUMBER</c>, e.g. <c>ttft_ms_p95&lt;500</c>, <c>success_rate&gt;=0.99</c>,
/// <c>cost_usd_per_1k_requests &lt; 2</c>, <c>e2e_ms_p99{gpt-4.1:streaming,*:non-streaming}&lt;3000</c>.
/// </summary>
/// <remarks>
/// <para>METRIC is a <see cref="MetricCatalog"/> id that is <see cref="MetricDefinition.ThresholdEligible"/> (a cell
/// figure with a better direction), SLO-set figures included (<c>goodput_rps_interactive</c>,
/// <c>slo_interactive_good_fraction</c>); the cells in braces are <see cref="CellSelector"/>s (every cell when left
/// out); OP is one of <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>==</c>, <c>!=</c>; NUMBER is read in the
/// invariant culture (<c>0.5</c>, <c>1e3</c>, <c>-2</c>) in the metric's unit (ms, ratio 0..1, USD, req/s). Whitespace
/// is allowed between the parts.</para>
/// </remarks>
/// <param name="Text">The expression as written (trimmed).</param>
/// <param name="Metric">The catalogue figure it judges.</param>
/// <param name="Cells">The selectors in braces, in order; empty when none were given.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Limit">The number compared with, in the metric's unit.</param>
public sealed record ThresholdExpression(string Text, MetricDefinition Metric, IReadOnlyList<CellSelector> Cells, ThresholdOperator Operator, double Limit)
{
    private const string Grammar = "expected METRIC[{CELL,...}] OP NUMBER, e.g. ttft_ms_p95<500 or e2e_ms_p99{gpt-4.1:streaming}<3000 (OP: <, <=, >, >=, ==, !=)";

    /// <summary>Parses an expression (see the type's remarks).</summary>
    /// <exception cref="FormatException">It is not one; the message is the reason <see cref="TryParse"/> gives.</exception>
    public static ThresholdExpression Parse(string text) =>
        TryParse(text, out var expression, out var error) ? expression : throw new FormatException(error);

    /// <summary>Parses an expression (see the type's remarks).</summary>
    /// <param name="text">The expression.</param>
    /// <param name="expression">The expression, when valid.</param>
    /// <param name="error">Why it is not one: what was found, and for an unknown or ineligible metric the nearest
    /// eligible ids (a reason the caller turns into a <c>ConfigError</c>).</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ThresholdExpression? expression, [NotNullWhen(false)] out string? error)
    {
        expression = null;
        var source = text?.Trim() ?? "";
        if (source.Length == 0)
        {
            error = $"the expression is empty: {Grammar}";
            return false;
        }

        var at = 0;
        while (at < source.Length && (char.IsAsciiLetterOrDigit(source[at]) || source[at] == '_'))
        {
            at++;
        }

        var id = source[..at];
        if (id.Length == 0)
        {
            error = $"'{source}' does not start with a metric id: {Grammar}";
            return false;
        }

        at = SkipSpaces(source, at);
        var cells = new List<CellSelector>();
        if (at < source.Length && source[at] == '{')
        {
            var close = source.IndexOf('}', at);
            if (close < 0)
            {
                error = $"'{source}': the cell list opened with '{{' is not closed with '}}'";
                return false;
            }

            foreach (var part in source[(at + 1)..close].Split(','))
            {
                if (!CellSelector.TryParse(part, out var selector, out var selectorError))
                {
                    error = $"'{source}': {selectorError}";
                    return false;
                }

                cells.Add(selector);
            }

            at = SkipSpaces(source, close + 1);
        }

        var found = ThresholdOperators.Symbols.FirstOrDefault(s => string.CompareOrdinal(source, at, s.Symbol, 0, s.Symbol.Length) == 0);
        if (found.Symbol is null)
        {
            var seen = at < source.Length ? $"'{source[at..]}'" : "the end";
            error = at < source.Length && source[at] == '='
                ? $"'{source}': '=' is not an operator; use == (OP: <, <=, >, >=, ==, !=)"
                : $"'{source}': expected an operator after {id} but found {seen}: {Grammar}";
            return false;
        }

        var number = source[(at + found.Symbol.Length)..].Trim();
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var limit) || !double.IsFinite(limit))
        {
            error = number.Length == 0
                ? $"'{source}': the number after {found.Symbol} is missing"
                : $"'{source}': '{number}' is not a number (invariant culture: 500, 0.99, 1e3; in the metric's unit, without a unit or %)";
            return false;
        }

        if (CheckMetric(id) is { } metricError)
        {
            error = $"'{source}': {metricError}";
            return false;
        }

        expression = new ThresholdExpression(source, MetricCatalog.Find(id), cells, found.Operator, limit);
        error = null;
        return true;
    }

    /// <summary>Why <paramref name="id"/> cannot be a threshold's metric, or <see langword="null"/> when it can.</summary>
    public static string? CheckMetric(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!MetricCatalog.TryFind(id, out var metric))
        {
            return $"unknown metric '{id}'{Nearest(id)}";
        }

        if (!metric.ThresholdEligible)
        {
            var why = metric.Level == MetricLevel.Request
                ? "a per-request value (thresholds judge a cell's statistic, such as its p95)"
                : "a count or label with no better direction";
            return $"'{id}' cannot be a threshold: it is {why}{Nearest(id)}";
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static int SkipSpaces(string text, int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        return at;
    }

    /// <summary>"; nearest: a, b, c" over the threshold-eligible fixed ids and the SLO templates' patterns.</summary>
    private static string Nearest(string id)
    {
        if (id.Length > 64)
        {
            return ""; // no catalogue id is this long; spare the edit distances over a pasted blob
        }

        var candidates = MetricCatalog.All.Where(m => m.ThresholdEligible).Select(m => m.Id)
            .Concat(MetricCatalog.Templates.Where(t => t.For("x").ThresholdEligible).Select(t => t.Pattern));
        var nearest = candidates
            .Select(c => (Id: c, Distance: EditDistance.Levenshtein(id, c)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Id);
        return $"; nearest known: {string.Join(", ", nearest)}";
    }
}
