using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Core.Statistics;
using Bench.Core.Thresholds;

namespace Bench.Report.Model;

/// <summary>One traffic class: an SLO set of the scenario with the requests per month it stands for.</summary>
/// <param name="Set">The SLO set (its <see cref="SloSet.Share"/>, <see cref="SloSet.MonthlyRequests"/> and
/// <see cref="SloSet.MaxTurnaroundH"/> as the scenario gave them).</param>
/// <param name="MonthlyRequests">Requests per month in this class: its share × the report's monthly volume, or its own
/// volume (rescaled when <c>--monthly-requests</c> was given on the command line), or the whole volume when the
/// scenario gives neither.</param>
/// <param name="SharePercent">Its share of the plan's requests, percent; null when the scenario gives no shares or
/// volumes (each class is then priced alone at the whole volume and the plan has no total).</param>
public sealed record TrafficClass(SloSet Set, decimal MonthlyRequests, decimal? SharePercent)
{
    /// <summary>The class's name (the SLO set's).</summary>
    public string Name => Set.Name;
}

/// <summary>One measured cell priced at a traffic class's volume, as the team would pay it.</summary>
/// <param name="Cell">The cell.</param>
/// <param name="Budget">The class's requests × the cell's mean billed tokens per attempted request, priced exactly at
/// list prices in USD (<see cref="Projection.Volume"/>, <see cref="MonthlyProjection.Price"/>; batch prices for a
/// batch-api cell).</param>
/// <param name="UsdPerListUsd">USD paid per USD of list price in the cell's target's billing
/// (<see cref="BilledCost.UsdPerListUsd"/>: 1 at list price in USD; 1/7.3 for a ¥1 = $1 relay at ¥7.3).</param>
public sealed record PricedOption(CellResult Cell, Budget Budget, decimal UsdPerListUsd)
{
    /// <summary>What the class costs per month on this cell, USD at the market rate:
    /// <see cref="Budget"/>'s total × <see cref="UsdPerListUsd"/>. Exact; rounded only when printed.</summary>
    public decimal MonthlyUsd => Budget.TotalCostUsd * UsdPerListUsd;
}

/// <summary>The risk of a choice, in figures the document puts into plain words.</summary>
/// <param name="Requests">Requests attempted in the cell (the sample size).</param>
/// <param name="Successes">Successful requests.</param>
/// <param name="FailureRate">Failed / attempted, 0..1.</param>
/// <param name="FailureRateUpper">The one-sided 95 % exact upper bound of the failure rate
/// (<see cref="ProportionBound"/>), 0..1: "at most this many fail, as far as this sample shows".</param>
/// <param name="FailureKinds">Failed requests by outcome name (<c>rate_limited</c>, <c>server_error</c>, …), most
/// frequent first.</param>
/// <param name="RateLimited">Attempts answered 429 (rate limited), retried ones included: whether the run met the
/// provider's limits at this load.</param>
/// <param name="Evidence">Whether the sample shows the class's SLO set is met (<see cref="SloEvidence.Shown"/>) or the
/// choice rests on too small a sample (<see cref="SloEvidence.Inconclusive"/> — then the plan says so).</param>
/// <param name="RequestsToShow">When not shown: failure-free requests that would show the set's target
/// (<see cref="SampleShortfall.TrialsNeeded"/>); null when shown.</param>
public sealed record Risk(long Requests, long Successes, double FailureRate, double FailureRateUpper,
    IReadOnlyList<(string Kind, long Count)> FailureKinds, long RateLimited, SloEvidence Evidence, long? RequestsToShow);

/// <summary>
/// One traffic class's decision: the cheapest cell (target × model × mode, batch-api included when the class tolerates
/// hours) shown to meet the class's SLO set in this run, priced at the class's volume as paid, with the runner-up, the
/// current setup on the same volume, and the risk.
/// </summary>
/// <param name="Class">The traffic class.</param>
/// <param name="Recommendation">The SLO set's recommendation (its verdicts on every cell).</param>
/// <param name="Options">Every cell shown to meet the class and priced, cheapest paid monthly cost first (the money
/// chart's bars).</param>
/// <param name="Choice">The option to choose (the cheapest, or the faster of a cost tie broken by latency); null when
/// no priced cell is shown to meet the class.</param>
/// <param name="RunnerUp">The next option, or null.</param>
/// <param name="Current">The current setup's cell on this class's volume (when <c>--current</c> names a cell), even
/// when it does not meet the class; null otherwise.</param>
/// <param name="Risk">The choice's risk; null without a choice.</param>
/// <param name="Notes">What the reader must know about this choice in words the document shows as they are (an amount in
/// one is the document's to give in the reader's currency, <see cref="PlanNote"/>): a tie the sample cannot break, a
/// sample too small to show the SLO set, a current cell that does not meet the class.</param>
public sealed record ClassChoice(
    TrafficClass Class,
    Recommendation Recommendation,
    IReadOnlyList<PricedOption> Options,
    PricedOption? Choice,
    PricedOption? RunnerUp,
    PricedOption? Current,
    Risk? Risk,
    IReadOnlyList<PlanNote> Notes)
{
    /// <summary>Runner-up − choice, USD per month; null without both.</summary>
    public decimal? SavingVsRunnerUpUsd => Choice is { } c && RunnerUp is { } r ? r.MonthlyUsd - c.MonthlyUsd : null;

    /// <summary>Current − choice on this class's volume, USD per month; null without a current cell or a choice.</summary>
    public decimal? SavingVsCurrentUsd => Choice is { } c && Current is { } cur ? cur.MonthlyUsd - c.MonthlyUsd : null;
}

/// <summary>
/// A note of the plan: words, with at most one monthly amount in them, kept as a figure so the document can give it in
/// the reader's currency and link it to the table it comes from, as every money figure of the summary.
/// </summary>
/// <param name="Lead">The words before the amount (the whole note when it has none).</param>
/// <param name="MonthlyUsd">The amount, USD per month as paid, or null.</param>
/// <param name="Rest">The words after the amount.</param>
public sealed record PlanNote(string Lead, decimal? MonthlyUsd = null, string Rest = "")
{
    /// <summary>The note in plain text, its amount as <c>1,234.56 USD a month</c> (summary.json's <c>notes</c>).</summary>
    public string Text => MonthlyUsd is { } usd ? string.Create(CultureInfo.InvariantCulture, $"{Lead}{usd:#,0.00} USD a month{Rest}") : Lead;

    /// <summary>A note without an amount.</summary>
    public static implicit operator PlanNote(string text) => FromText(text);

    /// <summary>A note without an amount.</summary>
    public static PlanNote FromText(string text) => new(text);

    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>What the team runs now (<see cref="ReportSettings.Current"/>): a measured cell, or a flat monthly spend.</summary>
/// <param name="Text">As given (<c>gpt-4.1:streaming</c>, <c>12000USD</c>).</param>
/// <param name="Selector">The cell selector, or null for a spend.</param>
/// <param name="MonthlySpend">The spend in <paramref name="SpendCurrency"/>, or null for a selector.</param>
/// <param name="SpendCurrency">The spend's currency (an <c>--fx</c> label's currency, or USD), or null for a selector.</param>
/// <param name="MonthlySpendUsd">The spend in USD (÷ the <c>--fx</c> rate of its currency), or null for a selector.</param>
public sealed partial record CurrentSetup(string Text, CellSelector? Selector, decimal? MonthlySpend, string? SpendCurrency, decimal? MonthlySpendUsd)
{
    /// <summary>
    /// Parses <c>--current</c>. A <b>monthly spend</b> is digits with optional <c>,</c> or <c>_</c> group separators and
    /// a <c>.</c> decimal part, an optional multiplier <c>k</c> (× 1,000) or <c>M</c> (× 1,000,000), and an optional
    /// three-letter currency code (<c>12000</c>, <c>12,000USD</c>, <c>12k USD</c>, <c>80000CNY</c>, <c>1.5M cny</c>);
    /// without a code it is USD. A currency other than USD is turned into USD with the <c>--fx</c> rate whose label is
    /// the code itself (<c>CNY=7.3</c>), else the first rate of that currency (<c>CNY-card=7.4</c>); without one it
    /// is refused. Anything else is a <b>cell selector</b> <c>MODEL[:MODE[:POLICY]][@TARGET]</c>
    /// (<see cref="CellSelector.TryParse"/>); whether it names a measured cell is checked against the run's cells
    /// (<see cref="MatchCell"/>).
    /// </summary>
    /// <param name="text">The flag's value.</param>
    /// <param name="fx">The report's FX rates (<c>--fx</c>).</param>
    /// <param name="setup">The parsed setup.</param>
    /// <param name="error">Why it does not parse, naming the value: "add --fx CNY=UNITS_PER_USD" for a currency
    /// without a rate.</param>
    public static bool TryParse(string? text, IReadOnlyList<FxRate> fx, [NotNullWhen(true)] out CurrentSetup? setup, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(fx);
        setup = null;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            error = "--current: empty; give a cell MODEL[:MODE[:POLICY]][@TARGET] or a monthly spend AMOUNT[CURRENCY] (12000USD).";
            return false;
        }

        if (SpendPattern().Match(trimmed) is { Success: true } m)
        {
            var digits = m.Groups["amount"].Value.Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
            if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                error = $"--current {trimmed}: '{m.Groups["amount"].Value}' is not an amount.";
                return false;
            }

            amount *= m.Groups["mult"].Value switch { "k" or "K" => 1_000m, "M" => 1_000_000m, _ => 1m };
            var currency = m.Groups["currency"].Success ? m.Groups["currency"].Value.ToUpperInvariant() : "USD";
            decimal usd;
            if (currency == "USD")
            {
                usd = amount;
            }
            else if ((fx.FirstOrDefault(r => string.Equals(r.Label, currency, StringComparison.OrdinalIgnoreCase))
                ?? fx.FirstOrDefault(r => r.Currency == currency)) is { } rate)
            {
                usd = amount / rate.UnitsPerUsd;
            }
            else
            {
                error = $"--current {trimmed}: a spend in {currency} needs its exchange rate; add --fx {currency}=UNITS_PER_USD (e.g. --fx CNY=7.3).";
                return false;
            }

            setup = new CurrentSetup(trimmed, null, amount, currency, usd);
            error = null;
            return true;
        }

        if (!CellSelector.TryParse(trimmed, out var selector, out var problem))
        {
            error = $"--current {trimmed}: neither a monthly spend AMOUNT[CURRENCY] (12000USD, 80000CNY) nor a cell: {problem}";
            return false;
        }

        setup = new CurrentSetup(trimmed, selector, null, null, null);
        error = null;
        return true;
    }

    /// <summary>
    /// The one cell of <paramref name="cells"/> the selector names: every match, then — when there are several — only
    /// those without a resilience policy (the plain call the team runs); exactly one must remain.
    /// </summary>
    /// <param name="cells">The cells to match: the run's measured cells, or its planned cells as <see cref="CellKey"/>s.</param>
    /// <param name="cell">The cell named.</param>
    /// <param name="error">Why not exactly one ("matches no cell …", "matches 2 cells …: name the mode or target").</param>
    /// <returns>False for a spend, or when the selector names no cell or several.</returns>
    public bool MatchCell(IReadOnlyList<CellKey> cells, [NotNullWhen(true)] out CellKey? cell, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(cells);
        cell = null;
        if (Selector is not { } selector)
        {
            error = $"--current {Text} is a spend, not a cell";
            return false;
        }

        var matches = cells.Where(selector.Matches).Distinct().ToList();
        if (matches.Count > 1 && matches.Where(c => c.Policy is null).ToList() is { Count: > 0 } plain)
        {
            matches = plain;
        }

        if (matches.Count == 1)
        {
            cell = matches[0];
            error = null;
            return true;
        }

        error = matches.Count == 0
            ? $"--current {Text}: {selector.NoMatch(cells)}"
            : $"--current {Text}: matches {matches.Count} cells ({string.Join(", ", matches)}); name one (MODEL:MODE[:POLICY]@TARGET)";
        return false;
    }

    [GeneratedRegex(@"^(?<amount>\d[\d,_]*(\.\d+)?)\s*(?<mult>[kKM])?\s*(?<currency>[A-Za-z]{3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex SpendPattern();
}

/// <summary>Where two cost lines of the cost-against-volume chart cross.</summary>
/// <param name="MonthlyRequests">The volume at which they cost the same.</param>
/// <param name="MonthlyUsd">What each costs there, USD per month.</param>
public sealed record BreakEven(decimal MonthlyRequests, decimal MonthlyUsd);

/// <summary>
/// The budget holder's plan (issue 18): per traffic class the cheapest option shown to meet it, priced as one monthly
/// budget at the stated volume, with the saving against the current setup. The articles' "hybrid approach" computed
/// from this run's cells: exact decimal arithmetic, USD as paid (each target's billing at the market rate), shown in
/// every <c>--fx</c> currency; the first <c>--fx</c> rate is the reader's currency.
/// </summary>
/// <param name="Classes">One decision per traffic class, in the scenario's order.</param>
/// <param name="MonthlyRequests">The plan's requests per month (the classes' volumes added when they have shares or
/// volumes; the report's monthly volume otherwise).</param>
/// <param name="Fx">The rates to show amounts in; the first is the reader's currency.</param>
/// <param name="Current">The current setup, or null when <c>--current</c> was not given.</param>
/// <param name="SimulatedTargets">Targets that were the embedded simulator (every figure of theirs is simulated).</param>
/// <param name="Problems">Why the plan has no total, or what in it could not be priced, in words.</param>
public sealed record BudgetPlan(
    IReadOnlyList<ClassChoice> Classes,
    decimal MonthlyRequests,
    IReadOnlyList<FxRate> Fx,
    CurrentSetup? Current,
    IReadOnlyList<string> SimulatedTargets,
    IReadOnlyList<string> Problems)
{
    /// <summary>True when the classes partition the traffic (shares or volumes given) and every class has a choice:
    /// the plan then has one total.</summary>
    public bool Complete => Classes.Count > 0 && Classes.All(c => c.Class.SharePercent is not null && c.Choice is not null);

    /// <summary>The plan's monthly cost, USD (the classes' choices added); null unless <see cref="Complete"/>.</summary>
    public decimal? TotalUsd => Complete ? Classes.Sum(c => c.Choice!.MonthlyUsd) : null;

    /// <summary>The current setup's monthly cost on the plan's volume, USD: the current cell on every class's volume,
    /// or the flat spend; null when unknown.</summary>
    public decimal? CurrentUsd => Current?.MonthlySpendUsd
        ?? (Complete && Classes.All(c => c.Current is not null) ? Classes.Sum(c => c.Current!.MonthlyUsd) : null);

    /// <summary>Current − plan, USD per month; null when either is unknown.</summary>
    public decimal? SavingUsd => TotalUsd is { } plan && CurrentUsd is { } current ? current - plan : null;

    /// <summary><see cref="SavingUsd"/> / current × 100; null when unknown or the current setup costs nothing.</summary>
    public decimal? SavingPercent => SavingUsd is { } saving && CurrentUsd is { } current && current > 0 ? saving / current * 100m : null;

    /// <summary>The monthly volume at which the plan and the current setup cost the same (a flat current spend against a
    /// plan that grows with volume), or null when the lines do not cross at a positive volume (both grow in proportion to
    /// volume: the cheaper one is cheaper at every volume).</summary>
    public BreakEven? BreakEven { get; init; }

    /// <summary>True when any figure of the plan comes from the embedded simulator.</summary>
    public bool Simulated => SimulatedTargets.Count > 0;
}
