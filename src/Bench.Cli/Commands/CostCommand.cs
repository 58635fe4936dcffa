using System.CommandLine;
using System.CommandLine.Parsing;
using Bench.Core.Configuration;
using Bench.Core.Pricing;

namespace Bench.Cli.Commands;

/// <summary>
/// <c>bench cost</c>: prices a monthly token volume on one or more models and/or a model mix, in USD and in any
/// currencies given, from the built-in, LiteLLM or a user's price catalogue. Parsing and printing only: the pricing is
/// <see cref="CostEstimate.Compute"/> in Bench.Core.
/// </summary>
/// <remarks>
/// Exit codes: 0 priced; 1 invalid command line (bad size, bad share, missing volume...); 2 cannot price (unknown
/// model, missing Batch API price, invalid price file), with every problem listed on standard error.
/// </remarks>
internal static class CostCommand
{
    /// <summary>Exit code when the command line is valid but something cannot be priced.</summary>
    public const int CannotPriceExitCode = 2;

    /// <summary>Exit code for an invalid command line.</summary>
    public const int UsageExitCode = 1;

    private const string CatalogBuiltIn = "builtin";
    private const string CatalogLiteLlm = "litellm";
    private const string CatalogBoth = "builtin+litellm";

    /// <summary>Builds the <c>cost</c> command.</summary>
    public static Command Create()
    {
        var model = new Option<string[]>("--model", "-m")
        {
            Description = "Model to price for the whole volume; repeat to compare models (one budget each). "
                + "Aliases and provider prefixes are understood (deepseek-chat, openai/gpt-4.1).",
            HelpName = "MODEL",
        };
        var mix = new Option<MixShare[]>("--mix")
        {
            Description = "A share of a model mix priced as one budget: MODEL[:MODE]=PERCENT, MODE one of non-streaming, "
                + "streaming (standard prices) or batch-api (batch prices); repeat for each share; shares must sum to 100%. "
                + "Example: --mix gpt-4.1:streaming=30% --mix deepseek-v3.2:non-streaming=70%",
            HelpName = "SHARE",
            CustomParser = ParseShares,
        };
        var inputTokens = TokenOption("--input-tokens", "Prompt tokens per month, cached ones included (as usage.prompt_tokens): 10M, 2.5k, 1B, 1,000,000.");
        var outputTokens = TokenOption("--output-tokens", "Completion tokens per month, reasoning included.");
        var cachedTokens = TokenOption("--cached-tokens", "The part of --input-tokens read from the prompt cache, per month.");
        var requests = TokenOption("--requests", "Requests per month; with the --*-per-request means instead of monthly totals.");
        var inputPerRequest = TokenOption("--input-tokens-per-request", "Mean prompt tokens per request (cached included), with --requests.");
        var outputPerRequest = TokenOption("--output-tokens-per-request", "Mean completion tokens per request, with --requests.");
        var cachedPerRequest = TokenOption("--cached-tokens-per-request", "Mean cached prompt tokens per request, with --requests.");
        var batch = new Option<bool>("--batch")
        {
            Description = "Price the --model budgets at Batch API prices (mix shares use their own MODE).",
        };
        var batchFallback = new Option<string>("--batch-fallback")
        {
            Description = "When a model has no Batch API price: 'error' (default) refuses; 'standard' uses standard prices and says so.",
            DefaultValueFactory = _ => "error",
            HelpName = "error|standard",
        };
        batchFallback.AcceptOnlyFromAmong("error", "standard");
        var fx = new Option<FxRate[]>("--fx")
        {
            Description = "An exchange rate LABEL=UNITS_PER_USD (CNY=7.3, CNY-relay=1.0); repeatable. Amounts are shown in each; "
                + "two rates of one currency also show the saving.",
            HelpName = "LABEL=RATE",
            CustomParser = ParseRates,
        };
        var prices = new Option<string>("--prices")
        {
            Description = "A price file of your own ({\"models\": [{\"model\", \"aliases\", \"input\", \"cached_input\", \"output\", "
                + "\"batch_input\", \"batch_output\", \"source\"}]}, USD per 1M tokens); it takes precedence over the catalogue.",
            HelpName = "FILE",
        };
        var catalog = new Option<string>("--catalog")
        {
            Description = "Which catalogue to price from: 'builtin' (article prices, SEED-FIGURES.md), 'litellm' (vendored "
                + "LiteLLM catalogue) or 'builtin+litellm' (default: built-in first, LiteLLM for the rest).",
            DefaultValueFactory = _ => CatalogBoth,
            HelpName = "builtin|litellm|builtin+litellm",
        };
        catalog.AcceptOnlyFromAmong(CatalogBuiltIn, CatalogLiteLlm, CatalogBoth);
        var json = new Option<bool>("--json")
        {
            Description = "Write one JSON object (exact amounts, per budget line items, currencies, savings, price sources).",
        };

        var command = new Command("cost", "Price a monthly token volume on models or a model mix, in USD and other currencies. "
            + "Exit codes: 0 priced, 1 invalid command line, 2 cannot price (unknown model, missing batch price, bad price file).");
        foreach (var option in new Option[]
        {
            model, mix, inputTokens, outputTokens, cachedTokens, requests, inputPerRequest, outputPerRequest, cachedPerRequest,
            batch, batchFallback, fx, prices, catalog, json,
        })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var volume = ReadVolume(parseResult, inputTokens, outputTokens, cachedTokens, requests, inputPerRequest,
                    outputPerRequest, cachedPerRequest);
                var shares = parseResult.GetValue(mix) ?? [];
                var request = new CostEstimateRequest
                {
                    Volume = volume,
                    Models = parseResult.GetValue(model) ?? [],
                    ModelTier = parseResult.GetValue(batch) ? PriceTier.Batch : PriceTier.Standard,
                    Mix = shares.Length > 0 ? ModelMix.Create(shares) : null,
                    FxRates = parseResult.GetValue(fx) ?? [],
                    BatchFallback = parseResult.GetValue(batchFallback) == "standard"
                        ? BatchPriceFallback.UseStandardPrices
                        : BatchPriceFallback.Fail,
                };
                if (request.Models.Count == 0 && request.Mix is null)
                {
                    throw new ArgumentException("Give at least one --model or a --mix.");
                }

                var priceCatalog = LoadCatalog(parseResult.GetValue(catalog) ?? CatalogBoth, parseResult.GetValue(prices));
                var estimate = CostEstimate.Compute(request, priceCatalog);
                output.Write(parseResult.GetValue(json) ? CostEstimateJson.ToJson(estimate) + "\n" : CostEstimateText.Format(estimate));
                return 0;
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"bench cost: {e.Message}");
                return UsageExitCode;
            }
            catch (Exception e) when (e is PricingException or ConfigException)
            {
                error.WriteLine($"bench cost: cannot price:{Environment.NewLine}{e.Message}");
                return CannotPriceExitCode;
            }
        });

        return command;
    }

    private static Option<decimal?> TokenOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (TokenQuantity.TryParse(text, out var tokens, out var error))
            {
                return tokens;
            }

            result.AddError($"{name}: {error}");
            return null;
        },
    };

    private static MixShare[] ParseShares(ArgumentResult result)
    {
        var shares = new List<MixShare>();
        foreach (var token in result.Tokens)
        {
            if (MixShare.TryParse(token.Value, out var share, out var error))
            {
                shares.Add(share);
            }
            else
            {
                result.AddError($"--mix: {error}");
            }
        }

        return [.. shares];
    }

    private static FxRate[] ParseRates(ArgumentResult result)
    {
        var rates = new List<FxRate>();
        foreach (var token in result.Tokens)
        {
            if (FxRate.TryParse(token.Value, out var rate, out var error))
            {
                rates.Add(rate);
            }
            else
            {
                result.AddError($"--fx: {error}");
            }
        }

        return [.. rates];
    }

    private static MonthlyTokens ReadVolume(
        ParseResult parseResult,
        Option<decimal?> inputTokens,
        Option<decimal?> outputTokens,
        Option<decimal?> cachedTokens,
        Option<decimal?> requests,
        Option<decimal?> inputPerRequest,
        Option<decimal?> outputPerRequest,
        Option<decimal?> cachedPerRequest)
    {
        var totals = (Input: parseResult.GetValue(inputTokens), Output: parseResult.GetValue(outputTokens), Cached: parseResult.GetValue(cachedTokens));
        var perRequest = (Input: parseResult.GetValue(inputPerRequest), Output: parseResult.GetValue(outputPerRequest), Cached: parseResult.GetValue(cachedPerRequest));
        var requestCount = parseResult.GetValue(requests);
        var anyTotal = totals.Input.HasValue || totals.Output.HasValue || totals.Cached.HasValue;
        var anyPerRequest = perRequest.Input.HasValue || perRequest.Output.HasValue || perRequest.Cached.HasValue;
        if (anyTotal && (anyPerRequest || requestCount.HasValue))
        {
            throw new ArgumentException("Give monthly totals (--input-tokens, --output-tokens, --cached-tokens) or --requests with "
                + "per-request means (--input-tokens-per-request, ...), not both.");
        }

        if (requestCount is { } count)
        {
            if (!perRequest.Input.HasValue && !perRequest.Output.HasValue)
            {
                throw new ArgumentException("--requests needs --input-tokens-per-request and/or --output-tokens-per-request.");
            }

            return MonthlyTokens.FromRequests(count, perRequest.Input ?? 0m, perRequest.Output ?? 0m, perRequest.Cached ?? 0m);
        }

        if (anyPerRequest)
        {
            throw new ArgumentException("The --*-per-request means need --requests (requests per month).");
        }

        if (!totals.Input.HasValue && !totals.Output.HasValue)
        {
            throw new ArgumentException("Give the monthly volume: --input-tokens and/or --output-tokens (e.g. --output-tokens 10M), "
                + "or --requests with per-request means.");
        }

        return MonthlyTokens.FromTotals(totals.Input ?? 0m, totals.Output ?? 0m, totals.Cached ?? 0m);
    }

    private static PriceCatalog LoadCatalog(string which, string? pricesFile)
    {
        var catalog = which switch
        {
            CatalogBuiltIn => PriceCatalog.BuiltIn,
            CatalogLiteLlm => PriceCatalog.LiteLlm,
            _ => PriceCatalog.Default,
        };
        return pricesFile is null ? catalog : catalog.WithOverrides(PriceCatalog.LoadUserFile(pricesFile));
    }
}
