using System.ComponentModel.DataAnnotations;
using Bench.Core.Configuration;

namespace Bench.Core.Pricing;

public sealed partial class PriceCatalog
{
    /// <summary>
    /// Reads a user's price file (prices in USD per 1M tokens; <c>scenarios/prices.schema.json</c> describes it):
    /// <code>
    /// { "models": [ { "model": "deepseek-v3.2", "aliases": ["deepseek-chat"], "input": 0.27, "cached_input": null,
    ///                 "cache_write_input": null, "output": 0.42, "batch_input": null, "batch_output": null, "source": "relay price page, 2025-11" } ] }
    /// </code>
    /// </summary>
    /// <remarks>
    /// <para>The fields are <see cref="PriceFileEntry"/>'s: <c>model</c>, <c>input</c> and <c>output</c> are required;
    /// <c>aliases</c>, <c>cached_input</c>, <c>cache_write_input</c>, <c>batch_input</c>/<c>batch_output</c> (both or neither) and <c>source</c>
    /// are optional (<c>source</c> defaults to "user price file &lt;path&gt;"). Prices are numbers ≥ 0, read exactly as
    /// decimals. Unknown fields are errors (a misspelt <c>ouput</c> must not silently leave a price out), and so are
    /// two entries sharing a name or alias.</para>
    /// <para>Every problem is reported at once in a <see cref="ConfigException"/>, each with the file, the JSON path
    /// (<c>$.models[1].output</c>) and the reason.</para>
    /// </remarks>
    /// <exception cref="ConfigException">The file cannot be read, is not JSON, or has invalid entries (all listed).</exception>
    public static PriceCatalog LoadUserFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return FromFile(ConfigReader.Load<PriceFile>(path), path);
    }

    /// <summary>Reads a user's price file from a stream; <paramref name="fileName"/> names it in sources and errors.
    /// See <see cref="LoadUserFile(string)"/>.</summary>
    /// <exception cref="ConfigException">The text is not JSON or has invalid entries (all listed).</exception>
    public static PriceCatalog LoadUserFile(Stream utf8Json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        return FromFile(ConfigReader.Read<PriceFile>(utf8Json, fileName), fileName);
    }

    private static PriceCatalog FromFile(PriceFile file, string fileName) => Create(
        fileName,
        file.Models.Select(e => new ModelPrice(e.Model, e.Input, e.CachedInput, e.Output, e.BatchInput, e.BatchOutput,
            e.Source?.Trim() ?? $"user price file {fileName}", e.Aliases, e.CacheWriteInput)));
}

/// <summary>A user's price file: <c>{ "models": [ … ] }</c>.</summary>
internal sealed class PriceFile : IConfigValidatable
{
    /// <summary>The entries, one per model.</summary>
    [Required]
    public List<PriceFileEntry> Models { get; set; } = [];

    /// <summary>No two entries share a name or alias (compared as <see cref="ModelNames.Normalize"/> does).</summary>
    public void Validate(ConfigValidation validation)
    {
        var claimedBy = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Models.Count; i++)
        {
            var entry = validation.Item(nameof(Models), i);
            var names = new[] { Models[i].Model }.Concat(Models[i].Aliases)
                .Where(n => !string.IsNullOrWhiteSpace(n))
                .Select(n => ModelNames.Normalize(n.Trim()))
                .Distinct();
            foreach (var name in names)
            {
                if (!claimedBy.TryAdd(name, entry.Path))
                {
                    entry.Error($"name or alias '{name}' is already used by {claimedBy[name]}");
                }
            }
        }
    }
}

/// <summary>One model's prices in a user's price file, USD per 1M tokens (see <see cref="ModelPrice"/>).</summary>
internal sealed class PriceFileEntry : IConfigValidatable
{
    private const string Price = "must be ≥ 0 (USD per 1M tokens)";
    private const string DecimalMax = "79228162514264337593543950335";

    /// <summary>Canonical model id.</summary>
    [Required(ErrorMessage = "must be a non-empty string")]
    public string Model { get; set; } = "";

    /// <summary>Other names the model is requested by.</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary><see cref="ModelPrice.UsdPerMillionInputTokens"/>.</summary>
    [Required]
    [Range(typeof(decimal), "0", DecimalMax, ErrorMessage = Price)]
    public decimal Input { get; set; }

    /// <summary><see cref="ModelPrice.UsdPerMillionCachedInputTokens"/>.</summary>
    [Range(typeof(decimal), "0", DecimalMax, ErrorMessage = Price)]
    public decimal? CachedInput { get; set; }

    /// <summary><see cref="ModelPrice.UsdPerMillionCacheWriteInputTokens"/>.</summary>
    [Range(typeof(decimal), "0", DecimalMax, ErrorMessage = Price)]
    public decimal? CacheWriteInput { get; set; }

    /// <summary><see cref="ModelPrice.UsdPerMillionOutputTokens"/>.</summary>
    [Required]
    [Range(typeof(decimal), "0", DecimalMax, ErrorMessage = Price)]
    public decimal Output { get; set; }

    /// <summary><see cref="ModelPrice.UsdPerMillionBatchInputTokens"/>; given with <see cref="BatchOutput"/>.</summary>
    [Range(typeof(decimal), "0", DecimalMax, ErrorMessage = Price)]
    public decimal? BatchInput { get; set; }

    /// <summary><see cref="ModelPrice.UsdPerMillionBatchOutputTokens"/>; given with <see cref="BatchInput"/>.</summary>
    [Range(typeof(decimal), "0", DecimalMax, ErrorMessage = Price)]
    public decimal? BatchOutput { get; set; }

    /// <summary>Where the figures come from; default "user price file &lt;path&gt;".</summary>
    public string? Source { get; set; }

    /// <summary>Aliases and source are not blank; batch prices come in pairs.</summary>
    public void Validate(ConfigValidation validation)
    {
        for (var i = 0; i < Aliases.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Aliases[i]))
            {
                validation.Item(nameof(Aliases), i).Error("must be a non-empty string");
            }
        }

        if (Source is not null && string.IsNullOrWhiteSpace(Source))
        {
            validation.Error(nameof(Source), "must be a non-empty string");
        }

        if (BatchInput.HasValue != BatchOutput.HasValue)
        {
            var missing = BatchInput.HasValue ? nameof(BatchOutput) : nameof(BatchInput);
            validation.Error(missing, "is required when the other batch price is given (batch prices come in pairs)");
        }
    }
}
