using System.Text.Json;

namespace Bench.Core.Configuration;

/// <summary>
/// Reads one value the general rules cannot: a field that accepts alternatives (a string or an object), or a type
/// whose file form differs from its shape in code. Named by <see cref="ConfigReaderAttribute"/> on the type or the
/// property; needs a public parameterless constructor.
/// </summary>
public abstract class ConfigValueReader
{
    /// <summary>What the value may be in a file (for the schema check).</summary>
    public abstract ConfigShape Shape { get; }

    /// <summary>Reads <paramref name="value"/> (never JSON null: that is handled before), reporting problems through
    /// <paramref name="context"/>; returns <see langword="null"/> after reporting a problem.</summary>
    public abstract object? Read(JsonElement value, ConfigReadContext context);
}

/// <summary>Reads this type, or this property, with a <see cref="ConfigValueReader"/>.</summary>
/// <param name="readerType">A <see cref="ConfigValueReader"/> subclass with a public parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Property)]
public sealed class ConfigReaderAttribute(Type readerType) : Attribute
{
    /// <summary>The reader's type.</summary>
    public Type ReaderType { get; } = readerType;
}

/// <summary>Where a <see cref="ConfigValueReader"/> is reading: the file, the JSON path, and where errors go.</summary>
public sealed class ConfigReadContext
{
    internal ConfigReadContext(ConfigErrors errors, string path, string? directory)
    {
        Errors = errors;
        Path = path;
        Directory = directory;
    }

    /// <summary>Where errors go (their file is <see cref="ConfigErrors.File"/>).</summary>
    public ConfigErrors Errors { get; }

    /// <summary>JSON path of the value being read, e.g. <c>$.target.tokenizer</c>.</summary>
    public string Path { get; }

    /// <summary>The folder of the file being read (for paths relative to it), or <see langword="null"/> when the text
    /// did not come from a file.</summary>
    public string? Directory { get; }

    /// <summary>Reports a problem at <see cref="Path"/>.</summary>
    public void Error(string reason) => Errors.Add(Path, reason);

    /// <summary>Reports a problem at <see cref="Path"/> + <paramref name="relative"/> (<c>.name</c> or <c>[2]</c>).</summary>
    public void Error(string relative, string reason) => Errors.Add(Path + relative, reason);

    /// <summary>Reads <paramref name="value"/> at this path with the general rules for <typeparamref name="T"/>;
    /// <see langword="null"/> after reporting a problem.</summary>
    public T? Read<T>(JsonElement value)
        where T : class => (T?)ConfigReader.ReadValue(typeof(T), value, this, out _);

    /// <summary>Reads <paramref name="value"/> as <typeparamref name="T"/> and also says which fields were given.</summary>
    public T? Read<T>(JsonElement value, out IReadOnlySet<string> given)
        where T : class
    {
        var result = (T?)ConfigReader.ReadValue(typeof(T), value, this, out var names);
        given = names ?? new HashSet<string>();
        return result;
    }

    /// <summary>The JSON path of a field of the value being read: <see cref="Path"/>, a dot, the field's JSON name.</summary>
    public string PathOf<T>(string property) => $"{Path}.{ConfigReader.JsonName(typeof(T), property)}";

    internal ConfigReadContext At(string path) => new(Errors, path, Directory);
}
