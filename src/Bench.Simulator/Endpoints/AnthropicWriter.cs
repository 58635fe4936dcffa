using System.Buffers;
using System.Text.Json;

using Bench.Simulator.Caching;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// An answer in Anthropic Messages' framing (docs.anthropic.com/en/api/messages and /en/docs/build-with-claude/streaming,
/// as in the recorded bodies of <c>shared/fixtures/recorded-streams/anthropic</c>). Streaming: <c>message_start</c>
/// (the message with empty content and the input usage), <c>content_block_start</c> (a <c>text</c> block),
/// <c>ping</c>, one <c>content_block_delta</c> (<c>text_delta</c>) per chunk, <c>content_block_stop</c>,
/// <c>message_delta</c> (<c>stop_reason</c> <c>end_turn</c> or <c>max_tokens</c>, cumulative <c>usage</c>), then
/// <c>message_stop</c>; each event <c>event: TYPE</c> + <c>data: {"type":TYPE,…}</c>. The in-stream error is
/// <c>event: error</c> with <c>{"type":"error","error":{"type":"overloaded_error",…}}</c>.
/// </summary>
internal sealed class AnthropicWriter : AnswerWriter
{
    private readonly IBufferWriter<byte> _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly string _id;
    private readonly string _model;
    private readonly PromptUsage _promptTokens;
    private int _completionTokens;
    private string _finishReason = "stop";

    public AnthropicWriter(IBufferWriter<byte> pipe, string id, string model, PromptUsage promptTokens)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe);
        _id = id;
        _model = model;
        _promptTokens = promptTokens;
    }

    /// <summary>Anthropic's <c>stop_reason</c> for the plan's finish reason: <c>max_tokens</c> when clipped, else
    /// <c>end_turn</c>.</summary>
    public static string StopReason(string finishReason) => finishReason == "length" ? "max_tokens" : "end_turn";

    /// <inheritdoc/>
    public override AnswerWriter Aside(IBufferWriter<byte> output) => new AnthropicWriter(output, _id, _model, _promptTokens);

    /// <summary>The <c>message</c> object with one text block.</summary>
    public override void WriteCompletion(ReadOnlySpan<char> content, int completionTokens, string finishReason)
    {
        _json.Reset();
        WriteMessage(content, withText: true, StopReason(finishReason), completionTokens);
        _json.Flush();
    }

    /// <summary>A <c>message</c> with <c>"content": []</c>.</summary>
    public override void WriteEmptyCompletion()
    {
        _json.Reset();
        WriteMessage(default, withText: false, "end_turn", 0);
        _json.Flush();
    }

    /// <summary><c>{"type":"error","error":{"type":"overloaded_error",…}}</c> in a 200.</summary>
    public override void WriteErrorBody() => WriteError();

    /// <summary><c>message_start</c>, <c>content_block_start</c>, <c>ping</c>.</summary>
    public override void WritePrelude()
    {
        WriteMessageStart();
        BeginEvent("content_block_start"u8);
        _json.WriteNumber("index"u8, 0);
        _json.WriteStartObject("content_block"u8);
        _json.WriteString("type"u8, "text"u8);
        _json.WriteString("text"u8, ""u8);
        _json.WriteEndObject();
        EndEvent();
        BeginEvent("ping"u8);
        EndEvent();
    }

    /// <summary><c>content_block_delta</c> with a <c>text_delta</c>.</summary>
    public override void WriteContentChunk(ReadOnlySpan<char> content)
    {
        BeginEvent("content_block_delta"u8);
        _json.WriteNumber("index"u8, 0);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("type"u8, "text_delta"u8);
        _json.WriteString("text"u8, content);
        _json.WriteEndObject();
        EndEvent();
    }

    /// <summary>A <c>content_block_delta</c> cut mid-JSON.</summary>
    public override void WriteMalformedChunk()
    {
        BeginEvent("content_block_delta"u8);
        _json.WriteNumber("index"u8, 0);
        _json.Flush();
        _pipe.Write(",\"delta\":{\"type\":\"text_delta\",\"text\":\"\n\n"u8);
        _json.Reset();
    }

    /// <summary><c>event: error</c> with <c>overloaded_error</c>.</summary>
    public override void WriteMidStreamError()
    {
        _pipe.Write("event: error\ndata: "u8);
        WriteError();
        _pipe.Write("\n\n"u8);
    }

    /// <summary><c>content_block_stop</c>.</summary>
    public override void WriteFinishChunk(string finishReason)
    {
        _finishReason = finishReason;
        BeginEvent("content_block_stop"u8);
        _json.WriteNumber("index"u8, 0);
        EndEvent();
    }

    /// <summary>Usage is always in <c>message_delta</c>.</summary>
    public override bool SendsUsage(bool includeUsage) => true;

    /// <summary>Keeps the usage for <see cref="WriteDone"/>.</summary>
    public override void WriteUsageChunk(int completionTokens) => _completionTokens = completionTokens;

    /// <summary><c>message_delta</c> and <c>message_stop</c>.</summary>
    public override void WriteDone()
    {
        BeginEvent("message_delta"u8);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("stop_reason"u8, StopReason(_finishReason));
        _json.WriteNull("stop_sequence"u8);
        _json.WriteEndObject();
        WriteUsage(_completionTokens);
        EndEvent();
        BeginEvent("message_stop"u8);
        EndEvent();
    }

    /// <summary><c>message_start</c>, <c>message_delta</c> (<c>end_turn</c>, no output), <c>message_stop</c>.</summary>
    public override void WriteEmptyStream()
    {
        WriteMessageStart();
        _completionTokens = 0;
        _finishReason = "stop";
        WriteDone();
    }

    /// <inheritdoc/>
    public override void Dispose() => _json.Dispose();

    private void WriteMessageStart()
    {
        BeginEvent("message_start"u8);
        _json.WritePropertyName("message"u8);
        WriteMessage(default, withText: false, stopReason: null, completionTokens: 1);
        EndEvent();
    }

    private void WriteMessage(ReadOnlySpan<char> text, bool withText, string? stopReason, int completionTokens)
    {
        _json.WriteStartObject();
        _json.WriteString("id"u8, _id);
        _json.WriteString("type"u8, "message"u8);
        _json.WriteString("role"u8, "assistant"u8);
        _json.WriteString("model"u8, _model);
        _json.WriteStartArray("content"u8);
        if (withText)
        {
            _json.WriteStartObject();
            _json.WriteString("type"u8, "text"u8);
            _json.WriteString("text"u8, text);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteString("stop_reason"u8, stopReason);
        _json.WriteNull("stop_sequence"u8);
        WriteUsage(completionTokens);
        _json.WriteEndObject();
    }

    private void WriteUsage(int completionTokens)
    {
        _json.WriteStartObject("usage"u8);
        // Anthropic's input_tokens are those after the last cache breakpoint: neither read from nor written to the cache.
        _json.WriteNumber("input_tokens"u8, _promptTokens.UncachedTokens);
        _json.WriteNumber("cache_creation_input_tokens"u8, _promptTokens.CacheWriteTokens);
        _json.WriteNumber("cache_read_input_tokens"u8, _promptTokens.CachedTokens);
        _json.WriteNumber("output_tokens"u8, completionTokens);
        _json.WriteEndObject();
    }

    private void WriteError()
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type"u8, "error"u8);
        _json.WriteStartObject("error"u8);
        _json.WriteString("type"u8, "overloaded_error"u8);
        _json.WriteString("message"u8, "Overloaded (simulated, mid-answer)"u8);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
    }

    private void BeginEvent(ReadOnlySpan<byte> type)
    {
        _pipe.Write("event: "u8);
        _pipe.Write(type);
        _pipe.Write("\ndata: "u8);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
    }

    private void EndEvent()
    {
        _json.WriteEndObject();
        _json.Flush();
        _pipe.Write("\n\n"u8);
    }
}
