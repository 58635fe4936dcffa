namespace Bench.Core.Metrics;

public static partial class MetricCatalog
{
    /// <summary>The top-level key of <c>summary.json</c> holding the budget holder's plan (issue 18, built by
    /// <c>Bench.Report.Model.BudgetPlanBuilder</c>; written only when the run has SLO sets, its traffic classes, and a
    /// measured cell).</summary>
    public const string PlanJsonKey = "plan";

    /// <summary>The keys of <c>summary.json</c>'s <c>plan</c> object, in file order. Money is USD as paid (each
    /// target's billing at its market rate), rounded to 10 decimals like every USD figure
    /// (<see cref="NumberFormat.Usd"/>); volumes are requests per month. <c>MetricCatalogExportTests</c> fails when the
    /// exporter writes a key not declared here.</summary>
    public static IReadOnlyList<SummaryJsonField> PlanJsonFields { get; } =
    [
        new("monthly_requests", "the plan's requests per month: the classes' volumes added (shares × --monthly-requests, or their own monthly_requests, rescaled when --monthly-requests was given)"),
        new("currency", "the reader's currency: the first --fx rate's label (CNY), or USD without --fx"),
        new("units_per_usd", "the first --fx rate (units of currency per USD); 1 without --fx"),
        new("complete", "true when the classes partition the traffic and each has a choice: only then is there a total"),
        new("total_usd", "the plan's monthly cost, USD as paid: the choices' monthly_usd added; null unless complete"),
        new("current", "--current as given (a cell selector or a monthly spend); null when not given"),
        new("current_usd", "the current setup's monthly cost on the plan's volume, USD: the current cell priced on every class, or the flat spend converted at its --fx rate; null when unknown"),
        new("saving_usd", "current_usd − total_usd, USD per month; null when either is unknown"),
        new("saving_percent", "saving_usd / current_usd × 100; null when unknown"),
        new("break_even_monthly_requests", "the volume at which the plan costs what a flat current spend does (spend × monthly_requests / total_usd); null without a flat spend or a total"),
        new("break_even_usd", "the monthly cost at the break-even volume, USD (the flat spend); null without a break-even"),
        new("simulated", "true when any target was the embedded simulator: figures calibrated to published figures, not a measurement of any provider"),
        new("simulated_targets", "the names of the targets that were the embedded simulator"),
        new("problems", "why the plan has no total, or what in it could not be priced, in words"),
        new("classes", "one object per traffic class (SLO set), in the scenario's order (keys: PlanClassJsonFields)"),
    ];

    /// <summary>The keys of each element of <c>plan.classes</c>, in file order.</summary>
    public static IReadOnlyList<SummaryJsonField> PlanClassJsonFields { get; } =
    [
        new("name", "the traffic class: the SLO set's name"),
        new("share_percent", "its share of the plan's requests, percent; null when the scenario gives no shares or volumes (then each class is priced alone at the whole volume)"),
        new("monthly_requests", "its requests per month"),
        new("max_turnaround_h", "the Batch API turnaround it tolerates, hours; null when it needs synchronous answers"),
        new("choice", "the option to choose (keys: PlanOptionJsonFields): the cheapest paid cost per success among cells shown to meet the class; null when none is"),
        new("runner_up", "the next option (keys: PlanOptionJsonFields), or null"),
        new("current", "the current cell priced on this class's volume (keys: PlanOptionJsonFields), even when it does not meet the class; null without a current cell"),
        new("saving_vs_runner_up_usd", "runner_up.monthly_usd − choice.monthly_usd, USD per month; null without both"),
        new("saving_vs_current_usd", "current.monthly_usd − choice.monthly_usd, USD per month; null without both"),
        new("options", "every priced cell shown to meet the class at its volume, cheapest monthly_usd first (keys: PlanOptionJsonFields)"),
        new("risk", "the choice's risk (keys: PlanRiskJsonFields); null without a choice"),
        new("notes", "ties the sample cannot break, samples too small to show the class, a current cell that does not meet it, in words"),
    ];

    /// <summary>The keys of an option (<c>choice</c>, <c>runner_up</c>, <c>current</c>, <c>options[]</c>), in file order.</summary>
    public static IReadOnlyList<SummaryJsonField> PlanOptionJsonFields { get; } =
    [
        new("target", "the cell's target; null for results written before targets existed"),
        new("model", "the cell's model"),
        new("mode", "the cell's mode (batch-api priced at batch prices)"),
        new("policy", "the cell's resilience policy; null for none"),
        new("monthly_usd", "the class's requests × the cell's mean billed tokens per attempted request, priced exactly at list prices × usd_per_list_usd: USD per month as paid"),
        new("list_usd", "the same volume at list prices in USD"),
        new("usd_per_list_usd", "USD paid per USD of list price at the cell's target (1 at list price in USD; 1/7.3 for a ¥1 = $1 relay at ¥7.3)"),
        new("paid_usd_per_success", "cost_usd_per_success × usd_per_list_usd: what a successful request costs as paid, USD (the ranking key)"),
    ];

    /// <summary>The keys of a class's <c>risk</c> object, in file order.</summary>
    public static IReadOnlyList<SummaryJsonField> PlanRiskJsonFields { get; } =
    [
        new("requests", "requests attempted in the chosen cell: the sample size"),
        new("successes", "successful requests"),
        new("failure_rate", "failed / attempted, 0..1"),
        new("failure_rate_upper", "the one-sided 95 % exact (Clopper–Pearson) upper bound of the failure rate, 0..1"),
        new("failure_kinds", "failed requests per outcome (rate_limited, server_error, …), most frequent first"),
        new("rate_limited_attempts", "attempts answered 429, retried ones included"),
        new("evidence", "shown, inconclusive or not_met: whether the sample shows the class's SLO set is met"),
    ];
}
