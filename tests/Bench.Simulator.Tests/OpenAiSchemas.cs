using NJsonSchema;

namespace Bench.Simulator.Tests;

/// <summary>
/// The OpenAI API object schemas of <c>shared/data/openai-api-schemas.json</c> (JSON Schema 2020-12 with
/// <c>$defs</c>), loaded with NJsonSchema so that every <c>$ref</c> resolves against the whole document.
/// </summary>
internal static class OpenAiSchemas
{
    private static readonly Lazy<Task<JsonSchema>> Document = new(LoadAsync);

    /// <summary>Validates <paramref name="json"/> against the named definition (e.g.
    /// <c>CreateChatCompletionResponse</c>) and returns the errors, one line each (empty when valid).</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string definition, string json)
    {
        var schema = (await Document.Value).Definitions[definition];
        return schema.Validate(json).Select(error => error.ToString()).ToList();
    }

    private static async Task<JsonSchema> LoadAsync()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(TestPaths.SharedData, "openai-api-schemas.json"));
        // NJsonSchema reads the draft-04 "definitions" keyword, not 2020-12's "$defs": rename the keyword and the refs.
        text = text.Replace("\"$defs\":", "\"definitions\":", StringComparison.Ordinal)
            .Replace("\"#/$defs/", "\"#/definitions/", StringComparison.Ordinal);
        return await JsonSchema.FromJsonAsync(text);
    }
}
