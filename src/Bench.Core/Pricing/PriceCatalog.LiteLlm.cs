using System.Globalization;
using System.Text.Json;

namespace Bench.Core.Pricing;

public sealed partial class PriceCatalog
{
    /// <summary>Commit of Wei-Shaw/model-price-repo the vendored LiteLLM file was copied from (see Pricing/Data/README.md).</summary>
    public const string LiteLlmCommit = "f9ff14734f6203c490573cb1e2ae8fdac7a52a41";

    /// <summary>Name of the embedded resource holding the vendored LiteLLM catalogue.</summary>
    internal const string LiteLlmResourceName = "Bench.Core.Pricing.Data.litellm-model-prices.json";

    private const string LiteLlmFileName = "LiteLLM model_prices_and_context_window.json";

    private static readonly Lazy<PriceCatalog> VendoredLiteLlm = new(LoadVendoredLiteLlm);

    /// <summary>
    /// The LiteLLM catalogue vendored in this assembly (BerriAI/litellm's <c>model_prices_and_context_window.json</c>
    /// as filtered by Wei-Shaw/model-price-repo, MIT, commit <see cref="LiteLlmCommit"/>). Parsed on first use.
    /// </summary>
    public static PriceCatalog LiteLlm => VendoredLiteLlm.Value;

    /// <summary>
    /// Reads a catalogue in LiteLLM's <c>model_prices_and_context_window.json</c> format from a file.
    /// See <see cref="LoadLiteLlm(Stream, string)"/> for what is read.
    /// </summary>
    public static PriceCatalog LoadLiteLlm(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return LoadLiteLlm(stream, $"{LiteLlmFileName} ({path})");
    }

    /// <summary>
    /// Reads a catalogue in LiteLLM's format: a JSON object whose keys are model ids and whose values hold USD per
    /// token in <c>input_cost_per_token</c>, <c>output_cost_per_token</c>, <c>cache_read_input_token_cost</c>,
    /// <c>cache_creation_input_token_cost</c> (the 5-minute cache write), <c>input_cost_per_token_batches</c> and <c>output_cost_per_token_batches</c>.
    /// </summary>
    /// <remarks>
    /// Each number is parsed from its JSON text as a <see cref="decimal"/> and multiplied by 1,000,000, so
    /// <c>2.8e-07</c> becomes exactly 0.28 USD per 1M tokens (no binary floating point on the way). Skipped: entries
    /// without both an input and an output price; entries whose input and output prices are both 0 (LiteLLM's
    /// placeholder for unknown prices: a model is never priced at zero by accident); entries with a negative or
    /// non-numeric price. A batch price is kept only when both batch prices are given. Tiered (<c>_above_200k_tokens</c>),
    /// priority, flex, 1-hour cache-write (<c>cache_creation_input_token_cost_above_1hr</c>), audio and image prices are not read. Throws <see cref="JsonException"/> when the
    /// document is not a JSON object.
    /// </remarks>
    /// <param name="utf8Json">The catalogue, UTF-8 JSON.</param>
    /// <param name="sourceName">What the catalogue is, for <see cref="ModelPrice.Source"/> and messages; say which
    /// copy (commit, date) when you know it.</param>
    public static PriceCatalog LoadLiteLlm(Stream utf8Json, string sourceName = LiteLlmFileName)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        using var document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { AllowTrailingCommas = true });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{sourceName}: expected a JSON object of model entries, got {document.RootElement.ValueKind}.");
        }

        var prices = new List<ModelPrice>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.Object && TryReadLiteLlmEntry(entry, sourceName, out var price))
            {
                prices.Add(price);
            }
        }

        return new PriceCatalog([CatalogLayer.Create(sourceName, prices, duplicateIsError: false)]);
    }

    /// <summary>Converts a JSON number's text from USD per token to USD per 1M tokens, exactly.</summary>
    /// <returns>False when the text is not a decimal number in range.</returns>
    internal static bool TryParseUsdPerTokenAsPerMillion(string numberText, out decimal usdPerMillionTokens)
    {
        if (decimal.TryParse(numberText, NumberStyles.Float, CultureInfo.InvariantCulture, out var usdPerToken))
        {
            try
            {
                usdPerMillionTokens = usdPerToken * CostModel.TokensPerMillion;
                return true;
            }
            catch (OverflowException)
            {
            }
        }

        usdPerMillionTokens = 0m;
        return false;
    }

    private static bool TryReadLiteLlmEntry(JsonProperty entry, string sourceName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelPrice? price)
    {
        price = null;
        var fields = entry.Value;
        if (ReadPerMillion(fields, "input_cost_per_token") is not { } input
            || ReadPerMillion(fields, "output_cost_per_token") is not { } output
            || (input == 0m && output == 0m))
        {
            return false;
        }

        var cached = ReadPerMillion(fields, "cache_read_input_token_cost");
        var cacheWrite = ReadPerMillion(fields, "cache_creation_input_token_cost");
        var batchInput = ReadPerMillion(fields, "input_cost_per_token_batches");
        var batchOutput = ReadPerMillion(fields, "output_cost_per_token_batches");
        if (batchInput is null || batchOutput is null)
        {
            batchInput = batchOutput = null;
        }

        if (input < 0 || output < 0 || cached < 0 || cacheWrite < 0 || batchInput < 0 || batchOutput < 0
            || string.IsNullOrWhiteSpace(entry.Name))
        {
            return false;
        }

        price = new ModelPrice(entry.Name, input, cached, output, batchInput, batchOutput, $"{sourceName}: key '{entry.Name}'",
            usdPerMillionCacheWriteInputTokens: cacheWrite);
        return true;
    }

    private static decimal? ReadPerMillion(JsonElement fields, string name) =>
        fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && TryParseUsdPerTokenAsPerMillion(value.GetRawText(), out var perMillion)
            ? perMillion
            : null;

    private static PriceCatalog LoadVendoredLiteLlm()
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream(LiteLlmResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{LiteLlmResourceName}' is missing from Bench.Core.");
        return LoadLiteLlm(stream, $"{LiteLlmFileName} (vendored, commit {LiteLlmCommit})");
    }
}
