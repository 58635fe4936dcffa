namespace Bench.Core.Pricing;

public sealed partial class PriceCatalog
{
    /// <summary>The name of the <see cref="BuiltIn"/> layer.</summary>
    public const string BuiltInName = "built-in (SEED-FIGURES.md)";

    /// <summary>
    /// The four models of SEED-FIGURES.md at the prices the articles quote (USD per 1M tokens), completed from the
    /// vendored LiteLLM catalogue only where that catalogue agrees with the articles:
    /// <list type="table">
    /// <listheader><term>model (aliases)</term><description>input / cached / output / batch input / batch output</description></listheader>
    /// <item><term>deepseek-v3.2 (deepseek-chat)</term><description>0.27 / – / 0.42 / – / – (articles; LiteLLM says
    /// 0.28 input, a different price list, so its cached price is not borrowed)</description></item>
    /// <item><term>gemini-2.5-flash</term><description>0.15 / – / 2.50 / – / – (articles; LiteLLM says 0.30 input)</description></item>
    /// <item><term>gpt-4.1</term><description>2.00 / 0.50 / 8.00 / 1.00 / 4.00 (articles input/output, which LiteLLM
    /// confirms; LiteLLM cached and batch)</description></item>
    /// <item><term>claude-sonnet-4.5 (claude-sonnet-4-5, claude-sonnet-4-5-20250929)</term><description>3.00 / 0.30 /
    /// 15.00 / – / –, cache write 3.75 (articles input/output, which LiteLLM confirms; LiteLLM cache read and
    /// write)</description></item>
    /// </list>
    /// and, for the anthropic-messages and gemini protocols, Anthropic's and Google's models at the vendored LiteLLM
    /// catalogue's figures (<see cref="LiteLlmCommit"/>, 2026-07-24), cache writes at Anthropic's 5-minute price (1.25 ×
    /// input) and cache reads at 0.1 × input, as Anthropic's pricing page states
    /// (https://docs.anthropic.com/en/docs/about-claude/pricing); Gemini at
    /// https://ai.google.dev/gemini-api/docs/pricing's ≤ 200k-token tier (Gemini 2.5 Pro's &gt; 200k-token tier — 2.50 /
    /// 0.25 / 15.00 — and context-cache storage per hour are not modelled):
    /// <list type="table">
    /// <listheader><term>model</term><description>input / cache read / cache write / output</description></listheader>
    /// <item><term>claude-sonnet-4.6</term><description>3.00 / 0.30 / 3.75 / 15.00</description></item>
    /// <item><term>claude-opus-4, claude-opus-4.1</term><description>15.00 / 1.50 / 18.75 / 75.00</description></item>
    /// <item><term>claude-opus-4.5, claude-opus-4.6</term><description>5.00 / 0.50 / 6.25 / 25.00</description></item>
    /// <item><term>claude-haiku-4.5</term><description>1.00 / 0.10 / 1.25 / 5.00</description></item>
    /// <item><term>gemini-2.5-pro</term><description>1.25 / 0.125 / – / 10.00</description></item>
    /// <item><term>gemini-2.0-flash</term><description>0.10 / 0.025 / – / 0.40</description></item>
    /// </list>
    /// Gemini has no cache-write price (implicit caching charges none; explicit caches bill storage per hour, not
    /// modelled). gemini-2.5-flash keeps the articles' 0.15 input (LiteLLM's 0.30 with cache read 0.03 is another price
    /// list and is not mixed in): its cached tokens are charged at its input price, flagged.
    /// A model without a cached price has its cached tokens charged at the input price (see <see cref="CostModel"/>);
    /// a model without batch prices cannot be priced for the Batch API unless the caller accepts standard prices.
    /// </summary>
    public static PriceCatalog BuiltIn { get; } = Create(BuiltInName,
    [
        new ModelPrice(
            "deepseek-v3.2", 0.27m, null, 0.42m, null, null,
            "SEED-FIGURES.md (articles) input 0.27/output 0.42; no cached or Batch API price "
            + "(LiteLLM's deepseek-chat is 0.28/0.42, cached 0.028: a different price list, not mixed in)",
            ModelNames.EquivalentsOf("deepseek-v3.2")),
        new ModelPrice(
            "gemini-2.5-flash", 0.15m, null, 2.50m, null, null,
            "SEED-FIGURES.md (articles) input 0.15/output 2.50; no cached or Batch API price "
            + "(LiteLLM lists input 0.30, cached 0.03: a different price list, not mixed in)",
            ModelNames.EquivalentsOf("gemini-2.5-flash")),
        new ModelPrice(
            "gpt-4.1", 2.00m, 0.50m, 8.00m, 1.00m, 4.00m,
            $"SEED-FIGURES.md (articles) input 2.00/output 8.00, which LiteLLM confirms; LiteLLM catalogue "
            + $"(vendored, commit {LiteLlmCommit}) cached input 0.50 and Batch API input 1.00/output 4.00",
            ModelNames.EquivalentsOf("gpt-4.1")),
        new ModelPrice(
            "claude-sonnet-4.5", 3.00m, 0.30m, 15.00m, null, null,
            $"SEED-FIGURES.md (articles) input 3.00/output 15.00, which LiteLLM confirms; cache read 0.30 and 5-minute cache "
            + $"write 3.75 from {Anthropic("claude-sonnet-4-5")}; no Batch API price",
            ModelNames.EquivalentsOf("claude-sonnet-4.5"), 3.75m),
        Claude("claude-sonnet-4.6", "claude-sonnet-4-6", 3.00m, 0.30m, 3.75m, 15.00m),
        Claude("claude-opus-4", "claude-opus-4-20250514", 15.00m, 1.50m, 18.75m, 75.00m),
        Claude("claude-opus-4.1", "claude-opus-4-1", 15.00m, 1.50m, 18.75m, 75.00m),
        Claude("claude-opus-4.5", "claude-opus-4-5", 5.00m, 0.50m, 6.25m, 25.00m),
        Claude("claude-opus-4.6", "claude-opus-4-6", 5.00m, 0.50m, 6.25m, 25.00m),
        Claude("claude-haiku-4.5", "claude-haiku-4-5", 1.00m, 0.10m, 1.25m, 5.00m),
        new ModelPrice(
            "gemini-2.5-pro", 1.25m, 0.125m, 10.00m, null, null,
            $"{Google("gemini-2.5-pro")} input 1.25/cached 0.125/output 10.00 for prompts ≤ 200k tokens; the > 200k-token "
            + "tier (2.50/0.25/15.00) is not modelled (a longer prompt is under-priced); no cache-write price (none on "
            + "the page; context-cache storage per hour not modelled); no Batch API price"),
        new ModelPrice(
            "gemini-2.0-flash", 0.10m, 0.025m, 0.40m, null, null,
            $"{Google("gemini-2.0-flash")} input 0.10/cached 0.025/output 0.40; no cache-write price (none on the page; "
            + "context-cache storage per hour not modelled); no Batch API price"),
    ]);

    private const string AnthropicPricingPage = "https://docs.anthropic.com/en/docs/about-claude/pricing";
    private const string GooglePricingPage = "https://ai.google.dev/gemini-api/docs/pricing";

    private static string Anthropic(string key) =>
        $"LiteLLM catalogue (vendored, commit {LiteLlmCommit}, 2026-07-24) key '{key}', LiteLLM's copy of {AnthropicPricingPage} "
        + "(not re-read here; its ratios hold: 5-minute cache write = 1.25 × input, cache read = 0.1 × input)";

    private static string Google(string key) =>
        $"LiteLLM catalogue (vendored, commit {LiteLlmCommit}, 2026-07-24) key '{key}', LiteLLM's copy of {GooglePricingPage} (not re-read here)";

    private static ModelPrice Claude(string model, string liteLlmKey, decimal input, decimal cacheRead, decimal cacheWrite, decimal output) =>
        new(model, input, cacheRead, output, null, null,
            FormattableString.Invariant($"{Anthropic(liteLlmKey)}: input {input}/cache read {cacheRead}/cache write {cacheWrite}/output {output}; ")
            + "no Batch API price in the catalogue (Anthropic's Message Batches discount is not modelled)",
            ModelNames.EquivalentsOf(model), cacheWrite);

    private static readonly Lazy<PriceCatalog> DefaultCatalog = new(() => BuiltIn.WithFallback(LiteLlm));

    /// <summary>
    /// The catalogue <c>bench cost</c> uses by default: <see cref="BuiltIn"/>, then <see cref="LiteLlm"/> for models the
    /// built-in list does not have. Loaded on first use.
    /// </summary>
    public static PriceCatalog Default => DefaultCatalog.Value;
}
