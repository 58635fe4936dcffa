using System.Buffers;
using System.Text.Json;

using Bench.Simulator.Caching;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// An answer in the OpenAI Responses API's framing (platform.openai.com/docs/api-reference/responses, the
/// <c>Response</c> object and its streaming events, as in the recorded bodies of
/// <c>shared/fixtures/recorded-streams/responses</c>). Streaming: <c>response.created</c>, <c>response.in_progress</c>,
/// <c>response.output_item.added</c> (a <c>message</c>), <c>response.content_part.added</c> (<c>output_text</c>), one
/// <c>response.output_text.delta</c> per chunk, <c>response.output_text.done</c>, <c>response.content_part.done</c>,
/// <c>response.output_item.done</c>, then <c>response.completed</c> (or, clipped by <c>max_output_tokens</c>,
/// <c>response.incomplete</c> with <c>incomplete_details.reason: "max_output_tokens"</c>) carrying <c>usage</c>; each
/// event <c>event: TYPE</c> + <c>data: {…,"sequence_number":n}</c>. The in-stream error is <c>response.failed</c>
/// with <c>response.error</c>.
/// </summary>
internal sealed class ResponsesWriter : AnswerWriter
{
    private readonly IBufferWriter<byte> _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly string _id;
    private readonly JsonEncodedText _itemId;
    private readonly string _model;
    private readonly long _created;
    private readonly PromptUsage _promptTokens;
    private readonly ArrayBufferWriter<char> _text = new();
    private int _sequence;
    private int _completionTokens;
    private string _finishReason = "stop";

    public ResponsesWriter(IBufferWriter<byte> pipe, string id, string model, long created, PromptUsage promptTokens)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe);
        _id = id;
        _itemId = JsonEncodedText.Encode("msg_" + id["resp_".Length..]);
        _model = model;
        _created = created;
        _promptTokens = promptTokens;
    }

    /// <inheritdoc/>
    public override AnswerWriter Aside(IBufferWriter<byte> output) => new ResponsesWriter(output, _id, _model, _created, _promptTokens);

    /// <summary>The <c>Response</c> object, <c>status</c> <c>completed</c> or <c>incomplete</c>.</summary>
    public override void WriteCompletion(ReadOnlySpan<char> content, int completionTokens, string finishReason)
    {
        _json.Reset();
        WriteResponse(Status(finishReason), content, withMessage: true, completionTokens);
        _json.Flush();
    }

    /// <summary>A completed <c>Response</c> with <c>"output": []</c>.</summary>
    public override void WriteEmptyCompletion()
    {
        _json.Reset();
        WriteResponse("completed", default, withMessage: false, 0);
        _json.Flush();
    }

    /// <summary>A <c>Response</c> with <c>status: "failed"</c> and its <c>error</c>.</summary>
    public override void WriteErrorBody()
    {
        _json.Reset();
        WriteResponse("failed", default, withMessage: false, null);
        _json.Flush();
    }

    /// <summary><c>response.created</c>, <c>response.in_progress</c>, <c>response.output_item.added</c>,
    /// <c>response.content_part.added</c>.</summary>
    public override void WritePrelude()
    {
        WriteResponseEvent("response.created"u8, "in_progress", withMessage: false, usageTokens: null);
        WriteResponseEvent("response.in_progress"u8, "in_progress", withMessage: false, usageTokens: null);
        BeginEvent("response.output_item.added"u8);
        _json.WriteNumber("output_index"u8, 0);
        _json.WritePropertyName("item"u8);
        WriteMessage("in_progress", default, withContent: false);
        EndEvent();
        BeginEvent("response.content_part.added"u8);
        WriteItemAddress();
        _json.WritePropertyName("part"u8);
        WritePart(default);
        EndEvent();
    }

    /// <summary><c>response.output_text.delta</c>.</summary>
    public override void WriteContentChunk(ReadOnlySpan<char> content)
    {
        _text.Write(content);
        BeginEvent("response.output_text.delta"u8);
        WriteItemAddress();
        _json.WriteString("delta"u8, content);
        _json.WriteStartArray("logprobs"u8);
        _json.WriteEndArray();
        EndEvent();
    }

    /// <summary>A <c>response.output_text.delta</c> cut mid-JSON.</summary>
    public override void WriteMalformedChunk()
    {
        BeginEvent("response.output_text.delta"u8);
        WriteItemAddress();
        _json.Flush();
        _pipe.Write(",\"delta\":\"\n\n"u8);
        _json.Reset();
    }

    /// <summary><c>response.failed</c> with <c>response.error</c> (<c>server_error</c>).</summary>
    public override void WriteMidStreamError() =>
        WriteResponseEvent("response.failed"u8, "failed", withMessage: false, usageTokens: null);

    /// <summary><c>response.output_text.done</c>, <c>response.content_part.done</c>,
    /// <c>response.output_item.done</c>.</summary>
    public override void WriteFinishChunk(string finishReason)
    {
        _finishReason = finishReason;
        var text = _text.WrittenSpan;
        BeginEvent("response.output_text.done"u8);
        WriteItemAddress();
        _json.WriteString("text"u8, text);
        _json.WriteStartArray("logprobs"u8);
        _json.WriteEndArray();
        EndEvent();
        BeginEvent("response.content_part.done"u8);
        WriteItemAddress();
        _json.WritePropertyName("part"u8);
        WritePart(text);
        EndEvent();
        BeginEvent("response.output_item.done"u8);
        _json.WriteNumber("output_index"u8, 0);
        _json.WritePropertyName("item"u8);
        WriteMessage(ItemStatus(finishReason), text, withContent: true);
        EndEvent();
    }

    /// <summary>Usage is always in the terminal event.</summary>
    public override bool SendsUsage(bool includeUsage) => true;

    /// <summary>Keeps the usage for <see cref="WriteDone"/>.</summary>
    public override void WriteUsageChunk(int completionTokens) => _completionTokens = completionTokens;

    /// <summary><c>response.completed</c>, or <c>response.incomplete</c> when clipped.</summary>
    public override void WriteDone()
    {
        var status = Status(_finishReason);
        WriteResponseEvent(status == "completed" ? "response.completed"u8 : "response.incomplete"u8, status, withMessage: true, _completionTokens);
    }

    /// <summary><c>response.created</c>, <c>response.in_progress</c>, <c>response.completed</c> with no output.</summary>
    public override void WriteEmptyStream()
    {
        WriteResponseEvent("response.created"u8, "in_progress", withMessage: false, usageTokens: null);
        WriteResponseEvent("response.in_progress"u8, "in_progress", withMessage: false, usageTokens: null);
        WriteResponseEvent("response.completed"u8, "completed", withMessage: false, usageTokens: 0);
    }

    /// <inheritdoc/>
    public override void Dispose() => _json.Dispose();

    private static string Status(string finishReason) => finishReason == "length" ? "incomplete" : "completed";

    private static string ItemStatus(string finishReason) => finishReason == "length" ? "incomplete" : "completed";

    private void WriteResponseEvent(ReadOnlySpan<byte> type, string status, bool withMessage, int? usageTokens)
    {
        BeginEvent(type);
        _json.WritePropertyName("response"u8);
        WriteResponse(status, _text.WrittenSpan, withMessage, usageTokens);
        EndEvent();
    }

    /// <summary>The <c>Response</c> object; <paramref name="usageTokens"/> null writes <c>"usage": null</c>.</summary>
    private void WriteResponse(string status, ReadOnlySpan<char> text, bool withMessage, int? usageTokens)
    {
        _json.WriteStartObject();
        _json.WriteString("id"u8, _id);
        _json.WriteString("object"u8, "response"u8);
        _json.WriteNumber("created_at"u8, _created);
        _json.WriteString("status"u8, status);
        _json.WriteBoolean("background"u8, false);
        if (status == "failed")
        {
            _json.WriteStartObject("error"u8);
            _json.WriteString("code"u8, "server_error"u8);
            _json.WriteString("message"u8, ApiError.MidAnswer.Message);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("error"u8);
        }

        if (status == "incomplete")
        {
            _json.WriteStartObject("incomplete_details"u8);
            _json.WriteString("reason"u8, "max_output_tokens"u8);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("incomplete_details"u8);
        }

        _json.WriteNull("instructions"u8);
        _json.WriteNull("max_output_tokens"u8);
        _json.WriteString("model"u8, _model);
        _json.WriteStartArray("output"u8);
        if (withMessage)
        {
            WriteMessage(status == "incomplete" ? "incomplete" : "completed", text, withContent: true);
        }

        _json.WriteEndArray();
        _json.WriteBoolean("parallel_tool_calls"u8, true);
        _json.WriteNull("previous_response_id"u8);
        _json.WriteStartObject("reasoning"u8);
        _json.WriteNull("effort"u8);
        _json.WriteNull("summary"u8);
        _json.WriteEndObject();
        _json.WriteBoolean("store"u8, false);
        _json.WriteNumber("temperature"u8, 1.0);
        _json.WriteStartObject("text"u8);
        _json.WriteStartObject("format"u8);
        _json.WriteString("type"u8, "text"u8);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteString("tool_choice"u8, "auto"u8);
        _json.WriteStartArray("tools"u8);
        _json.WriteEndArray();
        _json.WriteNumber("top_p"u8, 1.0);
        _json.WriteString("truncation"u8, "disabled"u8);
        if (usageTokens is { } completion)
        {
            _json.WriteStartObject("usage"u8);
            _json.WriteNumber("input_tokens"u8, _promptTokens.PromptTokens);
            _json.WriteStartObject("input_tokens_details"u8);
            _json.WriteNumber("cached_tokens"u8, _promptTokens.CachedTokens);
            _json.WriteEndObject();
            _json.WriteNumber("output_tokens"u8, completion);
            _json.WriteStartObject("output_tokens_details"u8);
            _json.WriteNumber("reasoning_tokens"u8, 0);
            _json.WriteEndObject();
            _json.WriteNumber("total_tokens"u8, (long)_promptTokens.PromptTokens + completion);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("usage"u8);
        }

        _json.WriteNull("user"u8);
        _json.WriteStartObject("metadata"u8);
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private void WriteMessage(string status, ReadOnlySpan<char> text, bool withContent)
    {
        _json.WriteStartObject();
        _json.WriteString("id"u8, _itemId);
        _json.WriteString("type"u8, "message"u8);
        _json.WriteString("status"u8, status);
        _json.WriteStartArray("content"u8);
        if (withContent)
        {
            WritePart(text);
        }

        _json.WriteEndArray();
        _json.WriteString("role"u8, "assistant"u8);
        _json.WriteEndObject();
    }

    private void WritePart(ReadOnlySpan<char> text)
    {
        _json.WriteStartObject();
        _json.WriteString("type"u8, "output_text"u8);
        _json.WriteStartArray("annotations"u8);
        _json.WriteEndArray();
        _json.WriteStartArray("logprobs"u8);
        _json.WriteEndArray();
        _json.WriteString("text"u8, text);
        _json.WriteEndObject();
    }

    private void WriteItemAddress()
    {
        _json.WriteString("item_id"u8, _itemId);
        _json.WriteNumber("output_index"u8, 0);
        _json.WriteNumber("content_index"u8, 0);
    }

    private void BeginEvent(ReadOnlySpan<byte> type)
    {
        _pipe.Write("event: "u8);
        _pipe.Write(type);
        _pipe.Write("\ndata: "u8);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
        _json.WriteNumber("sequence_number"u8, _sequence++);
    }

    private void EndEvent()
    {
        _json.WriteEndObject();
        _json.Flush();
        _pipe.Write("\n\n"u8);
    }
}
