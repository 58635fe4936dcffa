using System.Globalization;

namespace Bench.Core.Wire;

/// <summary>
/// The caps on what Bench reads of one response, so that a hostile or broken server cannot take the client's memory:
/// every body is read into a bounded buffer, and past a cap the response is <c>malformed</c> and the rest is dropped
/// unread (the connection is closed), never buffered.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>cap</term><description>default; what it bounds</description></listheader>
/// <item><term><see cref="DefaultMaxResponseBytes"/></term><description>16 MiB: a whole non-streaming 2xx body (one
/// <c>chat.completion</c> JSON object; a real one is a few KiB, the longest answers a few hundred KiB).</description></item>
/// <item><term><see cref="DefaultMaxEventBytes"/></term><description>8 MiB: one SSE event of a stream, and so one line
/// (the largest recorded real chunk is 3 KiB).</description></item>
/// <item><term><see cref="DefaultMaxErrorBodyBytes"/></term><description>16 KiB: what is read of a non-2xx body (and of a
/// 2xx body that is not what was asked for) to say why; the rest is dropped.</description></item>
/// </list>
/// Kept text is capped apart, at <see cref="StreamAccumulator.MaxTextChars"/>.
/// </remarks>
public static class ResponseCaps
{
    /// <summary>The default cap on a non-streaming response body: 16 MiB (16,777,216 bytes).</summary>
    public const int DefaultMaxResponseBytes = 16 * 1024 * 1024;

    /// <summary>The default cap on one SSE event (its lines, terminators excluded): 8 MiB (8,388,608 bytes).</summary>
    public const int DefaultMaxEventBytes = 8 * 1024 * 1024;

    /// <summary>The default cap on what is read of an error body: 16 KiB (16,384 bytes).</summary>
    public const int DefaultMaxErrorBodyBytes = 16 * 1024;

    /// <summary>The smallest cap accepted: 1 KiB.</summary>
    public const int MinBytes = 1024;

    /// <summary>The largest cap accepted: 1 GiB (a .NET array holds at most ~2 GiB).</summary>
    public const int MaxBytes = 1024 * 1024 * 1024;

    /// <summary>A byte count as a reason states it: <c>16 MiB</c>, <c>16 KiB</c>, or <c>1500 bytes</c>.</summary>
    public static string Format(long bytes) =>
        bytes % (1024 * 1024) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : bytes % 1024 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
