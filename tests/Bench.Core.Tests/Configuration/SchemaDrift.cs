using System.Text.Json.Nodes;
using Bench.Core.Configuration;

namespace Bench.Core.Tests.Configuration;

/// <summary>
/// Compares a JSON Schema file with a model type as <see cref="ConfigReader"/> reads it
/// (<see cref="ConfigReader.ShapeOf"/>): every object must list exactly the model's fields in <c>properties</c> with
/// <c>additionalProperties: false</c> (<c>$schema</c> aside), each with the same JSON type (<c>integer</c> for
/// <see cref="int"/>, <c>number</c> for <see cref="double"/> and <see cref="decimal"/>), enums with the same names, a
/// field the reader requires listed in <c>required</c>, and null allowed by the schema only where the model allows
/// it; recursively through <c>$ref</c>, <c>oneOf</c>/<c>anyOf</c>, array items and dictionary values. Shared with
/// Bench.Simulator.Tests (linked), which checks the profile schema.
/// </summary>
public static class SchemaDrift
{
    /// <summary>Every disagreement, as <c>path: what</c> lines; empty when the schema matches the model.</summary>
    public static IReadOnlyList<string> Compare(Type model, string schemaJson)
    {
        var root = JsonNode.Parse(schemaJson)!.AsObject();
        var problems = new List<string>();
        Compare(ConfigReader.ShapeOf(model), root, root, "$", problems);
        return problems;
    }

    private static void Compare(ConfigShape shape, JsonObject node, JsonObject root, string path, List<string> problems)
    {
        node = Resolve(node, root);
        var schemaTypes = Types(node, root);
        var modelTypes = shape.Types & ~ConfigJsonTypes.Null;
        if ((schemaTypes & ~ConfigJsonTypes.Null) != modelTypes)
        {
            problems.Add($"{path}: the reader takes {modelTypes}, the schema {schemaTypes & ~ConfigJsonTypes.Null}");
            return;
        }

        if (schemaTypes.HasFlag(ConfigJsonTypes.Null) && !shape.Types.HasFlag(ConfigJsonTypes.Null))
        {
            problems.Add($"{path}: the schema allows null, the reader does not");
        }

        var alternatives = Alternatives(node, root).ToList();
        if (shape.Values is { } values)
        {
            var schemaValues = alternatives.SelectMany(a => a["enum"]?.AsArray() ?? []).Select(v => v!.GetValue<string>()).ToHashSet();
            if (!schemaValues.SetEquals(values))
            {
                problems.Add($"{path}: the reader takes {string.Join("|", values)}, the schema {string.Join("|", schemaValues)}");
            }
        }

        var objectNode = alternatives.FirstOrDefault(a => Types(a, root).HasFlag(ConfigJsonTypes.Object));
        if (shape.Fields is { } fields)
        {
            CompareFields(fields, objectNode!, root, path, problems);
        }
        else if (shape.Types.HasFlag(ConfigJsonTypes.Object) && shape.Items is { } entry)
        {
            // A string-keyed dictionary: its values' shape, whether the schema lists known keys or any key.
            if (objectNode!["additionalProperties"] is JsonObject any)
            {
                Compare(entry, any, root, $"{path}.*", problems);
            }
            else if (objectNode["properties"] is JsonObject keys)
            {
                foreach (var (key, value) in keys)
                {
                    Compare(entry, value!.AsObject(), root, $"{path}.{key}", problems);
                }
            }
            else
            {
                problems.Add($"{path}: a dictionary needs additionalProperties or properties in the schema");
            }
        }

        if (shape.Types.HasFlag(ConfigJsonTypes.Array) && shape.Items is { } items)
        {
            var arrayNode = alternatives.First(a => Types(a, root).HasFlag(ConfigJsonTypes.Array));
            if (arrayNode["items"] is JsonObject itemNode)
            {
                Compare(items, itemNode, root, $"{path}[]", problems);
            }
            else
            {
                problems.Add($"{path}: the schema does not say what the items are");
            }
        }
    }

    private static void CompareFields(IReadOnlyList<ConfigField> fields, JsonObject node, JsonObject root, string path, List<string> problems)
    {
        if (node["additionalProperties"]?.GetValue<bool>() != false)
        {
            problems.Add($"{path}: the schema must say additionalProperties: false (the reader rejects unknown fields)");
        }

        var properties = node["properties"] as JsonObject ?? [];
        var names = properties.Select(p => p.Key).Where(k => k != "$schema").ToHashSet();
        foreach (var field in fields.Where(f => !names.Contains(f.Name)))
        {
            problems.Add($"{path}.{field.Name}: read from {field.Property} but missing from the schema");
        }

        foreach (var name in names.Where(n => fields.All(f => f.Name != n)))
        {
            problems.Add($"{path}.{name}: in the schema but not a field of the model");
        }

        var required = (node["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).ToHashSet();
        foreach (var field in fields)
        {
            if (field.Required && !required.Contains(field.Name))
            {
                problems.Add($"{path}.{field.Name}: required by the reader, not by the schema");
            }

            if (properties[field.Name] is JsonObject property)
            {
                Compare(field.Shape, property, root, $"{path}.{field.Name}", problems);
            }
        }
    }

    private static JsonObject Resolve(JsonObject node, JsonObject root)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            JsonNode current = root;
            foreach (var part in reference.TrimStart('#', '/').Split('/'))
            {
                current = current[part]!;
            }

            node = current.AsObject();
        }

        return node;
    }

    private static IEnumerable<JsonObject> Alternatives(JsonObject node, JsonObject root)
    {
        node = Resolve(node, root);
        if (node["type"] is null && (node["oneOf"] ?? node["anyOf"]) is JsonArray choices)
        {
            return choices.SelectMany(c => Alternatives(c!.AsObject(), root));
        }

        return [node];
    }

    private static ConfigJsonTypes Types(JsonObject node, JsonObject root)
    {
        node = Resolve(node, root);
        return node["type"] switch
        {
            JsonValue one => Type(one.GetValue<string>()),
            JsonArray many => many.Aggregate(ConfigJsonTypes.None, (t, n) => t | Type(n!.GetValue<string>())),
            _ when node["enum"] is JsonArray values => values.Aggregate(ConfigJsonTypes.None, (t, v) => t | Kind(v)),
            _ when node["const"] is { } value => Kind(value),
            _ => Alternatives(node, root).Where(a => a != node).Aggregate(ConfigJsonTypes.None, (t, a) => t | Types(a, root)),
        };
    }

    private static ConfigJsonTypes Kind(JsonNode? value) => value?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => ConfigJsonTypes.String,
        System.Text.Json.JsonValueKind.Number => ConfigJsonTypes.Number,
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => ConfigJsonTypes.Boolean,
        null or System.Text.Json.JsonValueKind.Null => ConfigJsonTypes.Null,
        _ => ConfigJsonTypes.Object,
    };

    private static ConfigJsonTypes Type(string name) => name switch
    {
        "string" => ConfigJsonTypes.String,
        "number" => ConfigJsonTypes.Number,
        "integer" => ConfigJsonTypes.Integer,
        "boolean" => ConfigJsonTypes.Boolean,
        "object" => ConfigJsonTypes.Object,
        "array" => ConfigJsonTypes.Array,
        "null" => ConfigJsonTypes.Null,
        _ => throw new ArgumentException($"unknown JSON Schema type '{name}'", nameof(name)),
    };
}
