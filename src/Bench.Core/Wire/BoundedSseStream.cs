using System.Runtime.CompilerServices;

namespace Bench.Core.Wire;

/// <summary>
/// Sits between the response body and <see cref="System.Net.ServerSentEvents.SseParser"/>: caps the bytes of one SSE line
/// and of one event, and notes the line-level variants (comments, <c>data:</c> without a space, several <c>data:</c>
/// lines, line endings) that the parser consumes silently.
/// </summary>
/// <remarks>
/// <para>Why: .NET 10's <c>SseParser&lt;T&gt;</c> doubles its line buffer until a line ends, with no upper limit (the
/// runtime's later sources add a 64 MiB <c>MaxLineLength</c>, and .NET 11 <c>SseParserOptions.MaxBufferSize</c>), and its
/// data buffer likewise. A hostile or broken server sending one endless line would take the whole heap.</para>
/// <para>How: bytes pass through unchanged until the current event's lines (terminators excluded) exceed
/// <see cref="MaxEventBytes"/>. Then the line is cut at the cap and ended with its own terminator, every following line
/// of the event is dropped with its terminator, and the blank line that ends the event passes — so the parser still sees
/// well-formed lines, dispatches the event (cut, hence malformed) at the right place, and the stream goes on. The first
/// cut marks the accumulator <see cref="StreamAccumulator.Malformed"/> with a reason naming the cap.</para>
/// <para>Line ends are WHATWG's: "CRLF, LF or CR"; a CR at the end of one read and an LF at the start of the next are one
/// line end. The parser's buffer then peaks below twice the cap.</para>
/// <para>With <c>endAtCap</c> (the benchmark client's choice: a response past a cap is malformed whatever follows) the
/// stream ends at the first cut instead, and the rest of the body is left unread for the caller to drop.</para>
/// <para>It also reads what the parser ignores but a benchmark must not: the non-standard <c>error:</c> field (older
/// llama.cpp servers report a mid-stream failure as <c>error: {…}</c>, then <c>data: [DONE]</c>) and an
/// <c>event: error</c> without data (which WHATWG's parser never dispatches); both set
/// <see cref="StreamAccumulator.Error"/>. An <c>error:</c> value is kept up to
/// <see cref="ResponseCaps.DefaultMaxErrorBodyBytes"/>.</para>
/// </remarks>
internal sealed class BoundedSseStream : ReadOnlyStream
{
    /// <summary>The default cap on one event's (and so one line's) bytes: 8 MiB, far above any real chunk (the largest
    /// recorded one, a moderation result, is 3 KiB).</summary>
    public const int DefaultMaxEventBytes = ResponseCaps.DefaultMaxEventBytes;

    /// <summary>How much of an <c>error:</c> field's value is kept.</summary>
    private const int MaxErrorFieldBytes = ResponseCaps.DefaultMaxErrorBodyBytes;

    /// <summary>How many significant bytes of the body's start are kept, to say what a body without events is.</summary>
    private const int HeadBytes = 16;

    private const byte CR = (byte)'\r';
    private const byte LF = (byte)'\n';
    private const int PrefixLength = 6;

    private readonly Stream _inner;
    private readonly StreamAccumulator _accumulator;
    private readonly bool _endAtCap;

    // The line being read: its bytes so far, how many were passed on, and its first bytes (to classify it).
    private long _lineBytes;
    private long _lineKept;
    private ulong _prefix;
    private int _prefixBytes;
    private bool _lineIsData;

    // The event (block of lines up to a blank line) being read: bytes passed on, and whether a data line was seen.
    private long _eventBytes;
    private bool _eventHasData;

    // A CR ended the last line; an LF right after it belongs to the same line end.
    private bool _afterCr;
    private bool _crPassed;

    private Cut _cut;

    // The line is an "error:" field (its value is collected) or an "event:" field (its first value bytes are kept).
    private bool _lineIsError;
    private bool _lineIsEvent;
    private byte[]? _errorValue;
    private int _errorValueBytes;
    private ulong _eventValue;
    private int _eventValueBytes;

    // The event being read was typed "error" (WHATWG: the last "event:" line wins).
    private bool _eventIsError;

    // The first bytes of the body that are neither whitespace nor a byte order mark, to tell what a non-SSE body is.
    private long _bodyBytes;
    private bool _sawFirstByte;
    private int _headBytes;

    public BoundedSseStream(Stream inner, StreamAccumulator accumulator, int maxEventBytes = DefaultMaxEventBytes, bool endAtCap = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 1);
        _inner = inner;
        _accumulator = accumulator;
        _endAtCap = endAtCap;
        MaxEventBytes = maxEventBytes;
    }

    private enum Cut
    {
        /// <summary>Bytes pass.</summary>
        None,

        /// <summary>The line went over the cap: drop the rest of it, pass its terminator if part of it passed.</summary>
        RestOfLine,

        /// <summary>Drop every line, terminator included, up to the blank line that ends the event.</summary>
        RestOfEvent,
    }

    /// <summary>The cap on the bytes of one event's lines (terminators excluded).</summary>
    public int MaxEventBytes { get; }

    /// <summary>True once the stream ended at a cut (only with <c>endAtCap</c>): the body was not read to its end.</summary>
    public bool EndedAtCap { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (EndedAtCap)
            {
                return 0;
            }

            var read = _inner.Read(buffer);
            if (read <= 0)
            {
                return 0;
            }

            // Never report a read of 0 bytes before the end: a read whose every byte was dropped reads again.
            var kept = Filter(buffer[..read]);
            if (kept > 0)
            {
                return kept;
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (EndedAtCap)
            {
                return 0;
            }

            var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                return 0;
            }

            var kept = Filter(buffer.Span[..read]);
            if (kept > 0)
            {
                return kept;
            }
        }
    }

    /// <summary>Filters <paramref name="data"/> in place; returns how many bytes at its start are to be passed on.</summary>
    private int Filter(Span<byte> data)
    {
        if (_headBytes < HeadBytes)
        {
            NoteHead(data);
        }

        var write = 0;
        var i = 0;
        while (i < data.Length)
        {
            if (_afterCr)
            {
                _afterCr = false;
                if (data[i] == LF)
                {
                    // WHATWG: "end-of-line = ( cr lf / cr / lf )" — this LF completes the CR before it.
                    _accumulator.AddVariants(StreamVariants.CrLfLineEndings);
                    if (_crPassed)
                    {
                        data[write++] = LF;
                    }

                    i++;
                    continue;
                }

                _accumulator.AddVariants(StreamVariants.CrLineEndings);
            }

            var rest = data[i..];
            var end = rest.IndexOfAny(CR, LF);
            var lineBytes = end < 0 ? rest.Length : end;
            if (lineBytes > 0)
            {
                var offset = _lineBytes;
                if (_prefixBytes < PrefixLength)
                {
                    NotePrefix(rest[..lineBytes]);
                }

                if ((_lineIsError || _lineIsEvent) && offset + lineBytes > PrefixLength)
                {
                    NoteValue(rest[(int)Math.Max(0, PrefixLength - offset)..lineBytes]);
                }

                var kept = Keep(lineBytes);
                if (kept > 0 && write != i)
                {
                    rest[..kept].CopyTo(data[write..]);
                }

                write += kept;
                i += lineBytes;
                if (EndedAtCap)
                {
                    // The client's choice: past the cap the response is malformed, and nothing more is read.
                    return write;
                }
            }

            if (end < 0)
            {
                break;
            }

            var terminator = data[i++];
            var passed = EndLine();
            if (passed)
            {
                data[write++] = terminator;
            }

            if (terminator == CR)
            {
                _afterCr = true;
                _crPassed = passed;
            }
        }

        return write;
    }

    /// <summary>Counts <paramref name="count"/> more bytes of the current line; returns how many of them pass.</summary>
    private int Keep(int count)
    {
        _lineBytes += count;
        if (_cut != Cut.None)
        {
            return 0;
        }

        var room = MaxEventBytes - _eventBytes;
        if (count <= room)
        {
            _eventBytes += count;
            _lineKept += count;
            return count;
        }

        var kept = (int)room;
        _eventBytes += kept;
        _lineKept += kept;
        _cut = Cut.RestOfLine;
        var cap = ResponseCaps.Format(MaxEventBytes);
        var what = _lineBytes > MaxEventBytes ? "line" : "event";
        if (_endAtCap)
        {
            EndedAtCap = true;
            _accumulator.ExceededCap = true;
            _accumulator.MarkMalformed($"SSE {what} longer than {cap} (max_event_bytes): the rest of the body was dropped unread");
        }
        else
        {
            _accumulator.MarkMalformed(_lineBytes > MaxEventBytes
                ? $"SSE line longer than {cap}: cut there, the rest of its event dropped"
                : $"SSE event longer than {cap}: cut there, the rest of it dropped");
        }

        return kept;
    }

    /// <summary>Ends the current line; returns whether its terminator passes.</summary>
    private bool EndLine()
    {
        var blank = _lineBytes == 0;
        if (_prefixBytes > 0 && _prefixBytes < PrefixLength)
        {
            ClassifyLine();
        }

        bool passed;
        switch (_cut)
        {
            case Cut.RestOfLine:
                // The line was cut: end what passed of it (a line of which nothing passed is dropped whole, or the parser
                // would take its terminator for the blank line that dispatches the event).
                passed = _lineKept > 0;
                _cut = Cut.RestOfEvent;
                break;
            case Cut.RestOfEvent:
                passed = blank;
                if (blank)
                {
                    _cut = Cut.None;
                }

                break;
            default:
                passed = true;
                break;
        }

        if (blank)
        {
            // WHATWG: "If the line is empty (a blank line): Dispatch the event" — but "If the data buffer is an empty
            // string, set the data buffer and the event type buffer to the empty string and return": an error event
            // without data is never dispatched by the parser, so it is reported here.
            if (_eventIsError && !_eventHasData)
            {
                _accumulator.OnErrorEvent([]);
            }

            _eventBytes = 0;
            _eventHasData = false;
            _eventIsError = false;
        }
        else if (_lineIsData)
        {
            _eventHasData = true;
        }
        else if (_lineIsError)
        {
            var value = _errorValue.AsSpan(0, _errorValueBytes);
            _accumulator.OnErrorField(value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value);
        }
        else if (_lineIsEvent)
        {
            // WHATWG: "If the field name is 'event': Set the event type buffer to field value" (a leading space removed).
            Span<byte> type = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(type, _eventValue);
            type = type[.._eventValueBytes];
            _eventIsError = (type.Length > 0 && type[0] == (byte)' ' ? type[1..] : type).SequenceEqual("error"u8);
        }

        _lineBytes = 0;
        _lineKept = 0;
        _prefix = 0;
        _prefixBytes = 0;
        _lineIsData = false;
        _lineIsError = false;
        _lineIsEvent = false;
        _errorValueBytes = 0;
        _eventValue = 0;
        _eventValueBytes = 0;
        return passed;
    }

    /// <summary>Collects the first bytes of a line, and classifies it once there are enough.</summary>
    private void NotePrefix(ReadOnlySpan<byte> bytes)
    {
        var take = Math.Min(PrefixLength - _prefixBytes, bytes.Length);
        for (var j = 0; j < take; j++)
        {
            _prefix |= (ulong)bytes[j] << (8 * _prefixBytes++);
        }

        if (_prefixBytes == PrefixLength)
        {
            ClassifyLine();
        }
    }

    private void ClassifyLine()
    {
        Span<byte> prefix = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(prefix, _prefix);
        prefix = prefix[.._prefixBytes];

        // WHATWG: "If the line starts with a U+003A COLON character (:) — Ignore the line." Servers send these as
        // keep-alives (": keep-alive", ": OPENROUTER PROCESSING").
        if (prefix[0] == (byte)':')
        {
            _accumulator.AddVariants(StreamVariants.Comments);
            return;
        }

        // A field no server sends (WHATWG: "Otherwise: The field is ignored") is how HTML, JSON or binary bytes look
        // to the parser: noted, to tell a body that is not an event stream from one that ended before its first event.
        // The known names are at most 5 bytes: a 6-byte prefix without a colon names none of them.
        var colon = prefix.IndexOf((byte)':');
        ReadOnlySpan<byte> name = colon >= 0 ? prefix[..colon] : prefix.Length < PrefixLength ? prefix : [];
        if (!(name.SequenceEqual("data"u8) || name.SequenceEqual("event"u8) || name.SequenceEqual("id"u8)
            || name.SequenceEqual("retry"u8) || name.SequenceEqual("error"u8)))
        {
            _accumulator.SawNonSseLine = true;
        }

        if (prefix.SequenceEqual("error:"u8))
        {
            // llama.cpp (older builds): "error: {…}" then "data: [DONE]" — a field the WHATWG parser ignores.
            _lineIsError = true;
            _accumulator.AddVariants(StreamVariants.ErrorField);
            return;
        }

        if (prefix.SequenceEqual("event:"u8))
        {
            _lineIsEvent = true;
            return;
        }

        if (prefix.StartsWith("data:"u8) || prefix.SequenceEqual("data"u8))
        {
            _lineIsData = true;

            // WHATWG: "If value starts with a U+0020 SPACE character, remove it from value" — the space is optional.
            if (prefix.Length == PrefixLength && prefix[5] != (byte)' ')
            {
                _accumulator.AddVariants(StreamVariants.NoSpaceAfterData);
            }

            // WHATWG: "Append the field value to the data buffer, then append a single U+000A LINE FEED (LF)".
            if (_eventHasData)
            {
                _accumulator.AddVariants(StreamVariants.MultiLineData);
            }
        }
    }

    /// <summary>Collects the value of an <c>error:</c> line (up to its cap) or the first bytes of an <c>event:</c>
    /// line's value (enough to tell <c>error</c>).</summary>
    private void NoteValue(ReadOnlySpan<byte> bytes)
    {
        if (_lineIsEvent)
        {
            var take = Math.Min(8 - _eventValueBytes, bytes.Length);
            for (var j = 0; j < take; j++)
            {
                _eventValue |= (ulong)bytes[j] << (8 * _eventValueBytes++);
            }

            return;
        }

        var room = MaxErrorFieldBytes - _errorValueBytes;
        if (room <= 0)
        {
            return;
        }

        _errorValue ??= new byte[MaxErrorFieldBytes];
        var kept = bytes[..Math.Min(room, bytes.Length)];
        kept.CopyTo(_errorValue.AsSpan(_errorValueBytes));
        _errorValueBytes += kept.Length;
    }

    /// <summary>Keeps the body's first significant bytes (after a byte order mark and whitespace) in the accumulator's
    /// <see cref="StreamAccumulator.BodyHead"/>.</summary>
    private void NoteHead(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        foreach (var b in data)
        {
            if (_sawFirstByte)
            {
                _accumulator.AppendBodyHead(b);
                if (++_headBytes == HeadBytes)
                {
                    return;
                }

                continue;
            }

            var position = _bodyBytes++;
            if (position < bom.Length && b == bom[(int)position])
            {
                continue;
            }

            if (b is (byte)' ' or (byte)'\t' or CR or LF)
            {
                continue;
            }

            _sawFirstByte = true;
            _accumulator.FirstBodyByte = b;
            _accumulator.AppendBodyHead(b);
            _headBytes++;
        }
    }
}
