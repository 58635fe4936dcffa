using System.Globalization;
using Bench.Core.Records;
using Bench.Report.Model;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Cost against monthly volume (issue 18, the money charts): x = requests per month on a log axis from the plan's
/// volume ÷ 100 to × 100, y = monthly cost in the reader's currency (log when the lines span more than 10×). Lines: the
/// chosen plan (<see cref="BudgetPlan.TotalUsd"/> × V ÷ <see cref="BudgetPlan.MonthlyRequests"/>, the classes keeping
/// their shares), the current setup (a cell: in proportion to V likewise; a flat spend: level), and, dashed, each
/// class's choice when there are several classes. The stated volume is a vertical line; <see cref="BudgetPlan.BreakEven"/>,
/// when set, a ringed point with its volume and cost. Without a plan total each class's choice is drawn alone, priced
/// as if it carried the volume on the x axis, and the caption says why.
/// </summary>
internal sealed class CostVolumeChart : IChart
{
    /// <summary>The chart's id (file name without extension).</summary>
    public const string ChartId = "cost-volume";

    /// <summary>How far either side of the stated volume the x axis reaches (a factor).</summary>
    public const double Reach = 100;

    /// <summary>Points per drawn line (smooth on a linear cost axis too).</summary>
    private const int Points = 65;

    private static readonly Color Ink = MonthlyCostChart.Ink;
    private static readonly Color Guide = Color.FromHex("#777777");

    /// <inheritdoc />
    public string Id => ChartId;

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context) =>
        context.Report.Plan is { } plan ? Draw(plan, context.Palette, context.Directory) : null;

    /// <summary>One line: cost = <see cref="PerRequestUsd"/> × V + <see cref="FlatUsd"/>.</summary>
    internal sealed record Line(string Label, decimal PerRequestUsd, decimal FlatUsd, Color Color, LinePattern Pattern, float Width, bool Labelled)
    {
        /// <summary>The traffic class of a class's line (named at its right end), or null.</summary>
        public string? Class { get; init; }

        /// <summary>USD per month at <paramref name="requests"/> per month.</summary>
        public decimal UsdAt(decimal requests) => (PerRequestUsd * requests) + FlatUsd;
    }

    /// <summary>The lines of <paramref name="plan"/>, the plan's first (empty when there is nothing to draw), and why the
    /// plan has no total line when it has none.</summary>
    internal static (IReadOnlyList<Line> Lines, string? NoTotal) Lines(BudgetPlan plan, ModelPalette palette)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var lines = new List<Line>();
        var volume = plan.MonthlyRequests;
        string? noTotal = null;
        if (volume <= 0)
        {
            // No volume, no axis: nothing to scale.
            return ([], "the plan has no monthly volume");
        }

        if (plan.TotalUsd is { } total)
        {
            lines.Add(new Line("chosen plan", total / volume, 0, Ink, LinePattern.Solid, 3, Labelled: true));
        }
        else
        {
            var withoutChoice = plan.Classes.Where(c => c.Choice is null).Select(c => c.Class.Name).ToList();
            noTotal = plan.Classes.Count == 0 ? "the run has no traffic classes"
                : plan.Classes.Any(c => c.Class.SharePercent is null) ? "the scenario gives the traffic classes no shares or monthly volumes, so each class's choice is drawn alone, as if it carried the whole volume"
                : $"no priced option is shown to meet {string.Join(", ", withoutChoice)}, so the other classes' choices are drawn alone, each at its share of the volume";
        }

        if (plan.Current is { } current)
        {
            if (current.MonthlySpendUsd is { } spend)
            {
                var amount = current.MonthlySpend is { } given && current.SpendCurrency is { } code
                    ? string.Create(CultureInfo.InvariantCulture, $"{given:#,0.##} {code}")
                    : string.Create(CultureInfo.InvariantCulture, $"{spend:#,0.##} USD");
                lines.Add(new Line($"current: {amount} a month, flat", 0, spend, MonthlyCostChart.CurrentColor, LinePattern.Dashed, 2.5f, Labelled: true));
            }
            else if (plan.CurrentUsd is { } currentUsd)
            {
                lines.Add(new Line($"current: {current.Text}", currentUsd / volume, 0, MonthlyCostChart.CurrentColor, LinePattern.Dashed, 2.5f, Labelled: true));
            }
        }

        // Each class's choice: in its mode's line beside a plan line, thick and alone without one. Every line is read
        // against the plan's volume: a class with a share keeps it (its cost at V is its share of V), and a class
        // without one was priced at the whole volume, which is the plan's.
        var classes = plan.Classes.Where(c => c.Choice is not null && c.Class.MonthlyRequests > 0).ToList();
        if (noTotal is not null || classes.Count > 1)
        {
            foreach (var choice in classes)
            {
                var cell = choice.Choice!.Cell.Summary;
                lines.Add(new Line($"{choice.Class.Name}: {MonthlyCostChart.Name(palette, choice.Choice.Cell)}", choice.Choice.MonthlyUsd / volume, 0,
                    palette.Of(cell.Target, cell.Model), ModeStyle.Of(cell.Mode).Line, noTotal is null ? 1.5f : 2.5f, Labelled: noTotal is not null) { Class = choice.Class.Name });
            }
        }

        return (lines, noTotal);
    }

    /// <summary>Draws the chart of <paramref name="plan"/>, or returns null when it has no line to draw.</summary>
    internal static ChartFile? Draw(BudgetPlan plan, ModelPalette palette, string directory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var volume = plan.MonthlyRequests;
        var (lines, noTotal) = Lines(plan, palette);
        if (lines.Count == 0 || volume <= 0)
        {
            return null;
        }

        var currency = ReaderCurrency.Of(plan.Fx);
        var v = (double)volume;
        var breakEven = plan.BreakEven is { MonthlyRequests: > 0 } b ? b : null;
        var from = v / Reach;
        var to = v * Reach;
        if (breakEven is not null)
        {
            from = Math.Min(from, (double)breakEven.MonthlyRequests / 2);
            to = Math.Max(to, (double)breakEven.MonthlyRequests * 2);
        }

        var xs = Enumerable.Range(0, Points).Select(i => Math.Pow(10, Math.Log10(from) + (i * (Math.Log10(to) - Math.Log10(from)) / (Points - 1)))).ToList();
        double Cost(Line line, double requests) => (double)currency.FromUsd(line.UsdAt((decimal)requests));
        var x = new MoneyAxis([from, to], MoneyAxis.Requests, forceLog: true);
        var y = new MoneyAxis(lines.SelectMany(l => new[] { Cost(l, from), Cost(l, to) })
            .Concat(breakEven is null ? [] : [(double)currency.FromUsd(breakEven.MonthlyUsd)]), currency.Compact);
        var scale = y.IsLog ? ", log scale" : "";
        using var frame = new ChartFrame("Monthly cost against monthly volume", "requests per month (log scale)", $"monthly cost ({currency.Describe()}{scale})");

        var yLow = y.IsLog ? y.Low : 0;
        // Headroom above the top line for the labels of the stated volume and the break-even.
        var yHigh = y.IsLog ? y.Coordinate(y.Max) + (0.12 * (y.Coordinate(y.Max) - y.Low)) : y.Max * 1.12;
        frame.Plot.Add.VerticalLine(Math.Log10(v), 1.5f, Guide, LinePattern.Dotted);
        AddLabel(frame, $"stated volume: {MonthlyCostChart.Volume(volume)}/month", Math.Log10(v), yHigh, Alignment.UpperLeft, Guide, 6, 6);

        foreach (var line in lines.OrderBy(l => l.Width))
        {
            var ys = xs.Select(r => y.Coordinate(Cost(line, r))).ToArray();
            var series = frame.Plot.Add.ScatterLine(xs.Select(Math.Log10).ToArray(), ys, line.Color);
            series.LineWidth = line.Width;
            series.LinePattern = line.Pattern;
            series.MarkerSize = 0;
            if (line.Class is { } name && lines.Count(l => l.Class is not null && l.Color == line.Color && l.Pattern.Name == line.Pattern.Name) > 1)
            {
                // Two classes on the same cell draw parallel lines the legend cannot tell apart: named at the right end.
                AddLabel(frame, name, Math.Log10(xs[^1]), ys[^1], Alignment.UpperRight, line.Color, -4, 4);
            }

            if (line.Labelled)
            {
                var at = Cost(line, v);
                var marker = frame.Plot.Add.Marker(Math.Log10(v), y.Coordinate(at), MarkerShape.FilledCircle, 9, line.Color);
                marker.MarkerLineWidth = 0;
                AddLabel(frame, currency.Compact(at), Math.Log10(v), y.Coordinate(at), Alignment.LowerRight, line.Color, -8, -4);
            }
        }

        if (breakEven is not null)
        {
            var cost = (double)currency.FromUsd(breakEven.MonthlyUsd);
            var ring = frame.Plot.Add.Marker(Math.Log10((double)breakEven.MonthlyRequests), y.Coordinate(cost), MarkerShape.OpenCircle, 18, Ink);
            ring.MarkerLineWidth = 2;
            // Its figures go in the legend, which never covers a line or a label.
        }

        if (lines.All(l => l.PerRequestUsd == 0 && l.FlatUsd == 0))
        {
            frame.Note("Every line costs nothing at any volume.");
        }

        x.Apply(frame.Plot, Edge.Bottom, Math.Log10(from), Math.Log10(to));
        y.Apply(frame.Plot, Edge.Left, yLow, yHigh);
        frame.Legend(lines.Select(l => ChartLegend.Line(l.Label, l.Color, l.Pattern, l.Width))
            .Append(ChartLegend.Line("stated volume", Guide, LinePattern.Dotted, 1.5f))
            .Concat(breakEven is null ? [] : [ChartLegend.Ring(BreakEvenText(breakEven, currency), Ink)]));
        return frame.Save(directory, ChartId, ChartSection.Money, Caption(plan, lines, noTotal, y, currency, breakEven));
    }

    /// <summary>The break-even's legend entry: <c>break-even: 7.55M requests/month, $500/month</c>.</summary>
    internal static string BreakEvenText(BreakEven breakEven, ReaderCurrency currency) =>
        $"break-even: {MoneyAxis.Requests((double)breakEven.MonthlyRequests)} requests/month, {currency.Compact((double)currency.FromUsd(breakEven.MonthlyUsd))}/month";

    /// <summary>A line's name in a sentence: "chosen plan", "current setup".</summary>
    private static string Short(Line line) => line.Label.StartsWith("current", StringComparison.Ordinal) ? "current setup" : line.Label;

    private static void AddLabel(ChartFrame frame, string text, double x, double y, Alignment alignment, Color color, float offsetX, float offsetY)
    {
        var label = frame.Plot.Add.Text(text, x, y);
        label.LabelFontName = ChartFonts.Family;
        label.LabelFontSize = 12;
        label.LabelFontColor = color;
        label.LabelAlignment = alignment;
        label.LabelOffsetX = offsetX;
        label.LabelOffsetY = offsetY;
        label.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
    }

    private static string Caption(BudgetPlan plan, IReadOnlyList<Line> lines, string? noTotal, MoneyAxis y, ReaderCurrency currency, BreakEven? breakEven)
    {
        var text = new System.Text.StringBuilder();
        var volume = MonthlyCostChart.Volume(plan.MonthlyRequests);
        if (noTotal is null)
        {
            text.Append(CultureInfo.InvariantCulture, $"What a month costs as the monthly volume changes, the traffic classes keeping their shares, in {currency.Describe()}: the chosen plan (solid black)");
            text.Append(lines.Any(l => l.Label.StartsWith("current", StringComparison.Ordinal)) ? " against the current setup (dashed red)" : "");
            text.Append(plan.Classes.Count(c => c.Choice is not null) > 1 ? ", with each class's choice in its model's colour (line style = mode)" : "");
            text.Append(". ");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"The plan has no total: {noTotal}. Each line is what a month costs as the volume changes, in {currency.Describe()}");
            text.Append(lines.Any(l => l.Label.StartsWith("current", StringComparison.Ordinal)) ? ", against the current setup (dashed red)" : "");
            text.Append(". ");
        }

        text.Append(CultureInfo.InvariantCulture, $"The dotted vertical line is the stated volume ({volume} requests/month), where the dots give each line's cost; figures from the budget plan table. ");
        text.Append(y.IsLog
            ? "Both axes are logarithmic: a cost in proportion to volume is a straight rising line (ten times the requests, ten times the cost), a flat spend is level. "
            : y.ZeroForcedLinear
                ? "The volume axis is logarithmic, the cost axis linear because a line costs nothing, which a log scale cannot show. "
                : "The volume axis is logarithmic, the cost axis linear (the lines span less than 10×). ");
        if (breakEven is not null)
        {
            var crossing = lines.Where(l => l.Labelled).Take(2).ToList();
            text.Append(CultureInfo.InvariantCulture, $"The ringed point is the break-even: at {MonthlyCostChart.Volume(decimal.Round(breakEven.MonthlyRequests))} requests/month both cost {currency.Compact((double)currency.FromUsd(breakEven.MonthlyUsd))} a month");
            if (crossing.Count == 2)
            {
                var below = breakEven.MonthlyRequests / 2;
                var (cheaper, dearer) = crossing[0].UsdAt(below) <= crossing[1].UsdAt(below) ? (crossing[0], crossing[1]) : (crossing[1], crossing[0]);
                text.Append(CultureInfo.InvariantCulture, $"; below it the {Short(cheaper)} is cheaper, above it the {Short(dearer)}");
            }

            text.Append(". ");
        }
        else if (lines.Count(l => l.Labelled) > 1 && noTotal is null)
        {
            text.Append("The lines do not cross: the cheaper one is cheaper at every volume. ");
        }

        if (plan.Current is { Selector: not null } && plan.CurrentUsd is null)
        {
            text.Append(plan.Complete
                ? $"The current setup ({plan.Current.Text}) is not drawn: it has no price. "
                : $"The current setup ({plan.Current.Text}) is not drawn: without a plan total there is nothing to set it against. ");
        }

        if (plan.Simulated)
        {
            text.Append(MonthlyCostChart.SimulatedBanner);
        }

        return text.ToString().TrimEnd();
    }
}
