using System.Text.Json;
using Bench.Core.Configuration;

namespace Bench.Core.Scenarios;

/// <summary>
/// Reads <c>targets[].body</c> into <see cref="TargetSpec.Body"/>: an object whose every field is any JSON value, kept as
/// is (cloned out of the file's document) to be written into each request body.
/// </summary>
internal sealed class JsonFieldsReader : ConfigValueReader
{
    /// <inheritdoc />
    public override ConfigShape Shape { get; } = new(ConfigJsonTypes.Object);

    /// <inheritdoc />
    public override object? Read(JsonElement value, ConfigReadContext context)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            context.Error($"expected an object of field → JSON value, found {ConfigReader.Describe(value)}");
            return null;
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name.Length == 0)
            {
                context.Error("", "a body field needs a name");
                continue;
            }

            fields[property.Name] = property.Value.Clone();
        }

        return fields;
    }
}
