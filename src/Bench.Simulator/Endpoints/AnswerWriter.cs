using System.Buffers;
using Bench.Core.Wire;

using Bench.Simulator.Caching;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// The framing of one generated answer in one wire protocol: the events a stream is made of and the object a
/// non-streaming answer is. <see cref="ChatCompletionsEndpoint"/> draws the same <see cref="Generation.CompletionPlan"/>
/// (timing, tokens, faults) for every protocol and calls these in the same order at the same deadlines, so protocols
/// differ only in bytes. Nothing is flushed here: the caller flushes after every step.
/// </summary>
/// <remarks>Streaming order: <see cref="WritePrelude"/>, <see cref="WriteContentChunk"/> per chunk,
/// <see cref="WriteFinishChunk"/>, <see cref="WriteUsageChunk"/> when <see cref="SendsUsage"/>, <see cref="WriteDone"/>
/// (the protocol's terminal event). A stream cut before <see cref="WriteFinishChunk"/> (the <c>missing_done</c> fault)
/// lacks its terminal event in every protocol, which Bench records as <c>stream_interrupted</c>.</remarks>
internal abstract class AnswerWriter : IDisposable
{
    /// <summary>The writer of <paramref name="protocol"/>'s answer.</summary>
    /// <param name="protocol">The wire protocol of the request.</param>
    /// <param name="pipe">The response body.</param>
    /// <param name="number">The simulator's request number (the answer's id is made from it).</param>
    /// <param name="model">The model id echoed.</param>
    /// <param name="created">Unix seconds.</param>
    /// <param name="promptTokens">The prompt's tokens for the usage: all of them, those read from the prefix cache and
    /// those written to it, each protocol in its own fields.</param>
    /// <param name="includeUsage">Chat streaming only: <c>stream_options.include_usage</c> (the other protocols always
    /// send usage).</param>
    public static AnswerWriter Create(
        WireProtocol protocol, IBufferWriter<byte> pipe, long number, string model, long created, PromptUsage promptTokens, bool includeUsage) =>
        protocol switch
        {
            WireProtocol.OpenAiResponses => new ResponsesWriter(pipe, $"resp_sim{number:x8}", model, created, promptTokens),
            WireProtocol.AnthropicMessages => new AnthropicWriter(pipe, $"msg_sim{number:x8}", model, promptTokens),
            WireProtocol.Gemini => new GeminiWriter(pipe, $"sim{number:x8}", model, promptTokens),
            _ => new ChatCompletionWriter(pipe, $"chatcmpl-sim{number:x8}", model, created, promptTokens, includeUsage),
        };

    /// <summary>A writer of the same answer (id, model, usage) into <paramref name="output"/>: a body written aside to be
    /// sent in part.</summary>
    public abstract AnswerWriter Aside(IBufferWriter<byte> output);

    /// <summary>Non-streaming: the whole answer object.</summary>
    public abstract void WriteCompletion(ReadOnlySpan<char> content, int completionTokens, string finishReason);

    /// <summary>Non-streaming: an answer without any output (the <c>empty_answer</c> fault).</summary>
    public abstract void WriteEmptyCompletion();

    /// <summary>Non-streaming: a 200 whose body is the protocol's error (the <c>error_mid_stream</c> fault).</summary>
    public abstract void WriteErrorBody();

    /// <summary>Streaming: what precedes the first token (may be nothing).</summary>
    public abstract void WritePrelude();

    /// <summary>Streaming: one content delta.</summary>
    public abstract void WriteContentChunk(ReadOnlySpan<char> content);

    /// <summary>Streaming: an event whose data is cut off mid-JSON (the <c>malformed_chunk</c> fault).</summary>
    public abstract void WriteMalformedChunk();

    /// <summary>Streaming: the protocol's in-stream error, after which the stream ends.</summary>
    public abstract void WriteMidStreamError();

    /// <summary>Streaming: the end of the content (the finish reason is <c>stop</c> or <c>length</c>, the plan's).</summary>
    public abstract void WriteFinishChunk(string finishReason);

    /// <summary>Whether the stream carries usage: chat only when asked for; the others always.</summary>
    public abstract bool SendsUsage(bool includeUsage);

    /// <summary>Streaming: the usage (chat: its own chunk; the others: kept for the terminal event).</summary>
    public abstract void WriteUsageChunk(int completionTokens);

    /// <summary>Streaming: the terminal event.</summary>
    public abstract void WriteDone();

    /// <summary>Streaming: a whole stream without output (the <c>empty_answer</c> fault).</summary>
    public abstract void WriteEmptyStream();

    /// <summary>Releases the JSON writer (the pipe belongs to the response).</summary>
    public abstract void Dispose();
}
