using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Report.Model;

namespace Bench.Report.Document;

public static partial class ReportDocumentBuilder
{
    /// <summary>Section id of "Prompt caching" (what the provider's prompt cache saved, per cell).</summary>
    public const string PromptCachingId = "prompt-caching";

    /// <summary>
    /// "Prompt caching": per cell, the share of its billed prompt tokens read from (and written to) the provider's cache
    /// and what that saved as paid, per 1,000 requests and per month at the stated volume; null when no cell was billed a
    /// cached or cache-write token (<see cref="RunReport.PromptCaching"/>).
    /// </summary>
    private static Section? PromptCachingSection(RunReport report)
    {
        if (report.PromptCaching is not { } caching)
        {
            return null;
        }

        var fx = report.Projection.Fx;
        var rows = caching.Cells.Select(c => Row(
        [
            .. Lead(report, c.Cell.Summary),
            c.CachedShare is { } cached ? SharePercent(cached) : "–",
            c.CacheWriteShare is { } written ? SharePercent(written) : "–",
            c.SavingUsdPer1kRequests is { } perThousand ? Usd(perThousand) : c.Cell.Cost.Unpriced is null ? "–" : "not priced",
            c.SavingUsdPerMonth is { } month ? Amount(month, fx) : "–",
            c.SavingPercent is { } percent ? percent.ToString("0.0", Inv) + " %" : "–",
        ]));
        var blocks = new List<Block>
        {
            Para("What the provider's prompt cache saved in each cell, from the tokens it billed: cached (cache-read) prompt tokens × "
                + "(input price − cached-input price) − cache-write prompt tokens × (cache-write price − input price), as paid (the target's "
                + $"billing at its market rate); per 1,000 attempted requests and per month at {MonthlyVolume(caching.MonthlyRequests)} requests. "
                + "The last column is the saving as a share of what the cell would have cost with every prompt token at the input price. "
                + "A negative saving means cache writes cost more than the reads saved."),
            Table([.. LeadHeaders(report), "cached share of prompt", "cache-write share", "saving per 1k requests", "saving per month", "saving %"],
                LeadAlign(report) + "RRRRR", rows),
        };
        var substituted = caching.Cells
            .Where(c => c.Cell.Price is { } && c.Cell.Summary.BilledTokens.CachedTokens > 0)
            .Select(c => CostModel.Breakdown(0m, 0m, 0m, c.Cell.Price!, c.Cell.Cost.Tier, BatchPriceFallback.UseStandardPrices))
            .Where(b => b.CachedPricedAsInput)
            .Select(b => $"{b.Price.Model}: the catalogue gives no cached-input price{(b.Tier == PriceTier.Batch ? " at Batch API prices" : "")}, so its cached tokens are charged at the input price and no saving is claimed for them.")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (substituted.Count > 0)
        {
            blocks.Add(new BulletList([.. substituted.Select(note => (IReadOnlyList<Span>)[note])]));
        }

        return new Section(PromptCachingId, "Prompt caching", blocks);
    }

    private static string SharePercent(double share) => (share * 100).ToString("0.#", Inv) + " %";

    private static string MonthlyVolume(decimal requests) =>
        requests.ToString(requests == decimal.Truncate(requests) ? "N0" : "N2", Inv);
}
