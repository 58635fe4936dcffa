using Bench.Core.Tokens;

namespace Bench.Core.Wire;

/// <summary>
/// What Bench reconstructs from one captured response body (<c>curl -N … &gt; body.sse</c>) of any
/// <see cref="WireProtocol"/>: the events, text, tool calls, finish reason, usage, error, the variants met, and a local
/// token count. Behind <c>bench inspect</c>; it reads exactly as a benchmark run does (<see cref="ChatStreamReader"/>
/// with the protocol's parser; a JSON body of a known protocol — a non-streaming response, or Gemini's non-SSE
/// streaming array — through <see cref="ChatCompletionReader"/>).
/// </summary>
public sealed class StreamInspection
{
    /// <summary>How much of the body's start is looked at to tell its protocol: 64 KiB.</summary>
    public const int DetectionBytes = 64 * 1024;

    private StreamInspection(StreamAccumulator response, string protocolSource, string? notAnEventStream, string? tokenizerEncoding, CompletionTokenCount? tokenizerCount)
    {
        Response = response;
        ProtocolSource = protocolSource;
        NotAnEventStream = notAnEventStream;
        TokenizerEncoding = tokenizerEncoding;
        TokenizerCount = tokenizerCount;
        Variants = StreamVariantNames.Of(response.Variants, response.UsageVendorKey);
    }

    /// <summary>Everything read from the body.</summary>
    public StreamAccumulator Response { get; }

    /// <summary>The protocol the body was read as (<see cref="StreamAccumulator.Protocol"/>).</summary>
    public WireProtocol Protocol => Response.Protocol;

    /// <summary>How <see cref="Protocol"/> was chosen: <c>given</c> (<c>--protocol</c>), <c>detected</c> from the body
    /// (<see cref="Detect"/>), or <c>default</c> (nothing showed: Chat Completions).</summary>
    public string ProtocolSource { get; }

    /// <summary>Whether the body was one JSON document (a non-streaming response, or Gemini's streaming array) rather
    /// than an SSE event stream.</summary>
    public bool IsJsonBody { get; private init; }

    /// <summary>Why the body is not an SSE event stream (no event at all: a JSON document of no known protocol, HTML,
    /// binary, nothing), or <see langword="null"/> when it is one or a JSON body of a known protocol.</summary>
    public string? NotAnEventStream { get; }

    /// <summary>Whether the body held at least one SSE event, or was a JSON body of a known protocol.</summary>
    public bool IsEventStream => NotAnEventStream is null;

    /// <summary>The names of the variants met (<see cref="StreamVariantNames"/>).</summary>
    public IReadOnlyList<string> Variants { get; }

    /// <summary>The encoding of <see cref="TokenizerCount"/>; <see langword="null"/> when not counted.</summary>
    public string? TokenizerEncoding { get; }

    /// <summary>The received text counted locally; <see langword="null"/> when not counted.</summary>
    public CompletionTokenCount? TokenizerCount { get; }

    /// <summary>Reads <paramref name="body"/>, telling its protocol from its start (<see cref="Detect"/>).</summary>
    /// <param name="body">A captured body; not disposed.</param>
    /// <param name="tokenizer"><see langword="null"/> to pick the encoding from the stream's <c>model</c>,
    /// <c>o200k_base</c> or <c>cl100k_base</c> to force one, <c>none</c> not to count.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="ArgumentException"><paramref name="tokenizer"/> is not one of those values.</exception>
    /// <exception cref="IOException">The body could not be read.</exception>
    public static Task<StreamInspection> InspectAsync(Stream body, string? tokenizer = null, CancellationToken cancellationToken = default) =>
        InspectAsync(body, protocol: null, tokenizer, cancellationToken);

    /// <summary>Reads <paramref name="body"/> as <paramref name="protocol"/>, or as the protocol its start shows when
    /// <see langword="null"/> (<see cref="Detect"/>; Chat Completions when nothing shows).</summary>
    /// <param name="body">A captured body; not disposed.</param>
    /// <param name="protocol">The protocol to read it as; <see langword="null"/> to detect it.</param>
    /// <param name="tokenizer"><see langword="null"/> to pick the encoding from the stream's <c>model</c>,
    /// <c>o200k_base</c> or <c>cl100k_base</c> to force one, <c>none</c> not to count.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="ArgumentException"><paramref name="tokenizer"/> is not one of those values.</exception>
    /// <exception cref="IOException">The body could not be read.</exception>
    public static async Task<StreamInspection> InspectAsync(Stream body, WireProtocol? protocol, string? tokenizer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (tokenizer is not null && tokenizer != TokenEncodings.None && !TokenEncodings.IsKnown(tokenizer))
        {
            throw new ArgumentException(
                $"Unknown tokenizer '{tokenizer}'; expected {string.Join(", ", TokenEncodings.All)} or {TokenEncodings.None}.", nameof(tokenizer));
        }

        var head = new byte[DetectionBytes];
        var headLength = 0;
        int read;
        while (headLength < head.Length
            && (read = await body.ReadAsync(head.AsMemory(headLength), cancellationToken).ConfigureAwait(false)) > 0)
        {
            headLength += read;
        }

        var detected = protocol is null ? Detect(head.AsSpan(0, headLength)) : null;
        var source = protocol is not null ? "given" : detected is not null ? "detected" : "default";
        var response = new StreamAccumulator(protocol ?? detected ?? WireProtocol.OpenAiChat);
        var whole = new PrefixedStream(head, headLength, body);
        var jsonBody = (protocol is not null || detected is not null) && StartsWithJson(head.AsSpan(0, headLength));
        if (jsonBody)
        {
            await ChatCompletionReader.ReadAsync(whole, response, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ChatStreamReader.ReadAsync(whole, response, cancellationToken).ConfigureAwait(false);
            if (response.Events == 0)
            {
                return new StreamInspection(response, source, Describe(response.FirstBodyByte, response.BodyHead), null, null);
            }
        }

        if (tokenizer == TokenEncodings.None)
        {
            return new StreamInspection(response, source, null, null, null) { IsJsonBody = jsonBody };
        }

        var counter = tokenizer is null ? TokenCounter.ForModel(response.Model) : TokenCounter.ForEncoding(tokenizer);
        return new StreamInspection(response, source, null, counter.Encoding, counter.CountCompletion(response)) { IsJsonBody = jsonBody };
    }

    /// <summary>The protocol a body's start shows, by the earliest of each protocol's marks: Chat Completions
    /// <c>"choices"</c> or <c>chat.completion</c>; Responses a <c>response.</c> event type or <c>"object":"response"</c>;
    /// Anthropic <c>message_start</c>, <c>content_block_</c> or <c>"type":"message"</c>; Gemini <c>"candidates"</c>,
    /// <c>"usageMetadata"</c> or <c>"promptFeedback"</c>. <see langword="null"/> when none shows.</summary>
    /// <param name="head">The body's first bytes (<see cref="DetectionBytes"/> are enough).</param>
    public static WireProtocol? Detect(ReadOnlySpan<byte> head)
    {
        WireProtocol? found = null;
        var earliest = int.MaxValue;
        Mark(head, "\"choices\""u8, WireProtocol.OpenAiChat, ref found, ref earliest);
        Mark(head, "chat.completion"u8, WireProtocol.OpenAiChat, ref found, ref earliest);
        Mark(head, "\"response."u8, WireProtocol.OpenAiResponses, ref found, ref earliest);
        Mark(head, "event: response."u8, WireProtocol.OpenAiResponses, ref found, ref earliest);
        Mark(head, "\"object\":\"response\""u8, WireProtocol.OpenAiResponses, ref found, ref earliest);
        Mark(head, "\"object\": \"response\""u8, WireProtocol.OpenAiResponses, ref found, ref earliest);
        Mark(head, "message_start"u8, WireProtocol.AnthropicMessages, ref found, ref earliest);
        Mark(head, "content_block_"u8, WireProtocol.AnthropicMessages, ref found, ref earliest);
        Mark(head, "\"type\":\"message\""u8, WireProtocol.AnthropicMessages, ref found, ref earliest);
        Mark(head, "\"type\": \"message\""u8, WireProtocol.AnthropicMessages, ref found, ref earliest);
        Mark(head, "\"candidates\""u8, WireProtocol.Gemini, ref found, ref earliest);
        Mark(head, "\"usageMetadata\""u8, WireProtocol.Gemini, ref found, ref earliest);
        Mark(head, "\"promptFeedback\""u8, WireProtocol.Gemini, ref found, ref earliest);
        return found;
    }

    private static void Mark(ReadOnlySpan<byte> head, ReadOnlySpan<byte> mark, WireProtocol protocol, ref WireProtocol? found, ref int earliest)
    {
        var at = head.IndexOf(mark);
        if (at >= 0 && at < earliest)
        {
            earliest = at;
            found = protocol;
        }
    }

    /// <summary>Whether the first significant byte (after a byte order mark and whitespace) opens a JSON object or
    /// array: an SSE stream starts with a field name or a comment instead.</summary>
    private static bool StartsWithJson(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        head = head.TrimStart(" \t\r\n"u8);
        return !head.IsEmpty && head[0] is (byte)'{' or (byte)'[';
    }

    /// <summary>Where the usage came from: <c>usage</c> (Chat Completions, Anthropic), <c>response.usage</c>
    /// (Responses), <c>usageMetadata</c> (Gemini), or <c>KEY.usage</c> for a provider that nests it under a vendor key; <see langword="null"/> when the stream carried none.</summary>
    public string? UsageSource =>
        !Response.HasUsage ? null
        : Response.UsageVendorKey is { } key ? $"{key}.usage"
        : Protocol switch
        {
            WireProtocol.OpenAiResponses => "response.usage",
            WireProtocol.Gemini => "usageMetadata",
            _ => "usage",
        };

    /// <summary>Names what a body without a single SSE event looks like, from its first significant bytes.</summary>
    private static string Describe(byte? first, byte[] head) => first switch
    {
        null => "the input is empty (or only whitespace): no SSE events",
        (byte)'{' or (byte)'[' => "the input is a JSON document, not an SSE event stream (a non-streaming response or an error body?): no 'data:' events",
        (byte)'<' => "the input looks like HTML or XML, not an SSE event stream: no 'data:' events",
        _ when BodyDescription.Sniff(head) is var what && what != "text" => $"no SSE 'data:' events found: not an event stream ({what})",
        _ => "no SSE 'data:' events found: not an event stream",
    };

    /// <summary>The bytes already read for detection, then the rest of the body.</summary>
    private sealed class PrefixedStream(byte[] head, int headLength, Stream rest) : ReadOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position < headLength)
            {
                var count = Math.Min(buffer.Length, headLength - _position);
                head.AsSpan(_position, count).CopyTo(buffer);
                _position += count;
                return count;
            }

            return rest.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _position < headLength ? ValueTask.FromResult(Read(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);
    }
}
