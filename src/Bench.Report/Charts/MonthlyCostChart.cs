using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Model;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Monthly cost per option (issue 18, the money charts): per traffic class of the <see cref="BudgetPlan"/>, one
/// horizontal bar per option (<see cref="ClassChoice.Options"/>: cells shown to meet the class's SLO set, priced) and
/// the current setup's cell, each the class's monthly cost as paid (<see cref="PricedOption.MonthlyUsd"/>) in the
/// reader's currency (<see cref="ReaderCurrency"/>). The choice is outlined in black and labelled "choice", the current
/// setup outlined dashed and labelled "current". The cost axis is logarithmic when the options differ by more than
/// 10× (<see cref="MoneyAxis"/>), ticks labelled as money. Colour is the model, fill the mode (house style).
/// </summary>
internal sealed class MonthlyCostChart : IChart
{
    /// <summary>The chart's id (file name without extension).</summary>
    public const string ChartId = "monthly-cost";

    /// <summary>Most bars a class gets when the chart is shared by many classes (the cheapest, with the choice and
    /// the current setup always kept); the budget plan table lists every option.</summary>
    internal const int MaxRows = 24;

    internal static readonly Color Ink = Color.FromHex("#222222");

    /// <summary>The current setup's outline and label (a red no model colour uses).</summary>
    internal static readonly Color CurrentColor = Color.FromHex("#B2182B");

    /// <summary>The banner every figure from the simulator carries (BRIEF18-COMMON, "Simulated").</summary>
    public const string SimulatedBanner = "Simulated, calibrated to published figures — not a measurement of any provider.";

    /// <inheritdoc />
    public string Id => ChartId;

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context) =>
        context.Report.Plan is { } plan ? Draw(plan, context.Palette, context.Directory) : null;

    /// <summary>Draws the chart of <paramref name="plan"/>, or returns null when no class has an option or a current
    /// cell to show.</summary>
    internal static ChartFile? Draw(BudgetPlan plan, ModelPalette palette, string directory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var currency = ReaderCurrency.Of(plan.Fx);
        var groups = Groups(plan);
        if (groups.Count == 0)
        {
            return null;
        }

        var values = groups.SelectMany(g => g.Rows).Select(r => (double)currency.FromUsd(r.Option.MonthlyUsd)).ToList();
        var axis = new MoneyAxis(values, currency.Compact);
        var single = groups.Count == 1;
        var volume = single ? $" at {Volume(groups[0].Class.MonthlyRequests)} requests/month" : " at each class's monthly volume";
        var scale = axis.IsLog ? ", log scale" : "";
        using var frame = new ChartFrame("Monthly cost per option", $"monthly cost{volume} ({currency.Describe()}{scale})", "");

        // Rows from the top: a class's name, then its bars; y grows upwards in ScottPlot, so row r sits at y = -r.
        var bars = new List<Bar>();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var labels = new List<(double Y, double Value, string Text, Color Color, bool Bold)>();
        var headers = new List<(double Y, string Text)>();
        var row = 0;
        foreach (var group in groups)
        {
            headers.Add((-row, Header(group)));
            row++;
            foreach (var option in group.Rows)
            {
                var summary = option.Option.Cell.Summary;
                var color = palette.Of(summary.Target, summary.Model);
                var amount = (double)currency.FromUsd(option.Option.MonthlyUsd);
                var bar = new Bar
                {
                    Position = -row,
                    Size = 0.7,
                    ValueBase = axis.IsLog ? axis.Low : 0,
                    Value = axis.IsLog ? axis.Coordinate(amount) : amount,
                    FillColor = ModeStyle.Of(summary.Mode).Fill(color),
                    LineColor = color,
                    LineWidth = 1,
                };
                if (option.IsChoice)
                {
                    bar.LineColor = Ink;
                    bar.LineWidth = 2.5f;
                }
                else if (option.IsCurrent)
                {
                    bar.LineColor = CurrentColor;
                    bar.LineWidth = 2;
                    bar.LineStyle.Pattern = LinePattern.Dashed;
                }

                bars.Add(bar);
                ticks.AddMajor(-row, Name(palette, option.Option.Cell));
                var tags = new List<string>();
                if (option.IsChoice)
                {
                    tags.Add("choice");
                }

                if (option.IsCurrent)
                {
                    tags.Add(option.MeetsClass ? "current" : "current, not shown to meet the class");
                }

                labels.Add((-row, bar.Value, currency.Compact(amount) + (tags.Count > 0 ? " · " + string.Join(", ", tags) : ""),
                    option.IsCurrent && !option.IsChoice ? CurrentColor : Ink, option.IsChoice));
                row++;
            }
        }

        var barPlot = frame.Plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        foreach (var (y, value, text, color, bold) in labels)
        {
            var label = frame.Plot.Add.Text(text, value, y);
            label.LabelFontName = ChartFonts.Family;
            label.LabelFontSize = 12;
            if (bold)
            {
                label.LabelStyle.Font = ChartFonts.Bold;
            }
            label.LabelFontColor = color;
            label.LabelAlignment = Alignment.MiddleLeft;
            label.LabelOffsetX = 6;
        }

        // Room on the right for the labels: a first guess, widened by RoomForLabels once the layout is known.
        var low = axis.IsLog ? axis.Low : 0;
        var high = axis.IsLog ? axis.Coordinate(axis.Max) + (0.05 * (axis.Coordinate(axis.Max) - axis.Low)) : axis.Max * 1.05;
        foreach (var (y, text) in headers)
        {
            var header = frame.Plot.Add.Text(text, low, y);
            header.LabelFontName = ChartFonts.Family;
            header.LabelFontSize = 13;
            header.LabelStyle.Font = ChartFonts.Bold;
            header.LabelFontColor = Ink;
            header.LabelAlignment = Alignment.MiddleLeft;
            header.LabelOffsetX = 4;
        }

        frame.Plot.Axes.Left.TickGenerator = ticks;
        frame.Plot.Axes.Left.MajorTickStyle.Length = 0;
        frame.Plot.Axes.Left.MinorTickStyle.Length = 0;
        frame.Plot.Axes.SetLimitsY(-row + 0.4, 0.6);
        frame.Plot.Grid.YAxisStyle.IsVisible = false;
        var modes = ModeStyle.Ordered(groups.SelectMany(g => g.Rows).Select(r => r.Option.Cell.Summary.Mode));
        frame.Legend(ChartLegend.Models(palette, groups.SelectMany(g => g.Rows).Select(r => Series(palette, r.Option.Cell)))
            .Concat(modes.Select(m => ChartLegend.Fill(m)))
            .Append(Outline("choice", Ink, LinePattern.Solid, 2.5f))
            .Concat(groups.Any(g => g.Rows.Any(r => r.IsCurrent)) ? [Outline("current setup", CurrentColor, LinePattern.Dashed, 2)] : []));
        axis.Apply(frame.Plot, Edge.Bottom, low, high);
        // The axis reaches past the longest bar far enough for every bar's label to fit in the data area.
        high = RoomForLabels(frame, labels.Select(l => (l.Value, l.Text, l.Bold)), low, high);
        axis.Apply(frame.Plot, Edge.Bottom, low, high);
        return frame.Save(directory, ChartId, ChartSection.Money, Caption(plan, groups, axis, currency));
    }

    /// <summary>
    /// The right end of the cost axis (plot coordinates) that leaves room for every label right of its bar's end: lays
    /// the chart out once to learn the data area's width in pixels, measures each label in the bundled font, and returns
    /// the smallest end at least <paramref name="high"/> where the widest fits.
    /// </summary>
    private static double RoomForLabels(ChartFrame frame, IEnumerable<(double Value, string Text, bool Bold)> labels, double low, double high)
    {
        frame.Plot.ScaleFactor = 1;
        using (frame.Plot.GetImage(ChartFrame.Width, ChartFrame.Height))
        {
        }

        var width = (double)frame.Plot.LastRender.DataRect.Width;
        using var regular = new SkiaSharp.SKFont(ChartFonts.Regular, 12);
        using var bold = new SkiaSharp.SKFont(ChartFonts.Bold, 12);
        foreach (var (value, text, isBold) in labels)
        {
            // Pixels the label needs: its width, the 6 px offset and a margin; the bar may take the rest.
            var need = (isBold ? bold : regular).MeasureText(text) + 6 + 10;
            var share = Math.Max(0.25, (width - need) / width);
            high = Math.Max(high, low + ((value - low) / share));
        }

        return high;
    }

    /// <summary>A class's heading over its bars, short enough for the data area: <c>interactive · 300,000/month (30 %)</c>,
    /// then <c>· none shown to meet it</c> when only the current cell is drawn.</summary>
    internal static string Header(Group group) =>
        $"{group.Class.Name} · {Volume(group.Class.MonthlyRequests)}/month"
        + (group.Class.SharePercent is { } share ? string.Create(CultureInfo.InvariantCulture, $" ({share:0.##} %)") : "")
        + (group.Rows.Any(r => r.MeetsClass) ? "" : " · none shown to meet it");

    /// <summary>One bar: an option, or the current cell; whether it is the choice, the current setup, and shown to
    /// meet the class.</summary>
    internal sealed record Row(PricedOption Option, bool IsChoice, bool IsCurrent, bool MeetsClass);

    /// <summary>A class's bars, cheapest first, and how many options were left out for room.</summary>
    internal sealed record Group(TrafficClass Class, IReadOnlyList<Row> Rows, int LeftOut);

    /// <summary>The bars of every class that has any: its options (the cheapest, at most a share of
    /// <see cref="MaxRows"/>, the choice always kept) then its current cell when that is not an option.</summary>
    internal static IReadOnlyList<Group> Groups(BudgetPlan plan)
    {
        var drawn = plan.Classes.Where(c => c.Options.Count > 0 || c.Current is not null).ToList();
        var perClass = Math.Max(3, (MaxRows / Math.Max(1, drawn.Count)) - 1);
        var groups = new List<Group>();
        foreach (var choice in drawn)
        {
            var current = choice.Current;
            var options = choice.Options.OrderBy(o => o.MonthlyUsd).ToList();
            // The choice and the current cell (when an option) always; then the cheapest others while there is room.
            var kept = new[] { choice.Choice, current is null ? null : options.FirstOrDefault(o => Same(o, current)) }.OfType<PricedOption>().ToList();
            foreach (var option in options)
            {
                if (kept.Count < perClass && !kept.Any(k => Same(k, option)))
                {
                    kept.Add(option);
                }
            }

            var rows = kept.DistinctBy(o => o.Cell.Summary.Key).OrderBy(o => o.MonthlyUsd)
                .Select(o => new Row(o, choice.Choice is { } c && Same(o, c), current is not null && Same(o, current), MeetsClass: true)).ToList();
            if (current is not null && !rows.Any(r => r.IsCurrent))
            {
                rows.Add(new Row(current, IsChoice: false, IsCurrent: true, MeetsClass: false));
            }

            groups.Add(new Group(choice.Class, rows, options.Count(o => !kept.Any(k => Same(k, o)))));
        }

        return groups;
    }

    private static string Caption(BudgetPlan plan, IReadOnlyList<Group> groups, MoneyAxis axis, ReaderCurrency currency)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Per traffic class, what a month of its requests would cost on each option shown to meet its SLO set: the class's monthly requests × the cell's mean billed tokens per attempted request, priced as paid (the target's billing), in {currency.Describe()}. ");
        text.Append("The bar outlined in black and labelled \"choice\" is the option to choose");
        text.Append(groups.Any(g => g.Rows.Any(r => r.IsCurrent)) ? "; the dashed red outline marks the current setup. " : ". ");
        text.Append("Colour is the model, fill the mode; figures from the budget plan table. ");
        text.Append(axis.IsLog
            ? "The cost axis is logarithmic because the options differ by more than 10×: each labelled step is a multiple, not an amount added. "
            : axis.ZeroForcedLinear
                ? "The cost axis is linear: an option costs nothing, and a log scale cannot show zero. "
                : "The cost axis is linear (the options differ by less than 10×). ");
        var leftOut = groups.Where(g => g.LeftOut > 0).Select(g => $"{g.LeftOut} of {g.Class.Name}").ToList();
        if (leftOut.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"For room, the dearest options are left out ({string.Join(", ", leftOut)}); the budget plan table lists them. ");
        }

        var unpriced = plan.Classes.SelectMany(c => c.Recommendation.MetUnpriced.Select(cell => $"{Describe(cell)} ({c.Class.Name})")).Distinct().ToList();
        if (unpriced.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Shown to meet a class but not priced, so not drawn: {string.Join(", ", unpriced)}. ");
        }

        var none = plan.Classes.Where(c => c.Options.Count == 0 && c.Current is null).Select(c => c.Class.Name).ToList();
        if (none.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"No priced option is shown to meet {string.Join(", ", none)}, so {(none.Count == 1 ? "it has" : "they have")} no bars. ");
        }

        if (plan.Current is { Selector: not null } current && !plan.Classes.Any(c => c.Current is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"The current setup ({current.Text}) has no bar: it could not be priced. ");
        }

        if (plan.Simulated)
        {
            text.Append(SimulatedBanner);
        }

        return text.ToString().TrimEnd();
    }

    private static LegendItem Outline(string label, Color color, LinePattern pattern, float width) => new()
    {
        LabelText = label,
        FillColor = Colors.White,
        OutlineColor = color,
        OutlineWidth = width,
        OutlineStyle = { Pattern = pattern },
    };

    /// <summary>The same cell (target, model, mode, policy).</summary>
    internal static bool Same(PricedOption a, PricedOption b) => a.Cell.Summary.Key == b.Cell.Summary.Key;

    /// <summary>A bar's name: the series (target · model when several targets), the mode, and the policy.</summary>
    internal static string Name(ModelPalette palette, CellResult cell) =>
        $"{Series(palette, cell)} · {Names.Of(cell.Summary.Mode)}" + (cell.Summary.Policy is { } policy ? $" · {policy}" : "");

    private static string Series(ModelPalette palette, CellResult cell) => palette.Name(cell.Summary.Target, cell.Summary.Model);

    private static string Describe(CellResult cell) => $"{cell.Summary.Model} · {Names.Of(cell.Summary.Mode)}";

    /// <summary>Requests per month in words: 1,000,000; 2,500.5 when not whole.</summary>
    internal static string Volume(decimal requests) => requests.ToString(requests == decimal.Truncate(requests) ? "#,0" : "#,0.##", CultureInfo.InvariantCulture);
}
