using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
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
/// enums (by <see cref="JsonStringEnumMemberNameAttribute"/> or the snake_case of the member), <c>List&lt;T&gt;</c> and
/// <c>Dictionary&lt;string, T&gt;</c> (also behind <c>IReadOnlyList&lt;T&gt;</c>, <c>IReadOnlyDictionary&lt;string,
/// T&gt;</c> and the like: the reader builds a new list or dictionary and hands it to the property, whose <c>init</c>
/// accessor may copy it into a read-only one, as <see cref="Scenario"/>'s do) and nested objects; anything else through a <see cref="ConfigValueReader"/>
/// named by <see cref="ConfigReaderAttribute"/>. JSON null leaves a nullable field null (absent) and is an error
/// elsewhere. A type error says what was found: <c>expected a whole number, found the string "x"</c>.</para>
/// <para><b>Rules.</b> After a field is read its DataAnnotations attributes (<c>[Range]</c>, <c>[Required]</c>,
/// <c>[MinLength]</c>, <c>[RegularExpression]</c>, ...) are checked, their <c>ErrorMessage</c> being the reason; after
/// an object is read, its <see cref="IConfigValidatable.Validate"/> checks rules across fields, unless a required
/// field is missing or unreadable (its rules could not be judged). Errors come in document order.</para>
/// </remarks>
public static partial class ConfigReader
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
}
