using System.Globalization;
using Bench.Core.Thresholds;
using Bench.Report.Model;
using Spectre.Console;

namespace Bench.Report.Terminal;

/// <summary>Prints the threshold results at the end of <c>bench run</c> and <c>bench report</c> (Spectre.Console, like
/// <see cref="SummaryTable"/>; plain text when output is redirected): one row per threshold × cell, failing rows first,
/// then the verdict line.</summary>
public static class ThresholdTable
{
    /// <summary>Writes the table and the verdict to <paramref name="output"/>; nothing when the run has no
    /// thresholds.</summary>
    public static void Print(RunReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        if (report.Thresholds.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in new[] { "result", "threshold", "cell", "value", "why" })
        {
            table.AddColumn(new TableColumn(header) { Alignment = header == "value" ? Justify.Right : Justify.Left });
        }

        var interactive = output == Console.Out && !Console.IsOutputRedirected;
        foreach (var t in ThresholdVerdicts.Ordered(report.Thresholds))
        {
            var result = t.Status switch
            {
                ThresholdStatus.Passed => interactive ? "[green]pass[/]" : "pass",
                ThresholdStatus.Failed => interactive ? "[red]FAIL[/]" : "FAIL",
                _ => interactive ? "[red]NO DATA[/]" : "NO DATA",
            };
            table.AddRow(
                result,
                Markup.Escape(t.Expression),
                Markup.Escape(t.Cell is { } cell ? cell.ToString() : "(no cell)"),
                t.Value is { } value ? value.ToString("0.######", CultureInfo.InvariantCulture) : "–",
                Markup.Escape(t.Reason));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = 200;
        }

        console.Write(table);
        console.WriteLine(ThresholdVerdicts.Line(report.Thresholds) ?? "");
    }
}
