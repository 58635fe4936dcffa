using Bench.Core.Configuration;
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
    public static void Validate(ReportSettings settings)
    {
        var (fx, _) = RunReport.ParseSettings(settings);
        CheckBounds(settings, fx);
        _ = Catalog(settings);
    }

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
