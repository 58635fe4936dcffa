using System.ComponentModel.DataAnnotations;
using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Thresholds;

/// <summary>
/// One entry of a scenario's <c>thresholds</c> (k6's thresholds over Bench's catalogue): an expression, the cells it
/// judges and whether a failure stops the run. Added to by <c>bench run --threshold EXPR</c> (and judged again by
/// <c>bench report DIR --threshold EXPR</c>). Any failing threshold makes <c>bench run</c>/<c>bench report</c> exit
/// 99.
/// </summary>
public sealed record ThresholdSpec : IConfigValidatable
{
    /// <summary><c>METRIC[{CELL,…}] OP NUMBER</c> (<see cref="ThresholdExpression"/>), e.g. <c>ttft_ms_p95&lt;500</c>.</summary>
    [Required(ErrorMessage = "is required")]
    public string Expression { get; init; } = "";

    /// <summary>Cell selectors <c>MODEL[:MODE[:POLICY]]</c> (<see cref="CellSelector"/>), added to the expression's own
    /// braces; every cell when neither gives any.</summary>
    public IReadOnlyList<string> Cells { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>Judge the threshold as each cell finishes and, when it fails, stop the run after that cell (k6's
    /// <c>abortOnFail</c>): no later cell starts, run.json says <c>interrupted: "threshold_abort"</c>, every report file is
    /// written and the exit code is 99. Default false: judged once, at the end.</summary>
    public bool AbortOnFail { get; init; }

    /// <summary>The expression parses and every selector is one.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (Expression.Length > 0 && !ThresholdExpression.TryParse(Expression, out _, out var error))
        {
            validation.Error(nameof(Expression), error);
        }

        for (var i = 0; i < Cells.Count; i++)
        {
            if (!CellSelector.TryParse(Cells[i], out _, out var selectorError))
            {
                validation.Error($"{validation.NameOf(nameof(Cells))}[{i}]", selectorError);
            }
        }
    }

    /// <summary>The threshold ready to judge: the expression parsed, its braces' selectors and <see cref="Cells"/>
    /// together.</summary>
    /// <exception cref="FormatException">The expression or a selector is invalid (<see cref="Validate"/> reports it
    /// first when the spec was read from a file).</exception>
    public Threshold ToThreshold()
    {
        var expression = ThresholdExpression.Parse(Expression);
        var cells = Cells.Select(c => CellSelector.TryParse(c, out var selector, out var error) ? selector : throw new FormatException(error));
        return new Threshold(expression, [.. expression.Cells, .. cells], AbortOnFail);
    }
}

/// <summary>A threshold ready to judge.</summary>
/// <param name="Expression">What is compared.</param>
/// <param name="Cells">The cells judged: those any selector names; every cell when empty.</param>
/// <param name="AbortOnFail">Whether a failure stops the run after the cell (see <see cref="ThresholdSpec.AbortOnFail"/>).</param>
public sealed record Threshold(ThresholdExpression Expression, IReadOnlyList<CellSelector> Cells, bool AbortOnFail = false)
{
    /// <summary>Whether the threshold judges <paramref name="cell"/>.</summary>
    public bool Selects(Planning.PlanCell cell) => Cells.Count == 0 || Cells.Any(s => s.Matches(cell));

    /// <summary>Whether the threshold selects <paramref name="cell"/> (target × model × mode × policy): every cell
    /// without selectors, else the cells some selector matches.</summary>
    public bool Selects(Metrics.CellKey cell) => Cells.Count == 0 || Cells.Any(s => s.Matches(cell));

    /// <summary>How it is shown: the expression, with the <c>cells</c> field's selectors when they add to it.</summary>
    public override string ToString() => Cells.Count == Expression.Cells.Count
        ? Expression.Text
        : $"{Expression.Text} [cells: {string.Join(", ", Cells.Skip(Expression.Cells.Count))}]";
}
