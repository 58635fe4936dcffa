using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bench.Core.Scenarios;

namespace Bench.Core.Configuration;

/// <summary>
/// The one reader of Bench's configuration files (scenarios, simulator profiles, price files): JSON with comments and
/// trailing commas, read into a model type by its public properties, and every problem reported at once as a
/// <see cref="ConfigException"/> of <see cref="ConfigError"/>s (file, JSON path, reason).
/// </summary>
/// <remarks>
/// <para><b>Fields.</b> A type with a public parameterless constructor is filled through its public settable (or
/// <c>init</c>) properties; another (a positional record) through its widest public constructor, whose parameters
/// without a default value are required. A field's JSON name is the snake_case of its property name
/// (<c>MaxConcurrency</c> → <c>max_concurrency</c>) unless <see cref="JsonPropertyNameAttribute"/> says otherwise.
/// A field is required when it is a C# <c>required</c> member, carries <see cref="RequiredAttribute"/>, or is a
/// constructor parameter without a default. <c>$schema</c> is allowed at the root. Any other name is an error that
/// lists the known fields.</para>
/// <para><b>Values.</b> <see cref="string"/>, <see cref="bool"/>, <see cref="int"/> (a whole number),
/// <see cref="double"/>, <see cref="decimal"/> (read exactly), <see cref="TimeSpan"/> (<c>"30s"</c>, <c>"2m"</c>,
/// <c>"500ms"</c> or a number of seconds, see <see cref="Durations"/>), <see cref="Uri"/> (absolute http or https),
/// enums (by <see cref="JsonStringEnumMemberNameAttribute"/> or the snake_case of the member), <c>List&lt;T&gt;</c>,
/// <c>Dictionary&lt;string, T&gt;</c> and nested objects; anything else through a <see cref="ConfigValueReader"/>
/// named by <see cref="ConfigReaderAttribute"/>. JSON null leaves a nullable field null (absent) and is an error
/// elsewhere. A type error says what was found: <c>expected a whole number, found the string "x"</c>.</para>
/// <para><b>Rules.</b> After a field is read its DataAnnotations attributes (<c>[Range]</c>, <c>[Required]</c>,
/// <c>[MinLength]</c>, <c>[RegularExpression]</c>, ...) are checked, their <c>ErrorMessage</c> being the reason; after
/// an object is read, its <see cref="IConfigValidatable.Validate"/> checks rules across fields, unless a required
/// field is missing or unreadable (its rules could not be judged). Errors come in document order.</para>
/// </remarks>
public static class ConfigReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly ConcurrentDictionary<Type, TypeModel> Models = new();

    /// <summary>Reads and validates a file as <typeparamref name="T"/>.</summary>
    /// <exception cref="ConfigException">The file cannot be read, is not JSON, or has invalid fields (all
    /// listed).</exception>
    public static T Load<T>(string path)
        where T : class
    {
        var errors = new ConfigErrors(path);
        var result = TryLoad<T>(path, errors);
        errors.ThrowIfAny();
        return result!;
    }

    /// <summary>Reads and validates JSON text as <typeparamref name="T"/>; <paramref name="file"/> names it in
    /// errors.</summary>
    /// <exception cref="ConfigException">The text is not JSON or has invalid fields (all listed).</exception>
    public static T Parse<T>(string json, string file)
        where T : class
    {
        var errors = new ConfigErrors(file);
        var result = TryParse<T>(json, errors, directory: null);
        errors.ThrowIfAny();
        return result!;
    }

    /// <summary>Reads and validates UTF-8 JSON from a stream as <typeparamref name="T"/>; <paramref name="file"/>
    /// names it in errors.</summary>
    /// <exception cref="ConfigException">The text is not JSON or has invalid fields (all listed).</exception>
    public static T Read<T>(Stream utf8Json, string file)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        var errors = new ConfigErrors(file);
        var result = Read<T>(() => JsonDocument.Parse(utf8Json, DocumentOptions), errors, directory: null);
        errors.ThrowIfAny();
        return result!;
    }

    /// <summary>Reads a file as <typeparamref name="T"/>, adding every problem to <paramref name="errors"/> under
    /// <see cref="ConfigErrors.File"/>; <see langword="null"/> when the file cannot be read or is not JSON. Values
    /// relative to the file (<see cref="ConfigReadContext.Directory"/>) are resolved against its folder.</summary>
    public static T? TryLoad<T>(string path, ConfigErrors errors)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(errors);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add("$", $"cannot read the file: {e.Message}");
            return null;
        }

        return TryParse<T>(text, errors, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Reads JSON text as <typeparamref name="T"/>, adding every problem to <paramref name="errors"/>;
    /// <see langword="null"/> when it is not JSON.</summary>
    /// <param name="json">The text.</param>
    /// <param name="errors">Where problems go.</param>
    /// <param name="directory">The folder relative paths in the file are resolved against, if any.</param>
    public static T? TryParse<T>(string json, ConfigErrors errors, string? directory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(errors);
        return Read<T>(() => JsonDocument.Parse(json, DocumentOptions), errors, directory);
    }

    /// <summary>Checks a model built or changed in code by the same rules as a file (attributes and
    /// <see cref="IConfigValidatable.Validate"/>, recursively).</summary>
    /// <exception cref="ConfigException">Some rule does not hold (all listed, under <paramref name="file"/>).</exception>
    public static void Validate(object model, string file)
    {
        var errors = new ConfigErrors(file);
        Validate(model, errors);
        errors.ThrowIfAny();
    }

    /// <summary>Checks a model built or changed in code, adding every problem to <paramref name="errors"/> at paths
    /// from <c>$</c>.</summary>
    public static void Validate(object model, ConfigErrors errors)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(errors);
        ValidateValue(model.GetType(), model, "$", errors);
    }

    /// <summary>What the reader accepts for <paramref name="type"/> (for checking a JSON Schema against it).</summary>
    public static ConfigShape ShapeOf(Type type) => Shape(type, reader: null, nullable: false);

    /// <summary>The JSON name of <paramref name="property"/> of <paramref name="type"/>; <paramref name="property"/>
    /// itself when the type has no such field.</summary>
    public static string JsonName(Type type, string property) =>
        Model(type).ByProperty.TryGetValue(property, out var member) ? member.JsonName : property;

    /// <summary>How a value is described in errors: <c>the string "x"</c> (cut at 40 characters), <c>the number
    /// 1.5</c>, <c>true</c>, <c>null</c>, <c>an array</c>, <c>an object</c>.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(value.GetString())}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    /// <summary>The type of a field's value, or of its items for a list or dictionary.</summary>
    internal static Type ElementType(Type type, string property)
    {
        if (!Model(type).ByProperty.TryGetValue(property, out var member))
        {
            return typeof(object);
        }

        var t = Nullable.GetUnderlyingType(member.Type) ?? member.Type;
        return ListItem(t) ?? DictionaryValue(t) ?? t;
    }

    private static T? Read<T>(Func<JsonDocument> parse, ConfigErrors errors, string? directory)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = parse();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {e.BytePositionInLine + 1}")
                : "unknown position";
            errors.Add("$", $"not valid JSON ({where}): {e.Message}");
            return null;
        }

        using (document)
        {
            var before = errors.Count;
            var result = (T?)ReadValue(typeof(T), document.RootElement, new ConfigReadContext(errors, "$", directory), out _);
            return errors.Count == before ? result : null;
        }
    }

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
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : Mismatch(type, value, context);
            case ValueKind.Double:
                return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : Mismatch(type, value, context);
            case ValueKind.Decimal:
                return value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) ? d : Mismatch(type, value, context);
            case ValueKind.Duration:
                if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is var seconds && seconds >= 0)
                {
                    return TimeSpan.FromSeconds(seconds);
                }

                return value.ValueKind == JsonValueKind.String && Durations.TryParse(value.GetString(), out var duration)
                    ? duration
                    : Mismatch(type, value, context);
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

    private static ConfigShape Shape(Type type, ConfigValueReader? reader, bool nullable)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        nullable |= underlying is not null;
        type = underlying ?? type;
        reader ??= TypeReader(type);
        var shape = reader is not null ? reader.Shape : Kind(type) switch
        {
            ValueKind.String or ValueKind.Uri => new ConfigShape(ConfigJsonTypes.String),
            ValueKind.Boolean => new ConfigShape(ConfigJsonTypes.Boolean),
            ValueKind.Integer => new ConfigShape(ConfigJsonTypes.Integer),
            ValueKind.Double or ValueKind.Decimal => new ConfigShape(ConfigJsonTypes.Number),
            ValueKind.Duration => new ConfigShape(ConfigJsonTypes.String | ConfigJsonTypes.Number),
            ValueKind.Enum => new ConfigShape(ConfigJsonTypes.String, Values: [.. EnumNames(type).Select(n => n.Name)]),
            ValueKind.List => new ConfigShape(ConfigJsonTypes.Array, Items: Shape(ListItem(type)!, null, IsNullableItem(ListItem(type)!))),
            ValueKind.Dictionary => new ConfigShape(ConfigJsonTypes.Object, Items: Shape(DictionaryValue(type)!, null, false)),
            _ => new ConfigShape(
                ConfigJsonTypes.Object,
                Fields: [.. Model(type).Members.Select(m => new ConfigField(m.JsonName, m.Property.Name, m.Required, Shape(m.Type, m.Reader, m.Nullable)))]),
        };
        return nullable ? shape with { Types = shape.Types | ConfigJsonTypes.Null } : shape;
    }

    private enum ValueKind
    {
        String,
        Boolean,
        Integer,
        Double,
        Decimal,
        Duration,
        Uri,
        Enum,
        List,
        Dictionary,
        Object,
    }

    private static ValueKind Kind(Type type) =>
        type == typeof(string) ? ValueKind.String
        : type == typeof(bool) ? ValueKind.Boolean
        : type == typeof(int) ? ValueKind.Integer
        : type == typeof(double) ? ValueKind.Double
        : type == typeof(decimal) ? ValueKind.Decimal
        : type == typeof(TimeSpan) ? ValueKind.Duration
        : type == typeof(Uri) ? ValueKind.Uri
        : type.IsEnum ? ValueKind.Enum
        : ListItem(type) is not null ? ValueKind.List
        : DictionaryValue(type) is not null ? ValueKind.Dictionary
        : ValueKind.Object;

    private static Type? ListItem(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(List<>) || d == typeof(IReadOnlyList<>) || d == typeof(IList<>) || d == typeof(IEnumerable<>))
            ? type.GetGenericArguments()[0]
            : null;

    private static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(Dictionary<,>) || d == typeof(IReadOnlyDictionary<,>) || d == typeof(IDictionary<,>))
            && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static bool IsNullableItem(Type type) => Nullable.GetUnderlyingType(type) is not null;

    private static ConfigValueReader? TypeReader(Type type) =>
        type.GetCustomAttribute<ConfigReaderAttribute>() is { } attribute ? CreateReader(attribute) : null;

    private static ConfigValueReader CreateReader(ConfigReaderAttribute attribute) =>
        (ConfigValueReader)Activator.CreateInstance(attribute.ReaderType)!;

    private static string? Truncate(string? s) => s is { Length: > 40 } ? s[..40] + "…" : s;

    private static TypeModel Model(Type type) => Models.GetOrAdd(type, static t => new TypeModel(t));

    /// <summary>A type's fields as files spell them.</summary>
    private sealed class TypeModel
    {
        public TypeModel(Type type)
        {
            var nullability = new NullabilityInfoContext();
            if (Kind(type) != ValueKind.Object || type.GetCustomAttribute<ConfigReaderAttribute>() is not null)
            {
                // A value, a collection or a type with its own reader: no fields of its own.
                Members = [];
                ByJson = [];
                ByProperty = [];
                Known = "";
                return;
            }

            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0)
                .ToArray();
            var members = new List<Member>();
            if (type.GetConstructor(Type.EmptyTypes) is null
                && type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault() is { } constructor
                && constructor.GetParameters().Length > 0)
            {
                Constructor = constructor;
                foreach (var parameter in constructor.GetParameters())
                {
                    var property = properties.SingleOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
                        ?? throw new InvalidOperationException($"{type.Name}: constructor parameter '{parameter.Name}' has no property of the same name to read it into.");
                    members.Add(new Member(members.Count, property, parameter.ParameterType,
                        nullability.Create(parameter).WriteState == NullabilityState.Nullable,
                        !parameter.HasDefaultValue));
                }
            }
            else
            {
                foreach (var property in properties.Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<JsonIgnoreAttribute>() is null))
                {
                    members.Add(new Member(members.Count, property, property.PropertyType,
                        nullability.Create(property).WriteState == NullabilityState.Nullable,
                        property.GetCustomAttribute<RequiredMemberAttribute>() is not null || property.GetCustomAttribute<RequiredAttribute>() is not null));
                }
            }

            Members = [.. members];
            ByJson = Members.ToDictionary(m => m.JsonName, StringComparer.Ordinal);
            ByProperty = Members.ToDictionary(m => m.Property.Name, StringComparer.Ordinal);
            Known = string.Join(", ", Members.Select(m => m.JsonName));
        }

        public ConstructorInfo? Constructor { get; }

        public Member[] Members { get; }

        public Dictionary<string, Member> ByJson { get; }

        public Dictionary<string, Member> ByProperty { get; }

        public string Known { get; }
    }

    /// <summary>One field: its property, JSON name, rules and reader.</summary>
    private sealed class Member(int index, PropertyInfo property, Type type, bool nullable, bool required)
    {
        public int Index { get; } = index;

        public PropertyInfo Property { get; } = property;

        public Type Type { get; } = type;

        public bool Nullable { get; } = nullable;

        public bool Required { get; } = required;

        public string JsonName { get; } = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
            ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);

        public ValidationAttribute[] Rules { get; } = [.. property.GetCustomAttributes<ValidationAttribute>()];

        public ConfigValueReader? Reader { get; } = property.GetCustomAttribute<ConfigReaderAttribute>() is { } a ? CreateReader(a) : null;
    }
}
