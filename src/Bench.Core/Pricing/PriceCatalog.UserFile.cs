using System.Globalization;
using System.Text.Json;

namespace Bench.Core.Pricing;

public sealed partial class PriceCatalog
{
    private static readonly string[] UserEntryFields =
        ["model", "aliases", "input", "cached_input", "output", "batch_input", "batch_output", "source"];

    /// <summary>
    /// Reads a user's price file (prices in USD per 1M tokens):
    /// <code>
    /// { "models": [ { "model": "deepseek-v3.2", "aliases": ["deepseek-chat"], "input": 0.27, "cached_input": null,
    ///                 "output": 0.42, "batch_input": null, "batch_output": null, "source": "relay price page, 2025-11" } ] }
    /// </code>
    /// </summary>
    /// <remarks>
    /// <para><c>model</c>, <c>input</c> and <c>output</c> are required; <c>aliases</c>, <c>cached_input</c>,
    /// <c>batch_input</c>/<c>batch_output</c> (both or neither) and <c>source</c> are optional (<c>source</c> defaults
    /// to "user price file &lt;path&gt;"). Prices are numbers ≥ 0, read exactly as decimals. Unknown fields are errors
    /// (a misspelt <c>ouput</c> must not silently leave a price out), and so are two entries sharing a name or alias.</para>
    /// <para>Every problem is reported at once in a <see cref="PriceFileException"/>, each with the file, the JSON path
    /// (<c>$.models[1].output</c>) and the reason.</para>
    /// </remarks>
    public static PriceCatalog LoadUserFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Stream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PriceFileException([new PriceFileError(path, "$", $"cannot be read: {e.Message}")]);
        }

        using (stream)
        {
            return LoadUserFile(stream, path);
        }
    }

    /// <summary>Reads a user's price file from a stream; <paramref name="fileName"/> names it in sources and errors.
    /// See <see cref="LoadUserFile(string)"/>.</summary>
    public static PriceCatalog LoadUserFile(Stream utf8Json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, byte {e.BytePositionInLine + 1}")
                : "";
            throw new PriceFileException([new PriceFileError(fileName, e.Path ?? "$", $"is not valid JSON{where}")]);
        }

        using (document)
        {
            var reader = new UserFileReader(fileName);
            var prices = reader.Read(document.RootElement);
            if (reader.Errors.Count > 0)
            {
                throw new PriceFileException(reader.Errors);
            }

            return Create(fileName, prices);
        }
    }

    /// <summary>Walks a price file, collecting prices and every problem.</summary>
    private sealed class UserFileReader(string fileName)
    {
        public List<PriceFileError> Errors { get; } = [];

        public List<ModelPrice> Read(JsonElement root)
        {
            var prices = new List<ModelPrice>();
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", "must be an object with a \"models\" array");
                return prices;
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("models" or "$schema"))
                {
                    Error($"$.{property.Name}", "is not a known field (expected \"models\")");
                }
            }

            if (!root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                Error("$.models", "must be an array of model entries");
                return prices;
            }

            var claimedBy = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in models.EnumerateArray())
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"$.models[{index++}]");
                if (ReadEntry(item, path) is { } price)
                {
                    var names = new[] { price.Model }.Concat(price.Aliases).Select(ModelNames.Normalize).Distinct();
                    var clash = false;
                    foreach (var name in names)
                    {
                        if (claimedBy.TryGetValue(name, out var earlier))
                        {
                            Error(path, $"name or alias '{name}' is already used by {earlier}");
                            clash = true;
                        }
                        else
                        {
                            claimedBy[name] = path;
                        }
                    }

                    if (!clash)
                    {
                        prices.Add(price);
                    }
                }
            }

            return prices;
        }

        private ModelPrice? ReadEntry(JsonElement item, string path)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                Error(path, "must be an object");
                return null;
            }

            var before = Errors.Count;
            foreach (var property in item.EnumerateObject())
            {
                if (!UserEntryFields.Contains(property.Name, StringComparer.Ordinal))
                {
                    Error($"{path}.{property.Name}", $"is not a known field (expected one of {string.Join(", ", UserEntryFields)})");
                }
            }

            var model = ReadString(item, path, "model", required: true);
            var aliases = ReadAliases(item, path);
            var input = ReadPrice(item, path, "input", required: true);
            var cached = ReadPrice(item, path, "cached_input", required: false);
            var output = ReadPrice(item, path, "output", required: true);
            var batchInput = ReadPrice(item, path, "batch_input", required: false);
            var batchOutput = ReadPrice(item, path, "batch_output", required: false);
            var source = ReadString(item, path, "source", required: false);
            if (batchInput.HasValue != batchOutput.HasValue)
            {
                Error($"{path}.{(batchInput.HasValue ? "batch_output" : "batch_input")}",
                    "is required when the other batch price is given (batch prices come in pairs)");
            }

            if (Errors.Count > before || model is null || input is null || output is null)
            {
                return null;
            }

            return new ModelPrice(model, input.Value, cached, output.Value, batchInput, batchOutput,
                source ?? $"user price file {fileName}", aliases);
        }

        private string? ReadString(JsonElement item, string path, string name, bool required)
        {
            if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Error($"{path}.{name}", "is required (a non-empty string)");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                Error($"{path}.{name}", "must be a non-empty string");
                return null;
            }

            return value.GetString()!.Trim();
        }

        private List<string> ReadAliases(JsonElement item, string path)
        {
            var aliases = new List<string>();
            if (!item.TryGetProperty("aliases", out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return aliases;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                Error($"{path}.aliases", "must be an array of strings");
                return aliases;
            }

            var index = 0;
            foreach (var alias in value.EnumerateArray())
            {
                var aliasPath = string.Create(CultureInfo.InvariantCulture, $"{path}.aliases[{index++}]");
                if (alias.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(alias.GetString()))
                {
                    Error(aliasPath, "must be a non-empty string");
                }
                else
                {
                    aliases.Add(alias.GetString()!.Trim());
                }
            }

            return aliases;
        }

        private decimal? ReadPrice(JsonElement item, string path, string name, bool required)
        {
            if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Error($"{path}.{name}", "is required (USD per 1M tokens, a number ≥ 0)");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.Number
                || !decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var price))
            {
                Error($"{path}.{name}", $"must be a number ≥ 0 (USD per 1M tokens), got {Describe(value)}");
                return null;
            }

            if (price < 0)
            {
                Error($"{path}.{name}", string.Create(CultureInfo.InvariantCulture, $"must be ≥ 0 (USD per 1M tokens), got {price}"));
                return null;
            }

            return price;
        }

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{value.GetString()}\"",
            JsonValueKind.Number => $"{value.GetRawText()} (out of range)",
            _ => value.ValueKind.ToString().ToLowerInvariant(),
        };

        private void Error(string jsonPath, string reason) => Errors.Add(new PriceFileError(fileName, jsonPath, reason));
    }
}
