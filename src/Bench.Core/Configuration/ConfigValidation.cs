namespace Bench.Core.Configuration;

/// <summary>
/// What an <see cref="IConfigValidatable.Validate"/> method reports through: errors at the object's JSON path or at a
/// field's, named by the C# property (<c>nameof(Copies)</c>) so that the JSON name is written only on the model.
/// </summary>
public sealed class ConfigValidation
{
    private readonly ConfigErrors _errors;
    private readonly Type _type;
    private readonly IReadOnlySet<string>? _given;
    private readonly IReadOnlySet<string>? _unreadable;

    internal ConfigValidation(ConfigErrors errors, string path, Type type, IReadOnlySet<string>? given, IReadOnlySet<string>? unreadable = null)
    {
        _errors = errors;
        Path = path;
        _type = type;
        _given = given;
        _unreadable = unreadable;
    }

    /// <summary>JSON path of the object being validated, e.g. <c>$.workload[2]</c>.</summary>
    public string Path { get; }

    /// <summary>Reports a problem of the whole object.</summary>
    public void Error(string reason) => _errors.Add(Path, reason);

    /// <summary>Reports a problem of one field.</summary>
    /// <param name="property">The C# property (<c>nameof(X)</c>), or a JSON name the type's reader defines.</param>
    /// <param name="reason">What is wrong.</param>
    public void Error(string property, string reason) => _errors.Add(PathOf(property), reason);

    /// <summary>The JSON name of a property of the validated type (<c>max_concurrency</c> for
    /// <c>MaxConcurrency</c>); <paramref name="property"/> itself when it is not one.</summary>
    public string NameOf(string property) => ConfigReader.JsonName(_type, property);

    /// <summary>The JSON path of a field: <see cref="Path"/>, a dot, its JSON name.</summary>
    public string PathOf(string property) => $"{Path}.{NameOf(property)}";

    /// <summary>Whether the file gave the field (even with a wrong value); <see langword="null"/> when the object was
    /// built in code, not read from a file.</summary>
    public bool? Given(string property) => _given?.Contains(NameOf(property));

    /// <summary>Whether the file gave the field with a value that could not be read (already reported), so that its
    /// property holds the default and rules about its value cannot be judged.</summary>
    public bool Unreadable(string property) => _unreadable?.Contains(NameOf(property)) == true;

    /// <summary>The validation of a nested object field (its errors at <c>Path.field.…</c>).</summary>
    public ConfigValidation Child(string property) =>
        new(_errors, PathOf(property), ConfigReader.ElementType(_type, property), given: null);

    /// <summary>The validation of item <paramref name="index"/> of a list field (<c>Path.field[i]</c>).</summary>
    public ConfigValidation Item(string property, int index) =>
        new(_errors, $"{PathOf(property)}[{index}]", ConfigReader.ElementType(_type, property), given: null);

    /// <summary>The validation of entry <paramref name="key"/> of a dictionary field (<c>Path.field.key</c>).</summary>
    public ConfigValidation Entry(string property, string key) =>
        new(_errors, $"{PathOf(property)}.{key}", ConfigReader.ElementType(_type, property), given: null);
}
