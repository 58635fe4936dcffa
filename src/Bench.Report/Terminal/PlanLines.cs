using System.Globalization;
using Bench.Report.Document;
using Bench.Report.Model;

namespace Bench.Report.Terminal;

/// <summary>
/// The budget holder's plan in two or three lines for the terminal (after the summary table of <c>bench run</c> and
/// <c>bench report</c>): per traffic class the choice and its monthly cost, then the total and the saving against the
/// current setup — the same figures, formatted the same way, as the executive summary of <c>report.md</c> — and the
/// simulated banner when a target was the simulator.
/// </summary>
public static class PlanLines
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The lines for <paramref name="report"/>: none for a run without traffic classes measured at real
    /// endpoints only.</summary>
    public static IReadOnlyList<string> Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<string>();
        if (report.Plan is { Classes.Count: > 0 } plan)
        {
            lines.Add("Plan: " + string.Join("; ", plan.Classes.Select(c => c.Choice is { } choice
                ? $"{c.Class.Name} → {choice.Cell.Summary.Key} {ReportDocumentBuilder.Amount(choice.MonthlyUsd, plan.Fx)} a month"
                : $"{c.Class.Name} → no option shown to meet it")) + ".");
            lines.Add(Total(plan) + " Details: report.md, “Executive summary”.");
        }

        if (ReportDocumentBuilder.Banner(report) is { } banner)
        {
            lines.Add(string.Concat(banner.Text.Select(s => s.Text)));
        }

        return lines;
    }

    private static string Total(BudgetPlan plan)
    {
        if (plan.TotalUsd is not { } total)
        {
            return plan.Problems.Count > 0 ? $"No total: {string.Join("; ", plan.Problems)}." : "No total: the classes have no shares or volumes of their own.";
        }

        var text = string.Create(Inv, $"Total {ReportDocumentBuilder.Amount(total, plan.Fx)} a month for {plan.MonthlyRequests:N0} requests");
        if (plan.Current is { } current && plan.SavingUsd is { } saving)
        {
            var percent = plan.SavingPercent is { } p ? string.Create(Inv, $", {Math.Abs(p):0.0} %") : "";
            text += saving >= 0
                ? $"; saves {ReportDocumentBuilder.Amount(saving, plan.Fx)}{percent} against the current setup {current.Text}"
                : $"; costs {ReportDocumentBuilder.Amount(-saving, plan.Fx)}{percent} more than the current setup {current.Text}";
        }

        return text + ".";
    }
}
