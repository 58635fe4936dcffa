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
        RunReport.ParseSettings(settings);
        _ = Catalog(settings);
    }
}
