using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bench.Core.Configuration;

// What a type reads: its kind of value, its fields and their JSON names, its shape.
public static partial class ConfigReader
{
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
