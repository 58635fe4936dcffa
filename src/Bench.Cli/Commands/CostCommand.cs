using System.CommandLine;
using Bench.Cli.Options;
using Bench.Core.Pricing;
using Bench.Harness.Cost;

namespace Bench.Cli.Commands;

/// <summary><c>bench cost</c>: binds the flags to a <see cref="CostRequest"/> and calls <see cref="CostHarness.Price"/>.</summary>
internal static class CostCommand
{
    private static readonly Dictionary<string, CostCatalog> Catalogs = new(StringComparer.Ordinal)
    {
        ["builtin+litellm"] = CostCatalog.BuiltInThenLiteLlm,
        ["builtin"] = CostCatalog.BuiltIn,
        ["litellm"] = CostCatalog.LiteLlm,
    };

    public static Command Create()
    {
        var models = SharedOptions.Models("Models to price, each for the whole volume (one budget each). "
            + "Aliases and provider prefixes are understood (deepseek-chat, openai/gpt-4.1).");
        var mix = SharedOptions.Mix();
        var inputTokens = SharedOptions.Quantity("--input-tokens", "Prompt tokens per month, cached ones included (as usage.prompt_tokens): 10M, 2.5k, 1B, 1,000,000.");
        var outputTokens = SharedOptions.Quantity("--output-tokens", "Completion tokens per month, reasoning included.");
        var cachedTokens = SharedOptions.Quantity("--cached-tokens", "The part of --input-tokens read from the prompt cache, per month.");
        var cacheWriteTokens = SharedOptions.Quantity("--cache-write-tokens", "The part of --input-tokens written to the prompt cache, per month (Anthropic cache_creation_input_tokens; priced at the cache-write price, or the input price when the catalogue has none).");
        var requests = SharedOptions.Quantity("--requests", "Requests per month; with the --*-per-request means instead of monthly totals.");
        var inputPerRequest = SharedOptions.Quantity("--input-tokens-per-request", "Mean prompt tokens per request (cached included), with --requests.");
        var outputPerRequest = SharedOptions.Quantity("--output-tokens-per-request", "Mean completion tokens per request, with --requests.");
        var cachedPerRequest = SharedOptions.Quantity("--cached-tokens-per-request", "Mean cached prompt tokens per request, with --requests.");
        var cacheWritePerRequest = SharedOptions.Quantity("--cache-write-tokens-per-request", "Mean prompt tokens written to the prompt cache per request, with --requests.");
        var batch = new Option<bool>("--batch") { Description = "Price the --models budgets at Batch API prices (mix shares use their own MODE)." };
        var batchFallback = new Option<string>("--batch-fallback")
        {
            Description = "When a model has no Batch API price: 'error' (default) refuses; 'standard' uses standard prices and says so.",
            DefaultValueFactory = _ => "error",
            HelpName = "error|standard",
        };
        batchFallback.AcceptOnlyFromAmong("error", "standard");
        var fx = SharedOptions.Fx();
        var prices = SharedOptions.Prices();
        var catalog = new Option<string>("--catalog")
        {
            Description = "Which catalogue to price from: 'builtin' (article prices, SEED-FIGURES.md), 'litellm' (vendored "
                + "LiteLLM catalogue) or 'builtin+litellm' (default: built-in first, LiteLLM for the rest).",
            DefaultValueFactory = _ => "builtin+litellm",
            HelpName = "builtin|litellm|builtin+litellm",
        };
        catalog.AcceptOnlyFromAmong([.. Catalogs.Keys]);
        var json = new Option<bool>("--json") { Description = "Write one JSON object (exact amounts, per budget line items, currencies, savings, price sources)." };

        var command = new Command("cost", "Price a monthly token volume on models or model mixes, in USD and other currencies. "
            + "Exit codes: 0 priced, 2 invalid command line or cannot price (unknown model, missing batch price, bad price file).")
        {
            models, mix, inputTokens, outputTokens, cachedTokens, cacheWriteTokens, requests, inputPerRequest, outputPerRequest, cachedPerRequest,
            cacheWritePerRequest,
            batch, batchFallback, fx, prices, catalog, json,
        };
        command.SetAction(parse => CostHarness.Price(
            new CostRequest
            {
                InputTokens = parse.GetValue(inputTokens),
                OutputTokens = parse.GetValue(outputTokens),
                CachedTokens = parse.GetValue(cachedTokens),
                CacheWriteTokens = parse.GetValue(cacheWriteTokens),
                Requests = parse.GetValue(requests),
                InputTokensPerRequest = parse.GetValue(inputPerRequest),
                OutputTokensPerRequest = parse.GetValue(outputPerRequest),
                CachedTokensPerRequest = parse.GetValue(cachedPerRequest),
                CacheWriteTokensPerRequest = parse.GetValue(cacheWritePerRequest),
                Models = parse.GetValue(models) ?? [],
                Mixes = parse.GetValue(mix) ?? [],
                Batch = parse.GetValue(batch),
                BatchFallback = parse.GetValue(batchFallback) == "standard" ? BatchPriceFallback.UseStandardPrices : BatchPriceFallback.Fail,
                Fx = parse.GetValue(fx) ?? [],
                PricesFile = parse.GetValue(prices),
                Catalog = Catalogs[parse.GetValue(catalog)!],
                Json = parse.GetValue(json),
            },
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }
}
