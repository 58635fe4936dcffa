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
/// <para><b>Event types without a string per event.</b> The parser turns every <c>event:</c> line into a new string
/// (<c>Encoding.UTF8.GetString</c>; .NET 10 and the 11.0.0 package alike: 64 B for <c>content_block_delta</c>), and
/// the Responses API and Anthropic name every event. So <c>event:</c> lines are taken out of the bytes here, their value
/// looked up in a table of the names those APIs send (or kept once per stream for a name outside it), and handed back
/// by <see cref="EventType"/> when the parser dispatches the event they belong to. The parser then sees an unnamed
/// event and its type stays the default <c>message</c>. This is exact because the stream follows the parser's rules
/// line by line: an event is dispatched at a blank line when a <c>data</c> line passed since the last one (WHATWG: "If
/// the data buffer is an empty string … return"), so the n-th such blank line here is the parser's n-th dispatch; the
/// last <c>event:</c> line of an event wins; once an <c>event:</c> line of an event has passed (elision off), the
/// rest of that event's pass too. A line's first six bytes decide whether it is an <c>event:</c> line, and when a
/// read ends before them they are held back and put in front of the next read (a read into fewer than seven bytes goes
/// through a small buffer of this stream's own). Elision is off for a body that starts with a byte order mark (the
/// parser skips it, this stream would not) and from the first cut on (a cut line may no longer be what it was): the
/// parser then names events itself as before. An event type over <see cref="MaxEventTypeBytes"/> bytes is reported as
/// <see cref="LongEventType"/>: no protocol's name is that long, so every comparison Bench makes gives the same
/// answer.</para>
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

    /// <summary>The longest <c>event:</c> value kept as it is; a longer one is <see cref="LongEventType"/>.</summary>
    internal const int MaxEventTypeBytes = 256;

    /// <summary>The type reported for an event whose <c>event:</c> value is over <see cref="MaxEventTypeBytes"/>.</summary>
    internal const string LongEventType = "(event type over 256 bytes)";

    /// <summary>The event names the Responses API, Anthropic's Messages API and OpenAI-compatible servers send, as
    /// strings made once (OpenAI's and Anthropic's streaming references and the recorded streams).</summary>
    private static readonly (byte[] Utf8, string Name)[] s_knownTypes = Known(
        "message", "error", "ping",
        "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
        "response.created", "response.in_progress", "response.queued", "response.completed", "response.incomplete", "response.failed",
        "response.output_item.added", "response.output_item.done", "response.content_part.added", "response.content_part.done",
        "response.output_text.delta", "response.output_text.done", "response.output_text.annotation.added",
        "response.refusal.delta", "response.refusal.done",
        "response.reasoning_text.delta", "response.reasoning_text.done",
        "response.reasoning_summary_part.added", "response.reasoning_summary_part.done",
        "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
        "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.custom_tool_call_input.delta", "response.custom_tool_call_input.done",
        "response.mcp_call_arguments.delta", "response.mcp_call_arguments.done",
        "response.web_search_call.in_progress", "response.web_search_call.searching", "response.web_search_call.completed",
        "response.file_search_call.in_progress", "response.file_search_call.searching", "response.file_search_call.completed");

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

    // The last byte passed on is a CR that ended a line. An LF ending the next (blank) line must not follow it, or the
    // parser would read the two as one CRLF: lines dropped between them (elided, or cut) made them adjacent.
    private bool _passedCr;

    private Cut _cut;

    // The line is an "error:" field (its value is collected) or an "event:" field (its first value bytes are kept).
    private bool _lineIsError;
    private bool _lineIsEvent;
    private byte[]? _errorValue;
    private int _errorValueBytes;

    // The event being read was typed "error" (WHATWG: the last "event:" line wins).
    private bool _eventIsError;

    // The first bytes of the body that are neither whitespace nor a byte order mark, to tell what a non-SSE body is.
    private long _bodyBytes;
    private bool _sawFirstByte;
    private int _headBytes;

    // Elision of "event:" lines (see remarks): on until a byte order mark or a cut; the current line is one being
    // taken out; the bytes of the current line held back until its first six bytes are known (all in _prefix).
    private bool _elide = true;
    private bool _lineElided;
    private int _deferred;

    // The event being read: the type of its last elided "event:" line; whether an "event:" line of it passed; whether
    // a data line of it passed (then its blank line dispatches).
    private string? _eventType;
    private bool _eventTypePassed;
    private bool _eventDataPassed;

    // The value of the current "event:" line (up to MaxEventTypeBytes), and names outside the table seen in this body.
    private byte[]? _typeValue;
    private int _typeValueBytes;
    private int _lastKnownType;
    private List<(byte[] Utf8, string Name)>? _otherTypes;

    // The dispatches this stream has foreseen and the parser has made, and the elided types waiting for theirs.
    private long _dispatchesForeseen;
    private long _dispatchesMade;
    private (long Dispatch, string Type)[]? _types;
    private int _typesHead;
    private int _typesCount;

    // A read into a buffer too small to hold the held-back bytes goes through this one; what did not fit waits here.
    private byte[]? _small;
    private int _smallOffset;
    private int _smallCount;

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
        if (_smallCount > 0)
        {
            return TakeSmall(buffer);
        }

        if (buffer.Length > PrefixLength)
        {
            return Fill(buffer);
        }

        _small ??= new byte[64];
        _smallOffset = 0;
        _smallCount = Fill(_small);
        return TakeSmall(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _smallCount > 0 ? new ValueTask<int>(TakeSmall(buffer.Span))
        : buffer.Length > PrefixLength ? FillAsync(buffer, cancellationToken)
        : ReadSmallAsync(buffer, cancellationToken);

    private async ValueTask<int> ReadSmallAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        _small ??= new byte[64];
        _smallOffset = 0;
        _smallCount = await FillAsync(_small, cancellationToken).ConfigureAwait(false);
        return TakeSmall(buffer.Span);
    }

    /// <summary>The type of the event the parser is dispatching, given the type the parser read: the elided
    /// <c>event:</c> line's when the event had one (then the parser read none and says <c>message</c>), else the
    /// parser's. Called once per dispatch, in order.</summary>
    internal string EventType(string parsed)
    {
        var dispatch = _dispatchesMade++;
        while (_typesCount > 0)
        {
            var (at, type) = _types![_typesHead];
            if (at > dispatch)
            {
                break;
            }

            _typesHead = (_typesHead + 1) % _types.Length;
            _typesCount--;
            if (at == dispatch && string.Equals(parsed, "message", StringComparison.Ordinal))
            {
                return type;
            }
        }

        return parsed;
    }

    private int TakeSmall(Span<byte> buffer)
    {
        var take = Math.Min(buffer.Length, _smallCount);
        _small.AsSpan(_smallOffset, take).CopyTo(buffer);
        _smallOffset += take;
        _smallCount -= take;
        return take;
    }

    /// <summary>Reads into <paramref name="buffer"/> (longer than <see cref="PrefixLength"/>): the held-back bytes of
    /// the current line first, then the body; returns how many filtered bytes it holds, 0 at the end.</summary>
    private int Fill(Span<byte> buffer)
    {
        while (true)
        {
            if (EndedAtCap)
            {
                return 0;
            }

            var held = Restore(buffer);
            var read = _inner.Read(buffer[held..]);
            if (read <= 0)
            {
                // Held-back bytes at the end are an unfinished line, which the parser would drop.
                return 0;
            }

            // Never report a read of 0 bytes before the end: a read whose every byte was dropped or held reads again.
            var kept = Filter(buffer[..(held + read)], held);
            if (kept > 0)
            {
                return kept;
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> FillAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (EndedAtCap)
            {
                return 0;
            }

            var held = Restore(buffer.Span);
            var read = await _inner.ReadAsync(buffer[held..], cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                return 0;
            }

            var kept = Filter(buffer.Span[..(held + read)], held);
            if (kept > 0)
            {
                return kept;
            }
        }
    }

    /// <summary>Puts the held-back bytes of the current line (its first bytes, kept in <see cref="_prefix"/>) at the
    /// start of <paramref name="buffer"/>; returns how many.</summary>
    private int Restore(Span<byte> buffer)
    {
        for (var j = 0; j < _deferred; j++)
        {
            buffer[j] = (byte)(_prefix >> (8 * j));
        }

        return _deferred;
    }

    /// <summary>Filters <paramref name="data"/> in place; returns how many bytes at its start are to be passed on. Its
    /// first <paramref name="held"/> bytes are the current line's held-back ones, already counted.</summary>
    private int Filter(Span<byte> data, int held)
    {
        if (_headBytes < HeadBytes)
        {
            NoteHead(data[held..]);
        }

        var write = 0;
        var i = held;
        var heldAt = 0;
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
                        _passedCr = false;
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
                if (_cut != Cut.None)
                {
                    // A cut line may no longer be what its first bytes said: from here on the parser names events.
                    _elide = false;
                }

                if (_lineElided)
                {
                    _deferred = 0;
                }
                else if (_elide && _prefixBytes < PrefixLength)
                {
                    // Not yet known to be an "event:" line: held back (in place; Restore puts it back after a read).
                    if (_deferred == 0)
                    {
                        heldAt = i;
                    }

                    _deferred += kept;
                }
                else
                {
                    write = Release(data, write, heldAt);
                    if (kept > 0 && write != i)
                    {
                        rest[..kept].CopyTo(data[write..]);
                    }

                    write += kept;
                    _passedCr &= kept == 0;
                }

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
            write = Release(data, write, heldAt);
            if (passed)
            {
                // After a passed CR, a blank line's LF would join it: a lone CR ends the line the same way.
                data[write++] = terminator == LF && _passedCr ? CR : terminator;
                _passedCr = data[write - 1] == CR;
            }

            if (terminator == CR)
            {
                _afterCr = true;
                _crPassed = passed;
            }
        }

        return write;
    }

    /// <summary>Passes on the held-back bytes of the current line (at <paramref name="heldAt"/>), if any: it is not an
    /// <c>event:</c> line that goes.</summary>
    private int Release(Span<byte> data, int write, int heldAt)
    {
        if (_deferred == 0)
        {
            return write;
        }

        if (write != heldAt)
        {
            data.Slice(heldAt, _deferred).CopyTo(data[write..]);
        }

        write += _deferred;
        _deferred = 0;
        _passedCr = false;
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

        if (_lineElided)
        {
            passed = false;
        }

        if (blank)
        {
            if (_eventDataPassed)
            {
                // The parser dispatches here: this is its next dispatch. Only then does it reset its event type (.NET's
                // SseParser keeps the type across a blank line that dispatches nothing, so this stream does too).
                var dispatch = _dispatchesForeseen++;
                if (_eventType is not null && _elide)
                {
                    Enqueue(dispatch, _eventType);
                }

                _eventType = null;
                _eventTypePassed = false;
            }

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
            _eventDataPassed = false;
        }
        else if (_lineIsData)
        {
            _eventHasData = true;
            _eventDataPassed |= passed;
        }
        else if (_lineIsError)
        {
            var value = _errorValue.AsSpan(0, _errorValueBytes);
            _accumulator.OnErrorField(value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value);
        }
        else if (_lineIsEvent)
        {
            // WHATWG: "If the field name is 'event': Set the event type buffer to field value" (a leading space removed).
            var value = _typeValue.AsSpan(0, _typeValueBytes);
            var overLong = _lineBytes - PrefixLength > MaxEventTypeBytes + 1;
            if (value.Length > 0 && value[0] == (byte)' ')
            {
                value = value[1..];
            }
            else
            {
                overLong |= _lineBytes - PrefixLength > MaxEventTypeBytes;
            }

            _eventIsError = !overLong && value.SequenceEqual("error"u8);
            if (_lineElided)
            {
                _eventType = overLong ? LongEventType : TypeNamed(value);
            }
            else if (passed)
            {
                // The parser has this type, and keeps it unless a later "event:" line passes: no more elision here.
                _eventTypePassed = true;
                _eventType = null;
            }
        }

        _lineBytes = 0;
        _lineKept = 0;
        _prefix = 0;
        _prefixBytes = 0;
        _lineIsData = false;
        _lineIsError = false;
        _lineIsEvent = false;
        _errorValueBytes = 0;
        _typeValueBytes = 0;
        _lineElided = false;
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
            _lineElided = _elide && !_eventTypePassed;
            return;
        }

        if (prefix.SequenceEqual("event"u8))
        {
            // The whole line: WHATWG takes it as the field "event" with an empty value. It passes (it is known only at
            // its end, after its bytes were held back), and the parser's type is then "".
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

    /// <summary>Collects the value of an <c>error:</c> line (up to its cap) or of an <c>event:</c> line (up to
    /// <see cref="MaxEventTypeBytes"/> and its leading space).</summary>
    private void NoteValue(ReadOnlySpan<byte> bytes)
    {
        if (_lineIsEvent)
        {
            _typeValue ??= new byte[MaxEventTypeBytes + 1];
            var take = Math.Min(_typeValue.Length - _typeValueBytes, bytes.Length);
            bytes[..take].CopyTo(_typeValue.AsSpan(_typeValueBytes));
            _typeValueBytes += take;
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

    /// <summary>The string of an elided event type: from the table of known names, else from this body's earlier
    /// ones, else made (as the parser makes it) and remembered for this body (up to 16 names).</summary>
    private string TypeNamed(ReadOnlySpan<byte> value)
    {
        var known = s_knownTypes;
        if (value.SequenceEqual(known[_lastKnownType].Utf8))
        {
            return known[_lastKnownType].Name;
        }

        for (var k = 0; k < known.Length; k++)
        {
            if (known[k].Utf8.Length == value.Length && value.SequenceEqual(known[k].Utf8))
            {
                _lastKnownType = k;
                return known[k].Name;
            }
        }

        if (_otherTypes is not null)
        {
            foreach (var (utf8, name) in _otherTypes)
            {
                if (value.SequenceEqual(utf8))
                {
                    return name;
                }
            }
        }

        var made = System.Text.Encoding.UTF8.GetString(value);
        _otherTypes ??= [];
        if (_otherTypes.Count < 16)
        {
            _otherTypes.Add((value.ToArray(), made));
        }

        return made;
    }

    /// <summary>Keeps <paramref name="type"/> for the parser's dispatch number <paramref name="dispatch"/>.</summary>
    private void Enqueue(long dispatch, string type)
    {
        _types ??= new (long, string)[8];
        if (_typesCount == _types.Length)
        {
            var grown = new (long, string)[_types.Length * 2];
            for (var j = 0; j < _typesCount; j++)
            {
                grown[j] = _types[(_typesHead + j) % _types.Length];
            }

            _types = grown;
            _typesHead = 0;
        }

        _types[(_typesHead + _typesCount) % _types.Length] = (dispatch, type);
        _typesCount++;
    }

    private static (byte[] Utf8, string Name)[] Known(params string[] names) =>
        [.. names.Select(name => (System.Text.Encoding.UTF8.GetBytes(name), name))];

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
                // The parser skips a byte order mark at the start, and this stream's lines would then differ from its.
                _elide = false;
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
