using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// One cell's failed attempts grouped by outcome, HTTP status and provider error code (<see cref="CodeOf"/>), with the
/// most common error messages of each group, in bounded memory: at most <see cref="MaxGroups"/> groups and
/// <see cref="MaxMessagesPerGroup"/> distinct messages a
/// group (later new messages are counted as "other"). Messages are the records' (keys already redacted), whitespace
/// collapsed and cut to <see cref="MaxMessageChars"/> characters. The report's failure table and <c>bench run</c>'s line per
/// failing cell on standard error both read it. Not thread-safe.
/// </summary>
public sealed class FailureTally
{
    /// <summary>Outcome × status × code groups kept per cell; later groups are counted in the last kept row's total only.</summary>
    public const int MaxGroups = 64;

    /// <summary>Distinct messages counted per group.</summary>
    public const int MaxMessagesPerGroup = 100;

    /// <summary>A message is cut to this many characters.</summary>
    public const int MaxMessageChars = 160;

    /// <summary>The message counted for a failure that carried none.</summary>
    public const string NoMessage = "(no message)";

    /// <summary>Messages shown per group.</summary>
    public const int TopMessages = 3;

    private readonly Dictionary<(Outcome Outcome, int? Status, string? Code), Group> _groups = [];
    private long _ungrouped;

    /// <summary>Counts <paramref name="record"/> when it is a failed attempt.</summary>
    public void Add(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Outcome == Outcome.Success || !record.Outcome.IsAttempt())
        {
            return;
        }

        var key = (record.Outcome, record.HttpStatus, CodeOf(record));
        if (!_groups.TryGetValue(key, out var group))
        {
            if (_groups.Count >= MaxGroups)
            {
                _ungrouped++;
                return;
            }

            group = new Group();
            _groups.Add(key, group);
        }

        group.Count++;
        var message = Clean(record.Error?.Message ?? record.Error?.Code ?? record.Error?.Type);
        if (group.Messages.TryGetValue(message, out var n))
        {
            group.Messages[message] = n + 1;
        }
        else if (group.Messages.Count < MaxMessagesPerGroup)
        {
            group.Messages[message] = 1;
        }
        else
        {
            group.Other++;
        }
    }

    /// <summary>The provider's error code of a failed record (<c>invalid_api_key</c>), else its error type when that says
    /// more than the outcome's own name (<c>insufficient_quota</c>, <c>overloaded_error</c>), cleaned; null when neither.</summary>
    public static string? CodeOf(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var code = record.Error?.Code is { Length: > 0 } c ? c
            : record.Error?.Type is { Length: > 0 } type && type != Names.Of(record.Outcome) ? type
            : null;
        return code is null ? null : Clean(code);
    }

    /// <summary>Failed attempts beyond <see cref="MaxGroups"/> distinct groups (counted, not split).</summary>
    public long Ungrouped => _ungrouped;

    /// <summary>Failed attempts counted (grouped or not).</summary>
    public long Failures => _ungrouped + _groups.Values.Sum(g => g.Count);

    /// <summary>The groups, largest first (then by outcome, status and code), each with its <see cref="TopMessages"/> most
    /// common messages.</summary>
    public IReadOnlyList<FailureGroup> Groups() =>
    [
        .. _groups
            .OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key.Outcome).ThenBy(g => g.Key.Status ?? -1).ThenBy(g => g.Key.Code, StringComparer.Ordinal)
            .Select(g => new FailureGroup(g.Key.Outcome, g.Key.Status, g.Key.Code, g.Value.Count,
                [.. g.Value.Messages.OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal).Take(TopMessages)
                    .Select(m => new MessageCount(m.Key, m.Value))],
                g.Value.Messages.Count, g.Value.Other)),
    ];

    /// <summary>A message as the table shows it: one line, collapsed whitespace, cut to <see cref="MaxMessageChars"/>.</summary>
    public static string Clean(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return NoMessage;
        }

        var collapsed = string.Join(' ', message.Split((char[]?)null, MaxMessageChars + 1, StringSplitOptions.RemoveEmptyEntries));
        if (collapsed.Length <= MaxMessageChars)
        {
            return collapsed;
        }

        var length = char.IsHighSurrogate(collapsed[MaxMessageChars - 2]) ? MaxMessageChars - 2 : MaxMessageChars - 1;
        return string.Concat(collapsed.AsSpan(0, length), "…");
    }

    private sealed class Group
    {
        public long Count;
        public long Other;
        public readonly Dictionary<string, long> Messages = new(StringComparer.Ordinal);
    }
}

/// <summary>Failed attempts of one outcome, HTTP status and provider code in a cell.</summary>
/// <param name="Outcome">The failure outcome.</param>
/// <param name="HttpStatus">The HTTP status, or null when no response arrived.</param>
/// <param name="Code">The provider's error code or telling type (<see cref="FailureTally.CodeOf"/>), or null.</param>
/// <param name="Count">Requests in the group.</param>
/// <param name="TopMessages">The most common messages (at most <see cref="FailureTally.TopMessages"/>), most common first.</param>
/// <param name="DistinctMessages">Distinct messages counted (up to <see cref="FailureTally.MaxMessagesPerGroup"/>).</param>
/// <param name="OtherMessages">Requests whose message was not counted because the group already had
/// <see cref="FailureTally.MaxMessagesPerGroup"/> distinct ones.</param>
public sealed record FailureGroup(Outcome Outcome, int? HttpStatus, string? Code, long Count, IReadOnlyList<MessageCount> TopMessages, int DistinctMessages, long OtherMessages);

/// <summary>One error message and how many requests of a group carried it.</summary>
/// <param name="Message">The message, cleaned (<see cref="FailureTally.Clean"/>).</param>
/// <param name="Count">Requests with it.</param>
public sealed record MessageCount(string Message, long Count);
