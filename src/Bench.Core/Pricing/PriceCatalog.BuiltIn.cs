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
    /// <item><term>claude-sonnet-4.5 (claude-sonnet-4-5, claude-sonnet-4-5-20250929)</term><description>3.00 / – / 15.00 / – / – (articles)</description></item>
    /// </list>
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
            "claude-sonnet-4.5", 3.00m, null, 15.00m, null, null,
            "SEED-FIGURES.md (articles) input 3.00/output 15.00; no cached or Batch API price",
            ModelNames.EquivalentsOf("claude-sonnet-4.5")),
    ]);

    private static readonly Lazy<PriceCatalog> DefaultCatalog = new(() => BuiltIn.WithFallback(LiteLlm));

    /// <summary>
    /// The catalogue <c>bench cost</c> uses by default: <see cref="BuiltIn"/>, then <see cref="LiteLlm"/> for models the
    /// built-in list does not have. Loaded on first use.
    /// </summary>
    public static PriceCatalog Default => DefaultCatalog.Value;
}
