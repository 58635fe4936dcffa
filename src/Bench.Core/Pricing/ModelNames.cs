namespace Bench.Core.Pricing;

/// <summary>
/// How a requested model name is matched to a catalogue entry: case-insensitively, with known provider prefixes
/// stripped, and through a small table of names that denote the same model.
/// </summary>
/// <remarks>
/// <para>Matching order, per catalogue (<see cref="PriceCatalog.TryGet"/>): (1) the name as given, trimmed and
/// lower-cased (so a catalogue may hold a provider-specific key such as <c>azure/gpt-4.1</c>); (2) the name with every
/// leading known provider prefix removed (<c>openrouter/openai/gpt-4.1</c> → <c>gpt-4.1</c>); (3) each other name in
/// the same <see cref="WellKnownEquivalents"/> group.</para>
/// <para>Equivalence groups come from SEED-FIGURES.md ("deepseek-v3.2 (<c>deepseek-chat</c>)") and from the vendors'
/// own ids (Anthropic's <c>claude-sonnet-4-5</c> and dated snapshot <c>claude-sonnet-4-5-20250929</c>).</para>
/// </remarks>
public static class ModelNames
{
    /// <summary>Provider prefixes removed before matching (LiteLLM's and OpenRouter's routing prefixes).</summary>
    public static IReadOnlyList<string> ProviderPrefixes { get; } =
    [
        "openai/", "azure/", "anthropic/", "gemini/", "google/", "vertex_ai/", "deepseek/", "openrouter/", "bedrock/",
    ];

    /// <summary>Groups of names that denote one model; the first name of each group is Bench's canonical id.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> WellKnownEquivalents { get; } =
    [
        ["deepseek-v3.2", "deepseek-chat"],
        ["claude-sonnet-4.5", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929"],
        ["claude-sonnet-4.6", "claude-sonnet-4-6"],
        ["claude-opus-4", "claude-opus-4-20250514", "claude-4-opus-20250514"],
        ["claude-opus-4.1", "claude-opus-4-1", "claude-opus-4-1-20250805"],
        ["claude-opus-4.5", "claude-opus-4-5", "claude-opus-4-5-20251101"],
        ["claude-opus-4.6", "claude-opus-4-6", "claude-opus-4-6-20260205"],
        ["claude-haiku-4.5", "claude-haiku-4-5", "claude-haiku-4-5-20251001"],
    ];

    private static readonly Dictionary<string, IReadOnlyList<string>> GroupByName = WellKnownEquivalents
        .SelectMany(group => group.Select(name => (name, group)))
        .ToDictionary(pair => pair.name, pair => pair.group, StringComparer.Ordinal);

    /// <summary>The name trimmed and lower-cased (invariant culture): the form catalogue keys are stored in.</summary>
    public static string Normalize(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Trim().ToLowerInvariant();
    }

    /// <summary>The normalized name with every leading <see cref="ProviderPrefixes"/> entry removed
    /// (<c>OpenAI/GPT-4.1</c> → <c>gpt-4.1</c>).</summary>
    public static string StripProviderPrefixes(string model)
    {
        var name = Normalize(model);
        bool stripped;
        do
        {
            stripped = false;
            foreach (var prefix in ProviderPrefixes)
            {
                if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    name = name[prefix.Length..];
                    stripped = true;
                }
            }
        }
        while (stripped);

        return name;
    }

    /// <summary>
    /// The names to try, in order, when looking <paramref name="model"/> up: as given, without provider prefixes, then
    /// its well-known equivalents. All normalized, without duplicates.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string model)
    {
        var candidates = new List<string> { Normalize(model) };
        var stripped = StripProviderPrefixes(model);
        AddOnce(candidates, stripped);
        if (GroupByName.TryGetValue(stripped, out var group))
        {
            foreach (var name in group)
            {
                AddOnce(candidates, name);
            }
        }

        return candidates;
    }

    /// <summary>The names in <paramref name="model"/>'s well-known group other than itself (empty when it has none).</summary>
    public static IReadOnlyList<string> EquivalentsOf(string model)
    {
        var name = StripProviderPrefixes(model);
        return GroupByName.TryGetValue(name, out var group)
            ? group.Where(n => !string.Equals(n, name, StringComparison.Ordinal)).ToArray()
            : [];
    }

    private static void AddOnce(List<string> list, string name)
    {
        if (!list.Contains(name, StringComparer.Ordinal))
        {
            list.Add(name);
        }
    }
}
