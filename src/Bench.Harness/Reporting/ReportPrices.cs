using Bench.Core.Configuration;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Report.Model;

namespace Bench.Harness.Reporting;

/// <summary>The prices and projection settings a report uses, checked before anything runs.</summary>
public static class ReportPrices
{
    /// <summary>The price catalogue a report uses: the user's price file first when one is set, then the built-in
    /// catalogue (SEED-FIGURES.md), then LiteLLM's.</summary>
    /// <exception cref="ConfigException">The user's price file is missing or invalid.</exception>
    public static PriceCatalog Catalog(ReportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var defaults = PriceCatalog.BuiltIn.WithFallback(PriceCatalog.LiteLlm);
        return settings.PricesFile is { } file ? PriceCatalog.LoadUserFile(file).WithFallback(defaults) : defaults;
    }

    /// <summary>Parses the FX rates, mixes and price file of <paramref name="settings"/>, so a bad one fails before a
    /// run starts, not after it.</summary>
    /// <exception cref="PricingException">A rate or mix is invalid (every problem listed).</exception>
    /// <exception cref="ConfigException">The price file is missing or invalid (every problem listed).</exception>
    /// <param name="settings">The report's settings.</param>
    /// <param name="cells">The run's planned cells, against which a <c>--current</c> selector must name exactly one
    /// cell (<see cref="CurrentSetup.MatchCell"/>); null: not checked (a folder whose plan is unknown — the report then
    /// says the selector matched nothing).</param>
    public static void Validate(ReportSettings settings, IReadOnlyList<CellKey>? cells = null)
    {
        var (fx, _) = RunReport.ParseSettings(settings);
        CheckBounds(settings, fx);
        CheckCurrent(settings, fx, cells);
        _ = Catalog(settings);
    }

    /// <summary><c>--current</c> parses (a spend in a currency other than USD has its <c>--fx</c> rate) and, as a cell
    /// selector, names exactly one of <paramref name="cells"/> when they are known.</summary>
    /// <exception cref="PricingException">It does not (the flag, the value and the reason).</exception>
    public static void CheckCurrent(ReportSettings settings, IReadOnlyList<FxRate> fx, IReadOnlyList<CellKey>? cells)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(fx);
        if (settings.Current is not { } text)
        {
            return;
        }

        if (!CurrentSetup.TryParse(text, fx, out var current, out var error))
        {
            throw new PricingException(error);
        }

        if (current.Selector is not null && cells is not null && !current.MatchCell(cells, out _, out error))
        {
            throw new PricingException(error);
        }
    }

    /// <summary><see cref="CheckCurrent(ReportSettings, IReadOnlyList{FxRate}, IReadOnlyList{CellKey})"/> against a
    /// run's plan: <c>bench run</c> checks <c>--current</c> before anything is sent.</summary>
    /// <exception cref="PricingException">It does not parse or names no cell (or several) of the plan.</exception>
    public static void CheckCurrent(ReportSettings settings, Core.Planning.Plan plan)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(plan);
        CheckCurrent(settings, RunReport.ParseSettings(settings).Fx, KeysOf(plan.Cells));
    }

    /// <summary>The planned cells as cell keys.</summary>
    public static IReadOnlyList<CellKey> KeysOf(IEnumerable<Core.Planning.PlanCell> cells) =>
        [.. cells.Select(c => new CellKey(c.Target, c.Model, c.Mode, c.Policy))];

    /// <summary>The most requests a month a projection takes (<c>--monthly-requests</c>): 10^12.</summary>
    public const decimal MaxMonthlyRequests = 1_000_000_000_000m;

    /// <summary>The largest exchange rate (<c>--fx</c>), in units per USD: 10^9.</summary>
    public const decimal MaxUnitsPerUsd = 1_000_000_000m;

    /// <summary>Bounds that keep every projected amount inside exact decimal money (about 7.9 × 10^28): 10^12
    /// requests of up to ~2 × 10^9 tokens at $1,000 per 1M tokens is ~2 × 10^18 USD, times 10^9 is still far inside.
    /// Past them the report would overflow after the run, losing it.</summary>
    /// <exception cref="PricingException">A bound is exceeded (each named).</exception>
    private static void CheckBounds(ReportSettings settings, IReadOnlyList<FxRate> fx)
    {
        var errors = new List<string>();
        if (settings.MonthlyRequests > MaxMonthlyRequests)
        {
            errors.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"--monthly-requests {settings.MonthlyRequests}: at most {MaxMonthlyRequests:0} (10^12) requests a month; larger projections overflow exact money."));
        }

        errors.AddRange(fx.Where(r => r.UnitsPerUsd > MaxUnitsPerUsd).Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"--fx {r}: at most {MaxUnitsPerUsd:0} (10^9) units per USD; larger rates overflow exact money.")));
        if (errors.Count > 0)
        {
            throw new PricingException(errors);
        }
    }
}
