using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Bench.Core.Pricing;

/// <summary>
/// Model prices, looked up by model name (case-insensitive, aliases and provider prefixes understood, see
/// <see cref="ModelNames"/>). A catalogue is one or more layers in precedence order; the first layer that knows a
/// model wins, and its entry is used whole (prices from different layers are never mixed for one model).
/// </summary>
/// <remarks>
/// <para>Precedence used by <c>bench cost</c>: a user's price file (<see cref="LoadUserFile(string)"/>) &gt; the built-in
/// article prices (<see cref="BuiltIn"/>) &gt; the vendored LiteLLM catalogue (<see cref="LiteLlm"/>). Build it with
/// <see cref="Merge"/> (first argument wins) or <see cref="WithOverrides"/> / <see cref="WithFallback"/>.</para>
/// <para>An unknown model is reported (<see cref="TryGet"/> returns false; <see cref="Get"/> throws
/// <see cref="UnknownModelException"/> whose message lists the known models); it is never priced at zero.</para>
/// </remarks>
public sealed partial class PriceCatalog
{
    private readonly CatalogLayer[] _layers;

    private PriceCatalog(CatalogLayer[] layers)
    {
        _layers = layers;
    }

    /// <summary>
    /// One layer from a list of prices. Throws <see cref="ArgumentException"/> when two entries claim the same name
    /// or alias (case-insensitive).
    /// </summary>
    /// <param name="name">What the layer is, for messages and reports (e.g. "built-in", "prices.json").</param>
    /// <param name="prices">The entries.</param>
    public static PriceCatalog Create(string name, IEnumerable<ModelPrice> prices)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(prices);
        return new PriceCatalog([CatalogLayer.Create(name, prices, duplicateIsError: true)]);
    }

    /// <summary>
    /// One catalogue made of <paramref name="catalogs"/>, the first having the highest precedence (user file, then
    /// built-in, then LiteLLM is <c>Merge(user, BuiltIn, LiteLlm)</c>).
    /// </summary>
    public static PriceCatalog Merge(params IEnumerable<PriceCatalog> catalogs)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        var layers = catalogs.SelectMany(c => c._layers).ToArray();
        if (layers.Length == 0)
        {
            throw new ArgumentException("At least one catalogue is needed.", nameof(catalogs));
        }

        return new PriceCatalog(layers);
    }

    /// <summary>This catalogue with <paramref name="overrides"/> taking precedence over it.</summary>
    public PriceCatalog WithOverrides(PriceCatalog overrides) => Merge(overrides, this);

    /// <summary>This catalogue, consulting <paramref name="fallback"/> for models it does not know.</summary>
    public PriceCatalog WithFallback(PriceCatalog fallback) => Merge(this, fallback);

    /// <summary>The layers' names in precedence order, e.g. <c>["built-in", "LiteLLM (vendored, commit f9ff147)"]</c>.</summary>
    public IReadOnlyList<string> LayerNames => [.. _layers.Select(l => l.Name)];

    /// <summary>The layers' names joined for display: "built-in, then LiteLLM …".</summary>
    public string Description => string.Join(", then ", _layers.Select(l => l.Name));

    /// <summary>
    /// Every entry a lookup can reach, in precedence order: an entry of a lower layer that a higher layer shadows
    /// (same name or alias) is left out.
    /// </summary>
    public IReadOnlyList<ModelPrice> Models
    {
        get
        {
            var reachable = new List<ModelPrice>();
            for (var i = 0; i < _layers.Length; i++)
            {
                foreach (var entry in _layers[i].Entries)
                {
                    if (!_layers.Take(i).Any(higher => higher.TryGet(entry.Model, out _)))
                    {
                        reachable.Add(entry);
                    }
                }
            }

            return reachable;
        }
    }

    /// <summary>
    /// Finds the price of <paramref name="model"/>: in each layer, by precedence, tries the name as given, without
    /// provider prefixes, then its well-known equivalents (<see cref="ModelNames.Candidates"/>).
    /// </summary>
    /// <returns>False when no layer knows the model (<paramref name="price"/> is then null, never a zero price).</returns>
    public bool TryGet(string model, [MaybeNullWhen(false)] out ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var layer in _layers)
        {
            if (layer.TryGet(model, out price))
            {
                return true;
            }
        }

        price = null;
        return false;
    }

    /// <summary>The price of <paramref name="model"/>; throws <see cref="UnknownModelException"/> (listing the known
    /// models and the closest names) when no layer knows it.</summary>
    public ModelPrice Get(string model) =>
        TryGet(model, out var price) ? price : throw new UnknownModelException(model, DescribeUnknown(model));

    /// <summary>
    /// The message for an unknown model: what was asked, which catalogues were searched, the closest known names, and
    /// every known model by catalogue.
    /// </summary>
    public string DescribeUnknown(string model)
    {
        var known = Models;
        var closest = Closest(model, known.Select(m => m.Model), 5);
        var lines = new List<string>
        {
            $"Unknown model '{model}': no price in the catalogue ({Description}). It is not priced (never at zero); "
            + "add it to a price file (--prices) or use a known name.",
        };
        if (closest.Count > 0)
        {
            lines.Add($"Closest known models: {string.Join(", ", closest)}.");
        }

        foreach (var layer in _layers)
        {
            var names = known.Where(layer.Entries.Contains).Select(m => m.Model).Order(StringComparer.Ordinal).ToArray();
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Known models in {layer.Name} ({names.Length}): {(names.Length == 0 ? "none" : string.Join(", ", names))}."));
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static List<string> Closest(string model, IEnumerable<string> names, int count)
    {
        var target = ModelNames.StripProviderPrefixes(model);
        return names
            .Select(name => (name, distance: Text.EditDistance.Levenshtein(target, ModelNames.Normalize(name))))
            .Where(x => x.distance <= Math.Max(3, target.Length / 3))
            .OrderBy(x => x.distance)
            .ThenBy(x => x.name, StringComparer.Ordinal)
            .Take(count)
            .Select(x => x.name)
            .ToList();
    }

    /// <summary>One source of prices: entries and a name → entry index (normalized names and aliases).</summary>
    private sealed class CatalogLayer
    {
        private readonly Dictionary<string, ModelPrice> _byName;

        private CatalogLayer(string name, List<ModelPrice> entries, Dictionary<string, ModelPrice> byName)
        {
            Name = name;
            Entries = entries;
            _byName = byName;
        }

        public string Name { get; }

        public List<ModelPrice> Entries { get; }

        public static CatalogLayer Create(string name, IEnumerable<ModelPrice> prices, bool duplicateIsError)
        {
            var entries = new List<ModelPrice>();
            var byName = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
            var errors = new List<string>();
            foreach (var price in prices)
            {
                ArgumentNullException.ThrowIfNull(price);
                var keys = new[] { price.Model }.Concat(price.Aliases).Select(ModelNames.Normalize).Distinct().ToArray();
                var clash = keys.FirstOrDefault(byName.ContainsKey);
                if (clash is not null)
                {
                    if (duplicateIsError)
                    {
                        errors.Add($"'{clash}' ({price.Model}) is already the name or alias of '{byName[clash].Model}'");
                    }

                    continue;
                }

                entries.Add(price);
                foreach (var key in keys)
                {
                    byName.Add(key, price);
                }
            }

            if (errors.Count > 0)
            {
                throw new ArgumentException($"Catalogue '{name}' has clashing names: {string.Join("; ", errors)}.");
            }

            return new CatalogLayer(name, entries, byName);
        }

        public bool TryGet(string model, [MaybeNullWhen(false)] out ModelPrice price)
        {
            foreach (var candidate in ModelNames.Candidates(model))
            {
                if (_byName.TryGetValue(candidate, out price))
                {
                    return true;
                }
            }

            price = null;
            return false;
        }
    }
}
