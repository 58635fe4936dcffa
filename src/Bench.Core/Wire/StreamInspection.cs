using Bench.Core.Tokens;

namespace Bench.Core.Wire;

/// <summary>
/// What Bench reconstructs from one captured streaming Chat Completions body (<c>curl -N … &gt; body.sse</c>): the
/// events, text, tool calls, finish reason, usage, error, the variants met, and a local token count. Behind
/// <c>bench inspect</c>; it reads exactly as a benchmark run does (<see cref="ChatStreamReader"/>).
/// </summary>
public sealed class StreamInspection
{
    private StreamInspection(StreamAccumulator response, string? notAnEventStream, string? tokenizerEncoding, CompletionTokenCount? tokenizerCount)
    {
        Response = response;
        NotAnEventStream = notAnEventStream;
        TokenizerEncoding = tokenizerEncoding;
        TokenizerCount = tokenizerCount;
        Variants = StreamVariantNames.Of(response.Variants, response.UsageVendorKey);
    }

    /// <summary>Everything read from the body.</summary>
    public StreamAccumulator Response { get; }

    /// <summary>Why the body is not an SSE event stream (no event at all: a JSON document, HTML, binary, nothing), or
    /// <see langword="null"/> when it is one.</summary>
    public string? NotAnEventStream { get; }

    /// <summary>Whether the body held at least one SSE event.</summary>
    public bool IsEventStream => NotAnEventStream is null;

    /// <summary>The names of the variants met (<see cref="StreamVariantNames"/>).</summary>
    public IReadOnlyList<string> Variants { get; }

    /// <summary>The encoding of <see cref="TokenizerCount"/>; <see langword="null"/> when not counted.</summary>
    public string? TokenizerEncoding { get; }

    /// <summary>The received text counted locally; <see langword="null"/> when not counted.</summary>
    public CompletionTokenCount? TokenizerCount { get; }

    /// <summary>Reads <paramref name="body"/> to <c>[DONE]</c> or its end.</summary>
    /// <param name="body">A captured SSE body; not disposed.</param>
    /// <param name="tokenizer"><see langword="null"/> to pick the encoding from the stream's <c>model</c>,
    /// <c>o200k_base</c> or <c>cl100k_base</c> to force one, <c>none</c> not to count.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="ArgumentException"><paramref name="tokenizer"/> is not one of those values.</exception>
    /// <exception cref="IOException">The body could not be read.</exception>
    public static async Task<StreamInspection> InspectAsync(Stream body, string? tokenizer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (tokenizer is not null && tokenizer != TokenEncodings.None && !TokenEncodings.IsKnown(tokenizer))
        {
            throw new ArgumentException(
                $"Unknown tokenizer '{tokenizer}'; expected {string.Join(", ", TokenEncodings.All)} or {TokenEncodings.None}.", nameof(tokenizer));
        }

        var response = new StreamAccumulator();
        await ChatStreamReader.ReadAsync(body, response, cancellationToken).ConfigureAwait(false);
        if (response.Events == 0)
        {
            return new StreamInspection(response, Describe(response.FirstBodyByte, response.BodyHead), null, null);
        }

        if (tokenizer == TokenEncodings.None)
        {
            return new StreamInspection(response, null, null, null);
        }

        var counter = tokenizer is null ? TokenCounter.ForModel(response.Model) : TokenCounter.ForEncoding(tokenizer);
        return new StreamInspection(response, null, counter.Encoding, counter.CountCompletion(response));
    }

    /// <summary>Where the usage came from: <c>usage</c>, or <c>KEY.usage</c> for a provider that nests it under a
    /// vendor key; <see langword="null"/> when the stream carried none.</summary>
    public string? UsageSource =>
        !Response.HasUsage ? null : Response.UsageVendorKey is { } key ? $"{key}.usage" : "usage";

    /// <summary>Names what a body without a single SSE event looks like, from its first significant bytes.</summary>
    private static string Describe(byte? first, byte[] head) => first switch
    {
        null => "the input is empty (or only whitespace): no SSE events",
        (byte)'{' or (byte)'[' => "the input is a JSON document, not an SSE event stream (a non-streaming response or an error body?): no 'data:' events",
        (byte)'<' => "the input looks like HTML or XML, not an SSE event stream: no 'data:' events",
        _ when BodyDescription.Sniff(head) is var what && what != "text" => $"no SSE 'data:' events found: not an event stream ({what})",
        _ => "no SSE 'data:' events found: not an event stream",
    };
}
