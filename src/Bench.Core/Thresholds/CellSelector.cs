using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Bench.Core.Metrics;
using Bench.Core.Planning;
using Bench.Core.Records;

namespace Bench.Core.Thresholds;

/// <summary>
/// Names cells of a plan: <c>MODEL[:MODE[:POLICY]]</c>, parsed as <c>--mix</c> reads a share (a model id may itself
/// contain <c>:</c> or <c>/</c>, as <c>llama3:8b</c> or <c>openai/gpt-4.1</c>): the first segment after the first
/// that is a mode name — <c>streaming</c>, <c>non-streaming</c>, <c>batch-api</c> — or <c>*</c> splits the model
/// (before it) from the policy (after it). <c>*</c> is a glob in any part (<c>gpt-*</c>, <c>*:streaming</c>,
/// <c>*:*:retries-*</c>). A part left out matches anything: <c>gpt-4.1</c> names every mode and policy of that model;
/// <c>gpt-4.1:streaming</c> every policy of it streaming (the cell without a policy included). A suffix
/// <c>@TARGET</c> (after the last <c>@</c>; globs allowed) names the target: <c>gpt-4.1:streaming@relay</c>,
/// <c>*@direct-*</c>; without it the selector names the cells of every target. A model id that itself contains
/// <c>@</c> (<c>claude-3-5-sonnet@20240620</c> on Vertex AI) is written with a target, <c>@*</c> for any.
/// </summary>
/// <param name="Text">The selector as written.</param>
/// <param name="Model">The model pattern (globs allowed).</param>
/// <param name="Mode">The mode name, or <see langword="null"/> for any mode (<c>*</c> or left out).</param>
/// <param name="Policy">The policy pattern, or <see langword="null"/> for any policy (left out).</param>
public sealed record CellSelector(string Text, string Model, string? Mode, string? Policy)
{
    /// <summary>The target pattern (globs allowed), or <see langword="null"/> for every target (no <c>@TARGET</c>, or
    /// <c>@*</c>).</summary>
    public string? Target { get; init; }

    /// <summary>The mode names a selector may carry (ARCHITECTURE.md, "Modes"), as <c>--mix</c> takes them.</summary>
    public static IReadOnlyList<string> ModeNames { get; } = ["streaming", "non-streaming", "batch-api"];

    /// <summary>Every cell.</summary>
    public static CellSelector All { get; } = new("*", "*", null, null);

    /// <summary>Parses <c>MODEL[:MODE[:POLICY]][@TARGET]</c> (see the type's remarks).</summary>
    /// <param name="text">The selector.</param>
    /// <param name="selector">The selector, when valid.</param>
    /// <param name="error">Why it is not one (a reason the caller turns into a <c>ConfigError</c>).</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CellSelector? selector, [NotNullWhen(false)] out string? error)
    {
        selector = null;
        var source = text?.Trim() ?? "";
        if (source.Length == 0)
        {
            error = "a cell selector is empty: expected MODEL[:MODE[:POLICY]][@TARGET], e.g. gpt-4.1:streaming or *:non-streaming";
            return false;
        }

        if (source.IndexOfAny([',', '{', '}']) is var bad and >= 0)
        {
            error = $"'{source}' is not a cell selector: '{source[bad]}' is not allowed (expected MODEL[:MODE[:POLICY]][@TARGET]; separate several with commas)";
            return false;
        }

        string? target = null;
        var whole = source;
        if (source.LastIndexOf('@') is var at and >= 0)
        {
            target = source[(at + 1)..].Trim();
            source = source[..at].Trim();
            if (target.Length == 0)
            {
                error = $"'{whole}': the target after '@' is empty (leave out the '@' for every target, or write @* )";
                return false;
            }

            if (source.Length == 0)
            {
                error = $"'{whole}': the model is missing before '@' (use *@{target} for every model of the target)";
                return false;
            }
        }

        var segments = source.Split(':');
        var modeAt = -1;
        for (var i = 1; i < segments.Length; i++)
        {
            var candidate = segments[i].Trim();
            if (candidate == "*" || ModeNames.Contains(candidate.ToLowerInvariant(), StringComparer.Ordinal))
            {
                modeAt = i;
                break;
            }
        }

        var model = (modeAt < 0 ? source : string.Join(':', segments[..modeAt])).Trim();
        string? mode = null;
        string? policy = null;
        if (modeAt >= 0)
        {
            var named = segments[modeAt].Trim().ToLowerInvariant();
            mode = named == "*" ? null : named;
            if (modeAt < segments.Length - 1)
            {
                policy = string.Join(':', segments[(modeAt + 1)..]).Trim();
                if (policy.Length == 0)
                {
                    error = $"'{source}': the policy after the mode is empty (leave out the last ':' for any policy)";
                    return false;
                }
            }
        }

        if (model.Length == 0)
        {
            error = $"'{source}': the model is missing (use * for any model)";
            return false;
        }

        selector = new CellSelector(whole, model, mode, policy == "*" ? null : policy) { Target = target == "*" ? null : target };
        error = null;
        return true;
    }

    /// <summary>Whether the plan's <paramref name="cell"/> is one this selector names (<see cref="Matches(CellKey)"/> on
    /// its target, model, mode and policy).</summary>
    public bool Matches(PlanCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return Matches(new CellKey(cell.Target, cell.Model, cell.Mode, cell.Policy));
    }

    /// <summary>Whether <paramref name="cell"/> is one this selector names: its model matches the model pattern, its
    /// mode the mode (when given), its policy the policy pattern (when given; a cell without a policy matches only
    /// <c>*</c> or a left-out policy) and its target the target pattern (when given; a cell without a target — results
    /// from before targets — matches only a left-out target or <c>@*</c>).</summary>
    public bool Matches(CellKey cell) =>
        Glob(Model, cell.Model)
        && (Mode is null || string.Equals(Mode, Names.Of(cell.Mode), StringComparison.Ordinal))
        && (Policy is null || cell.Policy is { } policy && Glob(Policy, policy))
        && (Target is null || cell.Target is { } target && Glob(Target, target));

    /// <summary>Why this selector matches none of <paramref name="cells"/>, for the "matches no cell" error: the
    /// cells in text (<c>target · model · mode</c>), and, when the selector names a target none of them has, the
    /// targets there are.</summary>
    public string NoMatch(IEnumerable<CellKey> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var list = cells.ToList();
        var text = $"the cell selector '{Text}' matches no cell of the plan ({string.Join(", ", list.Select(c => c.ToString()))})";
        var targets = list.Select(c => c.Target).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return Target is { } target && !targets.Any(t => Glob(target, t))
            ? $"{text}: no target is named '{target}' (targets: {(targets.Count == 0 ? "none named" : string.Join(", ", targets))})"
            : text;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/>, where <c>*</c> is any run of
    /// characters (ordinal, whole value).</summary>
    private static bool Glob(string pattern, string value) => !pattern.Contains('*', StringComparison.Ordinal)
        ? string.Equals(pattern, value, StringComparison.Ordinal)
        : Regex.IsMatch(value, "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
}
