namespace Bench.Core.Configuration;

/// <summary>JSON value types a field accepts (JSON Schema's <c>type</c> keyword, as flags).</summary>
[Flags]
public enum ConfigJsonTypes
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary><c>"string"</c>.</summary>
    String = 1,
    /// <summary><c>"number"</c> (a <see cref="double"/> or <see cref="decimal"/> field).</summary>
    Number = 2,
    /// <summary><c>"integer"</c> (an <see cref="int"/> field).</summary>
    Integer = 4,
    /// <summary><c>"boolean"</c>.</summary>
    Boolean = 8,
    /// <summary><c>"object"</c>.</summary>
    Object = 16,
    /// <summary><c>"array"</c>.</summary>
    Array = 32,
    /// <summary><c>"null"</c> (the field is nullable: null reads as absent).</summary>
    Null = 64,
}

/// <summary>
/// What <see cref="ConfigReader"/> accepts at one place of a file, as the reader sees the model: the JSON types, and
/// for an object its fields (or, for a string-keyed dictionary, its values' shape), for an array its items, for an
/// enum its names. Used to check the JSON Schema files against the model.
/// </summary>
/// <param name="Types">Accepted JSON types.</param>
/// <param name="Fields">An object's fields, in declaration order; <see langword="null"/> when not an object with known
/// fields.</param>
/// <param name="Items">An array's items, or a dictionary's values; otherwise <see langword="null"/>.</param>
/// <param name="Values">An enum's file names; otherwise <see langword="null"/>.</param>
public sealed record ConfigShape(
    ConfigJsonTypes Types,
    IReadOnlyList<ConfigField>? Fields = null,
    ConfigShape? Items = null,
    IReadOnlyList<string>? Values = null);

/// <summary>One field of an object as read from a file.</summary>
/// <param name="Name">The JSON name (snake_case of <paramref name="Property"/> unless renamed).</param>
/// <param name="Property">The C# property it fills.</param>
/// <param name="Required">Whether a file must give it.</param>
/// <param name="Shape">What its value may be.</param>
public sealed record ConfigField(string Name, string Property, bool Required, ConfigShape Shape);
