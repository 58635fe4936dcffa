using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bench.Core.Scenarios;

namespace Bench.Core.Configuration;

// Reading values and objects, and checking their rules (see the remarks in ConfigReader.cs).
public static partial class ConfigReader
{
    /// <summary>Reads a non-null value of <paramref name="type"/>; null after reporting a problem.</summary>
    internal static object? ReadValue(Type type, JsonElement value, ConfigReadContext context, out IReadOnlySet<string>? given) =>
        ReadValue(type, reader: null, value, context, out given);

    private static object? ReadValue(Type type, ConfigValueReader? reader, JsonElement value, ConfigReadContext context, out IReadOnlySet<string>? given)
    {
        given = null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        reader ??= TypeReader(type);
        if (reader is not null)
        {
            var before = context.Errors.Count;
            var read = reader.Read(value, context);
            if (read is IConfigValidatable validatable && context.Errors.Count == before)
            {
                validatable.Validate(new ConfigValidation(context.Errors, context.Path, type, given: null));
            }

            return read;
        }

        switch (Kind(type))
        {
            case ValueKind.String:
                return value.ValueKind == JsonValueKind.String ? value.GetString() : Mismatch(type, value, context);
            case ValueKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : Mismatch(type, value, context);
            case ValueKind.Integer:
                if (value.ValueKind == JsonValueKind.Number && !value.TryGetInt32(out var i) && value.TryGetDouble(out var whole)
                    && Math.Floor(whole) == whole)
                {
                    context.Error($"{Describe(value)} is out of range: a whole number here is at most {int.MaxValue} (and at least {int.MinValue})");
                    return null;
                }

                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out i) ? i : Mismatch(type, value, context);
            case ValueKind.Double:
                if (value.ValueKind != JsonValueKind.Number)
                {
                    return Mismatch(type, value, context);
                }

                if (value.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    return number;
                }

                // 1e400: JSON allows it, a double cannot hold it.
                context.Error($"{Describe(value)} is too large for a double (at most about 1.8e308)");
                return null;
            case ValueKind.Decimal:
                if (value.ValueKind != JsonValueKind.Number)
                {
                    return Mismatch(type, value, context);
                }

                if (value.TryGetDecimal(out var d))
                {
                    return d;
                }

                context.Error($"{Describe(value)} does not fit an exact decimal (at most about 7.9e28)");
                return null;
            case ValueKind.Duration:
                string? durationError = null;
                if (value.ValueKind == JsonValueKind.Number)
                {
                    if (value.TryGetDouble(out var seconds) && Durations.TryFromSeconds(seconds, out var fromSeconds, out durationError))
                    {
                        return fromSeconds;
                    }

                    durationError ??= "too long: a duration must be " + ScenarioLimits.MaxDurationText;
                }
                else if (value.ValueKind == JsonValueKind.String && Durations.TryParse(value.GetString(), out var duration, out durationError))
                {
                    return duration;
                }

                if (durationError is null)
                {
                    return Mismatch(type, value, context);
                }

                // "1e12s", 1e300: a duration no timer can wait (TimeSpan itself would overflow past ~29,000 years).
                context.Error($"{Describe(value)} is {durationError}");
                return null;
            case ValueKind.Uri:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return Mismatch(type, value, context);
                }

                var text = value.GetString()!;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                context.Error($"'{Truncate(text)}' is not an http(s) URL");
                return null;
            case ValueKind.Enum:
                return ReadEnum(type, value, context);
            case ValueKind.List:
                return ReadList(type, value, context);
            case ValueKind.Dictionary:
                return ReadDictionary(type, value, context);
            default:
                return ReadObject(type, value, context, out given);
        }
    }

    private static object? Mismatch(Type type, JsonElement value, ConfigReadContext context)
    {
        context.Error($"expected {Expected(type)}, found {Describe(value)}");
        return null;
    }

    private static string Expected(Type type) => Kind(Nullable.GetUnderlyingType(type) ?? type) switch
    {
        ValueKind.String or ValueKind.Uri or ValueKind.Enum => "a string",
        ValueKind.Boolean => "true or false",
        ValueKind.Integer => "a whole number",
        ValueKind.Double or ValueKind.Decimal => "a number",
        ValueKind.Duration => "a duration like \"30s\", \"2m\", \"500ms\" or a number of seconds",
        ValueKind.List => "an array",
        _ => "an object",
    };

    private static object? ReadEnum(Type type, JsonElement value, ConfigReadContext context)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return Mismatch(type, value, context);
        }

        var text = value.GetString();
        foreach (var (name, member) in EnumNames(type))
        {
            if (name == text)
            {
                return member;
            }
        }

        var noun = type.GetCustomAttribute<DescriptionAttribute>()?.Description
            ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(type.Name).Replace('_', ' ');
        context.Error($"unknown {noun} '{Truncate(text)}'; use one of {string.Join(", ", EnumNames(type).Select(n => n.Name))}");
        return null;
    }

    private static IEnumerable<(string Name, object Value)> EnumNames(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (
            f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(f.Name),
            f.GetValue(null)!));

    private static object? ReadList(Type type, JsonElement value, ConfigReadContext context)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return Mismatch(type, value, context);
        }

        var itemType = ListItem(type)!;
        var nullable = IsNullableItem(itemType);
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var itemContext = context.At(string.Create(CultureInfo.InvariantCulture, $"{context.Path}[{index++}]"));
            if (element.ValueKind == JsonValueKind.Null)
            {
                if (nullable)
                {
                    list.Add(null);
                }
                else
                {
                    Mismatch(itemType, element, itemContext);
                }
            }
            else if (ReadValue(itemType, element, itemContext, out _) is { } item)
            {
                list.Add(item);
            }
        }

        return list;
    }

    private static object? ReadDictionary(Type type, JsonElement value, ConfigReadContext context)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Mismatch(type, value, context);
        }

        var valueType = DictionaryValue(type)!;
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (var property in value.EnumerateObject())
        {
            var entryContext = context.At($"{context.Path}.{property.Name}");
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                Mismatch(valueType, property.Value, entryContext);
            }
            else if (ReadValue(valueType, property.Value, entryContext, out _) is { } entry)
            {
                dictionary[property.Name] = entry;
            }
        }

        return dictionary;
    }

    private static object? ReadObject(Type type, JsonElement value, ConfigReadContext context, out IReadOnlySet<string>? given)
    {
        given = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Mismatch(type, value, context);
        }

        var model = Model(type);
        var errors = context.Errors;
        var values = new object?[model.Members.Length];
        var read = new bool[model.Members.Length];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        var incomplete = false;
        foreach (var property in value.EnumerateObject())
        {
            var path = $"{context.Path}.{property.Name}";
            if (property.Name == "$schema" && context.Path == "$")
            {
                continue;
            }

            if (!model.ByJson.TryGetValue(property.Name, out var member))
            {
                errors.Add(path, $"unknown field; known fields here: {model.Known}");
                continue;
            }

            names.Add(member.JsonName);
            var before = errors.Count;
            var memberContext = context.At(path);
            object? result = null;
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                if (!member.Nullable)
                {
                    Mismatch(member.Type, property.Value, memberContext);
                }
            }
            else
            {
                result = ReadValue(member.Type, member.Reader, property.Value, memberContext, out _);
            }

            // A value read with errors inside it (a list with one bad item) is kept; one that could not be read is not.
            if (result is null && (property.Value.ValueKind != JsonValueKind.Null || errors.Count > before))
            {
                unreadable.Add(member.JsonName);
                incomplete |= member.Required;
                continue;
            }

            values[member.Index] = result;
            read[member.Index] = true;
            CheckRules(member, result, path, errors);
        }

        foreach (var member in model.Members.Where(m => m.Required && !names.Contains(m.JsonName)))
        {
            errors.Add($"{context.Path}.{member.JsonName}", "is required");
            incomplete = true;
        }

        given = names;
        object instance;
        if (model.Constructor is { } constructor)
        {
            if (incomplete)
            {
                return null;
            }

            var parameters = constructor.GetParameters();
            var arguments = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                arguments[i] = read[i] ? values[i]
                    : parameters[i].HasDefaultValue ? parameters[i].DefaultValue
                    : parameters[i].ParameterType.IsValueType ? Activator.CreateInstance(parameters[i].ParameterType) : null;
            }

            instance = constructor.Invoke(arguments);
        }
        else
        {
            instance = Activator.CreateInstance(type)!;
            foreach (var member in model.Members.Where(m => read[m.Index]))
            {
                member.Property.SetValue(instance, values[member.Index]);
            }
        }

        // A field the file leaves out keeps its default, which must obey the field's rules too ("models": at least one).
        foreach (var member in model.Members.Where(m => !m.Required && !names.Contains(m.JsonName)))
        {
            CheckRules(member, member.Property.GetValue(instance), $"{context.Path}.{member.JsonName}", errors);
        }

        if (!incomplete && instance is IConfigValidatable validatable)
        {
            validatable.Validate(new ConfigValidation(errors, context.Path, type, names, unreadable));
        }

        return instance;
    }

    private static void CheckRules(Member member, object? value, string path, ConfigErrors errors)
    {
        foreach (var rule in member.Rules)
        {
            if (!rule.IsValid(value))
            {
                errors.Add(path, rule.FormatErrorMessage(member.JsonName));
            }
        }
    }

    private static void ValidateValue(Type type, object? value, string path, ConfigErrors errors)
    {
        if (value is null)
        {
            return;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (TypeReader(type) is not null)
        {
            (value as IConfigValidatable)?.Validate(new ConfigValidation(errors, path, type, given: null));
            return;
        }

        switch (Kind(type))
        {
            case ValueKind.List:
                var index = 0;
                foreach (var item in (IEnumerable)value)
                {
                    ValidateValue(ListItem(type)!, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), errors);
                }

                return;
            case ValueKind.Dictionary:
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    ValidateValue(DictionaryValue(type)!, entry.Value, $"{path}.{entry.Key}", errors);
                }

                return;
            case ValueKind.Object:
                foreach (var member in Model(type).Members)
                {
                    var memberValue = member.Property.GetValue(value);
                    var memberPath = $"{path}.{member.JsonName}";
                    CheckRules(member, memberValue, memberPath, errors);
                    if (member.Reader is null)
                    {
                        ValidateValue(member.Type, memberValue, memberPath, errors);
                    }
                }

                (value as IConfigValidatable)?.Validate(new ConfigValidation(errors, path, type, given: null));
                return;
            default:
                return;
        }
    }
}
