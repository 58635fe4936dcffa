using System.Collections.Concurrent;
using System.Globalization;
using Bench.Core.Records;
using Bench.Simulator.Hosting;

namespace Bench.Harness.SelfTest;

/// <summary>
/// The embedded simulator's own account of every request (<see cref="ServerTiming"/>), keyed by the
/// <c>X-Bench-Request-Id</c> header Bench's client sends (the record's id). Thread-safe: <see cref="Add"/> is the
/// simulator's <see cref="SimulatorOptions.OnCompleted"/> callback.
/// </summary>
internal sealed class GroundTruth
{
    private readonly ConcurrentDictionary<long, ServerTiming> _timings = new();
    private long _withoutId;

    /// <summary>Reports that carried no parsable request id (cannot be joined).</summary>
    public long WithoutId => Interlocked.Read(ref _withoutId);

    /// <summary>Reports received.</summary>
    public int Count => _timings.Count;

    /// <summary>Keeps one report (the simulator's callback; fast, never throws).</summary>
    public void Add(ServerTiming timing)
    {
        if (timing.RequestId is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            _timings[id] = timing;
        }
        else
        {
            Interlocked.Increment(ref _withoutId);
        }
    }

    /// <summary>The report of request <paramref name="id"/>, if it has arrived.</summary>
    public bool TryGet(long id, out ServerTiming timing) => _timings.TryGetValue(id, out timing);

    /// <summary>Waits until every id in <paramref name="ids"/> has a report, or <paramref name="timeout"/> passes
    /// (reports may arrive just after the client has read the whole response). Returns whether all arrived.</summary>
    /// <param name="ids">The requests to wait for.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <param name="refresh">Called before each look, to bring in new reports (e.g. read the lines a child simulator
    /// has appended to its timings file); <see langword="null"/> when reports arrive by <see cref="Add"/> alone.</param>
    public async Task<bool> WaitForAsync(IReadOnlyCollection<long> ids, TimeSpan timeout, CancellationToken cancellationToken, Action? refresh = null)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            refresh?.Invoke();
            if (ids.All(_timings.ContainsKey))
            {
                return true;
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Bench's records joined to the simulator's reports by request id, and the differences (all on one clock: the
/// client's record is in ms since its <see cref="RunClock"/>'s origin, the simulator's Stopwatch ticks are converted by
/// the same clock with the same rounding).
/// </summary>
/// <param name="Joined">Records the simulator reported on.</param>
/// <param name="TtftErrorUs">Client first-token arrival − server first-token flush, µs (successful streamed requests).</param>
/// <param name="E2eErrorUs">Client end of response − server last-byte flush, µs (successful requests).</param>
/// <param name="RequestTransitUs">Server received − client sent, µs.</param>
/// <param name="SimulatorTtftLatenessUs">(First-token flush − server start) − profile TTFT, µs.</param>
/// <param name="SimulatorE2eLatenessUs">(Last-byte flush − server start) − profile E2E, µs.</param>
internal sealed record TruthJoin(
    long Joined,
    DistributionUs? TtftErrorUs,
    DistributionUs? E2eErrorUs,
    DistributionUs? RequestTransitUs,
    DistributionUs? SimulatorTtftLatenessUs,
    DistributionUs? SimulatorE2eLatenessUs)
{
    /// <summary>Joins <paramref name="records"/> (already filtered to what is measured) to <paramref name="truth"/>.</summary>
    /// <param name="records">The client's records.</param>
    /// <param name="truth">The simulator's reports.</param>
    /// <param name="clock">The clock the records were taken on; converts the reports' ticks.</param>
    /// <param name="profileTtftMs">The profile's fixed TTFT, ms; <see langword="null"/> for non-streaming (no TTFT).</param>
    /// <param name="profileE2eMs">The profile's fixed E2E, ms.</param>
    public static TruthJoin Of(IEnumerable<RequestRecord> records, GroundTruth truth, RunClock clock, double? profileTtftMs, double profileE2eMs)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(clock);
        var ttftError = new SignedHistogram();
        var e2eError = new SignedHistogram();
        var transit = new SignedHistogram();
        var serverTtft = new SignedHistogram();
        var serverE2e = new SignedHistogram();
        long joined = 0;
        foreach (var record in records)
        {
            if (!truth.TryGet(record.Id, out var server))
            {
                continue;
            }

            joined++;
            if (record.Outcome != Outcome.Success)
            {
                continue;
            }

            transit.RecordMs(clock.ToMs(server.ReceivedTimestamp) - record.SentMs);
            e2eError.RecordMs(record.EndMs - clock.ToMs(server.LastByteTimestamp));
            serverE2e.RecordMs(clock.ToMs(server.LastByteTimestamp) - clock.ToMs(server.StartedTimestamp) - profileE2eMs);
            if (profileTtftMs is { } ttftMs && record.FirstTokenMs is { } firstTokenMs && server.FirstTokenTimestamp is { } firstToken)
            {
                ttftError.RecordMs(firstTokenMs - clock.ToMs(firstToken));
                serverTtft.RecordMs(clock.ToMs(firstToken) - clock.ToMs(server.StartedTimestamp) - ttftMs);
            }
        }

        return new TruthJoin(joined, ttftError.ToDistribution(), e2eError.ToDistribution(), transit.ToDistribution(),
            serverTtft.ToDistribution(), serverE2e.ToDistribution());
    }
}
