using Spectre.Console;

namespace Bench.Report.Comparison.Exporters;

/// <summary>The console table of <c>bench compare</c> (Spectre.Console; plain and 200 columns wide when redirected):
/// regressions first, then improvements, then one line counting Same and Unknown; <c>--all</c> lists every row.</summary>
public static class ComparisonConsole
{
    /// <summary>Writes <paramref name="comparison"/> to <paramref name="output"/>.</summary>
    public static void Print(Comparison comparison, TextWriter output, bool all)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(output);
        var interactive = output == Console.Out && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No });
        if (!interactive)
        {
            console.Profile.Width = 200;
        }

        var shown = all
            ? comparison.Rows.OrderBy(Rank).ToList()
            : comparison.Rows.Where(r => r.Verdict is Verdict.Slower or Verdict.Faster).OrderBy(Rank).ToList();
        if (shown.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple);
            foreach (var header in new[] { "verdict", comparison.Kind == SideKind.Micro ? "benchmark" : "cell", "metric", "baseline", "current", "change", "method" })
            {
                table.AddColumn(new TableColumn(header) { Alignment = header is "baseline" or "current" or "change" ? Justify.Right : Justify.Left });
            }

            foreach (var r in shown)
            {
                table.AddRow(
                    Markup.Escape(r.Verdict + (r.Verdict == Verdict.Slower && !r.FailOn ? " (not fail-on)" : "")),
                    Markup.Escape(r.Cell), Markup.Escape(r.MetricId),
                    Markup.Escape(ComparisonText.Value(r.Baseline, r.Unit)), Markup.Escape(ComparisonText.Value(r.Current, r.Unit)),
                    Markup.Escape(ComparisonText.Change(r)), Markup.Escape(ComparisonText.Method(r)));
            }

            console.Write(table);
        }

        if (!all)
        {
            console.WriteLine($"{comparison.Count(Verdict.Same)} same, {comparison.Count(Verdict.Unknown)} unknown (--all lists them).");
        }

        foreach (var name in comparison.OnlyInBaseline)
        {
            console.WriteLine($"only in baseline (not judged): {name}");
        }

        foreach (var name in comparison.OnlyInCurrent)
        {
            console.WriteLine($"only in current (not judged): {name}");
        }

        foreach (var note in comparison.Notes)
        {
            console.WriteLine(note.StartsWith("Caveat", StringComparison.Ordinal) ? "* " + note : note);
        }

        console.WriteLine(comparison.SummaryLine);
    }

    /// <summary>Slower first, then Faster, Unknown, Same.</summary>
    internal static int Rank(ComparisonRow row) => row.Verdict switch
    {
        Verdict.Slower => row.FailOn ? 0 : 1,
        Verdict.Faster => 2,
        Verdict.Unknown => 3,
        _ => 4,
    };
}
