using System.Text.Json;
using Bench.Core.Configuration;
using Bench.Core.Tokens;

namespace Bench.Core.Scenarios;

/// <summary>
/// Reads <c>target.tokenizer</c> into <see cref="TargetSpec.Tokenizers"/>: one encoding for every model
/// (<c>"cl100k_base"</c>, stored under <c>*</c>) or one per model (<c>{"my-llama": "cl100k_base", "*": "none"}</c>);
/// <c>auto</c> leaves a model to its family's encoding (no entry).
/// </summary>
internal sealed class TokenizerReader : ConfigValueReader
{
    private static readonly ConfigShape Encoding = new(ConfigJsonTypes.String);

    /// <inheritdoc />
    public override ConfigShape Shape { get; } = new(ConfigJsonTypes.String | ConfigJsonTypes.Object, Items: Encoding);

    /// <inheritdoc />
    public override object? Read(JsonElement value, ConfigReadContext context)
    {
        var tokenizers = new Dictionary<string, string>();
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                Add(value.GetString()!, "*", "", tokenizers, context);
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        Add(property.Value.GetString()!, property.Name, "." + property.Name, tokenizers, context);
                    }
                    else
                    {
                        context.Error("." + property.Name, $"expected a string, found {ConfigReader.Describe(property.Value)}");
                    }
                }

                break;
            default:
                context.Error($"expected an encoding name or an object of model → encoding, found {ConfigReader.Describe(value)}");
                return null;
        }

        return tokenizers;
    }

    private static void Add(string name, string model, string relative, Dictionary<string, string> tokenizers, ConfigReadContext context)
    {
        if (name == "auto")
        {
            return;
        }

        if (TokenEncodings.IsKnown(name) || name == TokenEncodings.None)
        {
            tokenizers[model] = name;
        }
        else
        {
            context.Error(relative, $"unknown tokenizer \"{name}\"; expected auto, {string.Join(", ", TokenEncodings.All)} or {TokenEncodings.None}");
        }
    }
}
