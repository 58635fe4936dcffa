using System.Runtime.CompilerServices;

namespace Bench.Core.Wire;

/// <summary>
/// A read-only pass-through stream that notes when bytes come off the wire: the <paramref name="timeProvider"/>'s
/// timestamp (<see cref="System.Diagnostics.Stopwatch"/> ticks on <see cref="TimeProvider.System"/>) taken right after
/// each read that returned data, before anyone parses it: one virtual call a read, no allocation. Disposing it leaves
/// the inner stream open (its owner, usually the HTTP response, disposes it).
/// </summary>
internal sealed class TimestampingStream(Stream inner, TimeProvider timeProvider) : ReadOnlyStream
{
    /// <summary>Timestamp of the first read that returned data; 0 until then.</summary>
    public long FirstReadTimestamp { get; private set; }

    /// <summary>Timestamp of the latest read that returned data; 0 until then.</summary>
    public long LastReadTimestamp { get; private set; }

    /// <summary>Timestamp of the first read that reported the end of the stream; 0 until then.</summary>
    public long EndOfStreamTimestamp { get; private set; }

    public override int Read(Span<byte> buffer) => Stamp(inner.Read(buffer));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Stamp(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    private int Stamp(int read)
    {
        var now = timeProvider.GetTimestamp();
        if (read > 0)
        {
            if (FirstReadTimestamp == 0)
            {
                FirstReadTimestamp = now;
            }

            LastReadTimestamp = now;
        }
        else if (EndOfStreamTimestamp == 0)
        {
            EndOfStreamTimestamp = now;
        }

        return read;
    }
}
