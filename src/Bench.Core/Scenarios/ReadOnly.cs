using System.Collections.ObjectModel;

namespace Bench.Core.Scenarios;

/// <summary>Copies a collection a scenario is given into a read-only one, so that the scenario cannot change through the
/// caller's list or dictionary (nor through a cast of its own back to <see cref="List{T}"/>).</summary>
internal static class ReadOnly
{
    /// <summary>The items, in order, in a new <see cref="ReadOnlyCollection{T}"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public static IReadOnlyList<T> CopyOf<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Array.AsReadOnly([.. items]);
    }

    /// <summary>The entries, in their enumeration order (the file's), in a new <see cref="ReadOnlyDictionary{TKey, TValue}"/>
    /// with ordinal keys.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> is null.</exception>
    public static IReadOnlyDictionary<string, T> CopyOf<T>(IReadOnlyDictionary<string, T> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new ReadOnlyDictionary<string, T>(new Dictionary<string, T>(entries, StringComparer.Ordinal));
    }
}
