using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// One cell's requests whose <c>usage</c> was not believed (<see cref="UsageCheck"/>): how many, of which kinds, and a
/// few example ids, in constant memory. Not thread-safe (its <see cref="CellAggregator"/> serialises access).
/// </summary>
public sealed class UsageFlags
{
    /// <summary>Example ids kept per cell.</summary>
    public const int MaxExampleIds = 5;

    /// <summary>Distinct kinds kept per cell (the rules have eleven; a hand-edited file may invent more).</summary>
    public const int MaxKinds = 32;

    private readonly Dictionary<string, long> _kinds = new(StringComparer.Ordinal);
    private readonly List<long> _ids = [];

    /// <summary>Flagged requests.</summary>
    public long Count { get; private set; }

    /// <summary>Flagged requests without a local count: their tokens are unknown, so they are not priced.</summary>
    public long Unpriced { get; private set; }

    /// <summary>Flagged requests per issue kind (a request may have several), most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Kinds =>
        [.. _kinds.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal)];

    /// <summary>The first <see cref="MaxExampleIds"/> flagged request ids, in the order seen.</summary>
    public IReadOnlyList<long> ExampleIds => _ids;

    /// <summary>Counts <paramref name="record"/> when it is flagged, or when its counts are not consistent (a record
    /// that did not pass through <see cref="UsageCheck.Apply"/>). Returns whether its counts may be billed.</summary>
    public bool Add(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var consistent = UsageCheck.IsConsistent(record);
        if (record.UsageIssue is null && consistent)
        {
            return true;
        }

        Count++;
        if (!consistent || (record.PromptTokens is null && record.CompletionTokens is null))
        {
            Unpriced++;
        }

        if (_ids.Count < MaxExampleIds)
        {
            _ids.Add(record.Id);
        }

        var kinds = record.UsageIssue is { } issue ? UsageCheck.KindsOf(issue) : [UsageCheck.Kinds.Negative];
        foreach (var kind in kinds)
        {
            if (_kinds.TryGetValue(kind, out var n))
            {
                _kinds[kind] = n + 1;
            }
            else if (_kinds.Count < MaxKinds)
            {
                _kinds[kind] = 1;
            }
        }

        return consistent;
    }
}
