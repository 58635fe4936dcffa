using System.Globalization;
using Bench.Core.Client;

namespace Bench.Harness.Running;

/// <summary>
/// A shard's start (issue 16): the shared start time (<c>--start-at</c>) and this host's clock against the others'.
/// </summary>
/// <remarks>
/// Shards on several machines line up on the wall clock: each waits until the shared start on its own clock, so how
/// well they line up is how well their clocks agree. Bench cannot read the other shards' clocks; it reads what it can:
/// the target's HTTP <c>Date</c> header (RFC 9110 §6.6.1, whole seconds), which every shard sees from the same server.
/// The header's time lies in [Date, Date + 1 s) when the server wrote it, somewhere in the request's round trip, so the
/// offset is this host's midpoint of the round trip against Date + 500 ms, within ±(500 ms + half the round trip). Against
/// the embedded simulator the offset is 0 exactly: it runs in this process, on this host's clock, as would another
/// shard on this host.
/// </remarks>
internal static class ShardStart
{
    /// <summary>How far ahead <c>--start-at</c> may be.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromHours(24);

    /// <summary>Why <paramref name="startAt"/> is refused (more than <see cref="MaxAhead"/> ahead of now), or null.</summary>
    public static string? Refusal(DateTimeOffset? startAt, TimeProvider time) =>
        startAt is { } at && at - time.GetUtcNow() > MaxAhead
            ? string.Create(CultureInfo.InvariantCulture, $"--start-at {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}: is {(at - time.GetUtcNow()).TotalHours:0.#} h ahead; a shared start must be at most {MaxAhead.TotalHours:0} h ahead (a typo in the date would otherwise hold the shard for days)")
            : null;

    /// <summary>This host's clock against the shared reference, in ms (positive: this host ahead), and how it was
    /// found. With only embedded simulators: 0 (same host clock). Otherwise one unauthenticated GET of the first real
    /// target's <c>models</c> (no key is sent; any status will do) and its <c>Date</c> header; null with the reason when
    /// there is none or the request fails.</summary>
    public static async Task<(double? OffsetMs, string Note)> ClockOffsetAsync(RunTargets targets, TimeProvider time, CancellationToken cancellationToken)
    {
        var real = targets.All.FirstOrDefault(t => t.Simulator is null);
        if (real is null)
        {
            return (0, "same host clock: the embedded simulator runs in this process, so there is no other clock to compare with; shards on this host share it (offset 0 exactly), shards on other hosts agree only as well as their clocks do (NTP, typically within milliseconds)");
        }

        var uri = real.Endpoint.Resolve("models");
        using var http = BenchHttpClient.Create(new ConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(10), TimeProvider = time });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            var before = time.GetUtcNow();
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var after = time.GetUtcNow();
            if (response.Headers.Date is not { } date)
            {
                return (null, $"not measured: {real.Shown} sent no HTTP Date header; the shards line up only as well as their hosts' clocks (keep them on NTP)");
            }

            var roundTripMs = (after - before).TotalMilliseconds;
            var midpoint = before + ((after - before) / 2);
            var offsetMs = (midpoint - (date + TimeSpan.FromMilliseconds(500))).TotalMilliseconds;
            return (Math.Round(offsetMs, 1), string.Create(CultureInfo.InvariantCulture,
                $"against {real.Shown}'s HTTP Date header (whole seconds): within ±{500 + (roundTripMs / 2):0} ms (500 ms for the header's resolution plus half the {roundTripMs:0} ms round trip)"));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"not measured: GET {BaseUrls.Redact(uri)} failed ({e.GetType().Name}); the shards line up only as well as their hosts' clocks (keep them on NTP)");
        }
    }
}
