using System.Globalization;
using Bench.Core.Configuration;
using Bench.Core.Pricing;
using Bench.Report.Cost;

namespace Bench.Harness.Cost;

/// <summary><c>bench cost</c>: prices a monthly token volume on models and/or model mixes, in USD and any currencies
/// given. The pricing is <see cref="CostEstimate.Compute"/> (Core); the text and JSON are Bench.Report's.</summary>
public static class CostHarness
{
    /// <summary>Prices <paramref name="request"/> and writes the estimate to <paramref name="output"/>.</summary>
    /// <returns><see cref="ExitCodes.Success"/>, or <see cref="ExitCodes.BadInput"/> for an incomplete volume, nothing
    /// to price, or something that cannot be priced (unknown model, missing Batch API price, invalid price file), with
    /// every problem on <paramref name="error"/>.</returns>
    public static int Price(CostRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var volume = Volume(request);
            if (request.Models.Count == 0 && request.Mixes.Count == 0)
            {
                throw new ArgumentException("Give at least one --models or a --mix.");
            }

            var estimateRequest = new CostEstimateRequest
            {
                Volume = volume,
                Models = request.Models,
                ModelTier = request.Batch ? PriceTier.Batch : PriceTier.Standard,
                Mixes = request.Mixes,
                FxRates = request.Fx,
                BatchFallback = request.BatchFallback,
            };
            string text;
            try
            {
                // Amounts are computed as they are formatted: the whole text is built before anything is written.
                var estimate = CostEstimate.Compute(estimateRequest, Catalog(request));
                text = request.Json ? CostEstimateJson.ToJson(estimate) + "\n" : CostEstimateText.Format(estimate);
            }
            catch (OverflowException)
            {
                // Every amount is an exact decimal (at most ~7.9e28): a volume within MaxTokens cannot overflow it
                // alone, so the prices or the exchange rates are too large.
                throw new ArgumentException(TooLarge(request));
            }

            output.Write(text);
            return ExitCodes.Success;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"bench cost: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is PricingException or ConfigException)
        {
            error.WriteLine($"bench cost: cannot price:{Environment.NewLine}{e.Message}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>The most tokens a month a volume may hold (10^18, a million times the largest provider's): amounts
    /// stay far inside exact decimal arithmetic (about 7.9 × 10^28) whatever realistic prices and rates.</summary>
    public const decimal MaxTokens = 1_000_000_000_000_000_000m;

    private static string TooLarge(CostRequest r)
    {
        var largestFx = r.Fx.OrderByDescending(f => f.UnitsPerUsd).FirstOrDefault();
        return "the amounts are too large to compute exactly (money is an exact decimal, at most about 7.9e28): lower "
            + (largestFx is null ? "" : string.Create(CultureInfo.InvariantCulture, $"the --fx rate (largest: {largestFx.Label}={largestFx.UnitsPerUsd}), "))
            + (r.PricesFile is null ? "" : $"the prices in --prices {r.PricesFile}, ")
            + "or the volume.";
    }

    private static void CheckTokens(string flag, decimal? value)
    {
        if (value > MaxTokens)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{flag}: {value:G} is more than {MaxTokens:0} (10^18) tokens a month; a million times the largest provider's volume is a typo."));
        }
    }

    /// <summary>The monthly volume: totals, or requests × per-request means (never both).</summary>
    /// <exception cref="ArgumentException">The volume is missing or mixes both forms.</exception>
    private static MonthlyTokens Volume(CostRequest r)
    {
        CheckTokens("--input-tokens", r.InputTokens);
        CheckTokens("--output-tokens", r.OutputTokens);
        CheckTokens("--cached-tokens", r.CachedTokens);
        CheckTokens("--cache-write-tokens", r.CacheWriteTokens);
        CheckTokens("--requests", r.Requests);
        CheckTokens("--input-tokens-per-request", r.InputTokensPerRequest);
        CheckTokens("--output-tokens-per-request", r.OutputTokensPerRequest);
        CheckTokens("--cached-tokens-per-request", r.CachedTokensPerRequest);
        CheckTokens("--cache-write-tokens-per-request", r.CacheWriteTokensPerRequest);
        var anyTotal = r.InputTokens.HasValue || r.OutputTokens.HasValue || r.CachedTokens.HasValue || r.CacheWriteTokens.HasValue;
        var anyPerRequest = r.InputTokensPerRequest.HasValue || r.OutputTokensPerRequest.HasValue || r.CachedTokensPerRequest.HasValue || r.CacheWriteTokensPerRequest.HasValue;
        if (anyTotal && (anyPerRequest || r.Requests.HasValue))
        {
            throw new ArgumentException("Give monthly totals (--input-tokens, --output-tokens, --cached-tokens, --cache-write-tokens) or --requests with "
                + "per-request means (--input-tokens-per-request, ...), not both.");
        }

        if (r.Requests is { } count)
        {
            if (!r.InputTokensPerRequest.HasValue && !r.OutputTokensPerRequest.HasValue)
            {
                throw new ArgumentException("--requests needs --input-tokens-per-request and/or --output-tokens-per-request.");
            }

            // Each factor is at most 10^18, so the product fits a double's range (not a decimal's): check before multiplying.
            CheckTokens("--requests × --input-tokens-per-request", TotalOrNull(count, r.InputTokensPerRequest));
            CheckTokens("--requests × --output-tokens-per-request", TotalOrNull(count, r.OutputTokensPerRequest));
            return MonthlyTokens.FromRequests(count, r.InputTokensPerRequest ?? 0m, r.OutputTokensPerRequest ?? 0m, r.CachedTokensPerRequest ?? 0m, r.CacheWriteTokensPerRequest ?? 0m);
        }

        if (anyPerRequest)
        {
            throw new ArgumentException("The --*-per-request means need --requests (requests per month).");
        }

        if (!r.InputTokens.HasValue && !r.OutputTokens.HasValue)
        {
            throw new ArgumentException("Give the monthly volume: --input-tokens and/or --output-tokens (e.g. --output-tokens 10M), "
                + "or --requests with per-request means.");
        }

        return MonthlyTokens.FromTotals(r.InputTokens ?? 0m, r.OutputTokens ?? 0m, r.CachedTokens ?? 0m, r.CacheWriteTokens ?? 0m);
    }

    /// <summary><paramref name="requests"/> × <paramref name="perRequest"/>, or a value past <see cref="MaxTokens"/>
    /// when the product would be (compared in <see cref="double"/>, which cannot overflow here).</summary>
    private static decimal? TotalOrNull(decimal requests, decimal? perRequest) =>
        perRequest is not { } mean ? null
        : (double)requests * (double)mean > (double)MaxTokens ? decimal.MaxValue
        : requests * mean;

    private static PriceCatalog Catalog(CostRequest request)
    {
        var catalog = request.Catalog switch
        {
            CostCatalog.BuiltIn => PriceCatalog.BuiltIn,
            CostCatalog.LiteLlm => PriceCatalog.LiteLlm,
            _ => PriceCatalog.Default,
        };
        return request.PricesFile is null ? catalog : catalog.WithOverrides(PriceCatalog.LoadUserFile(request.PricesFile));
    }
}
