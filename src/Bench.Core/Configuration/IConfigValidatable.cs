namespace Bench.Core.Configuration;

/// <summary>
/// A configuration type with rules that span its fields (or its children). <see cref="ConfigReader"/> calls
/// <see cref="Validate"/> after reading the object's fields and checking their attributes (<c>[Range]</c>,
/// <c>[Required]</c>, ...), unless a required field is missing or unreadable; and again when a model built or changed
/// in code is validated.
/// </summary>
public interface IConfigValidatable
{
    /// <summary>Reports every broken rule through <paramref name="validation"/>.</summary>
    void Validate(ConfigValidation validation);
}
