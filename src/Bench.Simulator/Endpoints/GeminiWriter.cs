using System.Buffers;
using System.Text.Json;

using Bench.Simulator.Caching;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// An answer in Gemini's framing (ai.google.dev/api/generate-content: <c>GenerateContentResponse</c>, as in the
/// recorded bodies of <c>shared/fixtures/recorded-streams/gemini</c>). Streaming (<c>alt=sse</c>): data-only events,
/// each a whole <c>GenerateContentResponse</c> with <c>candidates[0].content.parts[{text}]</c> (role <c>model</c>) and
/// <c>usageMetadata</c>; the last one carries <c>finishReason</c> (<c>STOP</c>, or <c>MAX_TOKENS</c> when clipped) and
/// <c>candidatesTokenCount</c>; the stream's end is the end of the body. The in-stream error is an event
/// <c>{"error":{"code":500,"message":…,"status":"INTERNAL"}}</c>.
/// </summary>
internal sealed class GeminiWriter : AnswerWriter
{
    private readonly IBufferWriter<byte> _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly string _id;
    private readonly string _model;
    private readonly PromptUsage _promptTokens;
    private int _completionTokens;
    private string _finishReason = "stop";

    public GeminiWriter(IBufferWriter<byte> pipe, string id, string model, PromptUsage promptTokens)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe);
        _id = id;
        _model = model;
        _promptTokens = promptTokens;
    }

    /// <summary>Gemini's <c>finishReason</c> for the plan's: <c>MAX_TOKENS</c> when clipped, else <c>STOP</c>.</summary>
    public static string FinishReason(string finishReason) => finishReason == "length" ? "MAX_TOKENS" : "STOP";

    /// <inheritdoc/>
    public override AnswerWriter Aside(IBufferWriter<byte> output) => new GeminiWriter(output, _id, _model, _promptTokens);

    /// <summary>One <c>GenerateContentResponse</c> with the whole text.</summary>
    public override void WriteCompletion(ReadOnlySpan<char> content, int completionTokens, string finishReason)
    {
        _json.Reset();
        WriteResponse(content, withContent: true, FinishReason(finishReason), completionTokens);
        _json.Flush();
    }

    /// <summary>A <c>GenerateContentResponse</c> whose candidate has no content.</summary>
    public override void WriteEmptyCompletion()
    {
        _json.Reset();
        WriteResponse(default, withContent: false, "STOP", 0);
        _json.Flush();
    }

    /// <summary><c>{"error":{"code":500,…,"status":"INTERNAL"}}</c> in a 200.</summary>
    public override void WriteErrorBody() => ApiError.MidAnswer.WriteJson(_pipe, Bench.Core.Wire.WireProtocol.Gemini);

    /// <summary>Nothing: Gemini's first event already carries text.</summary>
    public override void WritePrelude()
    {
    }

    /// <summary>A chunk with one text part.</summary>
    public override void WriteContentChunk(ReadOnlySpan<char> content)
    {
        _pipe.Write("data: "u8);
        _json.Reset();
        WriteResponse(content, withContent: true, finishReason: null, completionTokens: null);
        _json.Flush();
        _pipe.Write("\n\n"u8);
    }

    /// <summary>A chunk cut mid-JSON.</summary>
    public override void WriteMalformedChunk() =>
        _pipe.Write("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\n\n"u8);

    /// <summary>An event with an <c>error</c> object.</summary>
    public override void WriteMidStreamError()
    {
        _pipe.Write("data: "u8);
        WriteErrorBody();
        _pipe.Write("\n\n"u8);
    }

    /// <summary>Keeps the finish reason for the last chunk (<see cref="WriteDone"/>).</summary>
    public override void WriteFinishChunk(string finishReason) => _finishReason = finishReason;

    /// <summary>Usage is always in the last chunk.</summary>
    public override bool SendsUsage(bool includeUsage) => true;

    /// <summary>Keeps the usage for <see cref="WriteDone"/>.</summary>
    public override void WriteUsageChunk(int completionTokens) => _completionTokens = completionTokens;

    /// <summary>The last chunk: an empty text part, <c>finishReason</c> and the whole usage.</summary>
    public override void WriteDone()
    {
        _pipe.Write("data: "u8);
        _json.Reset();
        WriteResponse(default, withContent: true, FinishReason(_finishReason), _completionTokens);
        _json.Flush();
        _pipe.Write("\n\n"u8);
    }

    /// <summary>One chunk whose candidate has no content, <c>finishReason: STOP</c>.</summary>
    public override void WriteEmptyStream()
    {
        _pipe.Write("data: "u8);
        WriteEmptyCompletion();
        _pipe.Write("\n\n"u8);
    }

    /// <inheritdoc/>
    public override void Dispose() => _json.Dispose();

    private void WriteResponse(ReadOnlySpan<char> text, bool withContent, string? finishReason, int? completionTokens)
    {
        _json.WriteStartObject();
        _json.WriteStartArray("candidates"u8);
        _json.WriteStartObject();
        if (withContent)
        {
            _json.WriteStartObject("content"u8);
            _json.WriteStartArray("parts"u8);
            _json.WriteStartObject();
            _json.WriteString("text"u8, text);
            _json.WriteEndObject();
            _json.WriteEndArray();
            _json.WriteString("role"u8, "model"u8);
            _json.WriteEndObject();
        }

        if (finishReason is not null)
        {
            _json.WriteString("finishReason"u8, finishReason);
        }

        _json.WriteNumber("index"u8, 0);
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteStartObject("usageMetadata"u8);
        _json.WriteNumber("promptTokenCount"u8, _promptTokens.PromptTokens); // cached content included
        if (_promptTokens.CachedTokens > 0)
        {
            _json.WriteNumber("cachedContentTokenCount"u8, _promptTokens.CachedTokens);
        }

        if (completionTokens is { } completion)
        {
            _json.WriteNumber("candidatesTokenCount"u8, completion);
        }

        _json.WriteNumber("totalTokenCount"u8, (long)_promptTokens.PromptTokens + (completionTokens ?? 0));
        _json.WriteEndObject();
        _json.WriteString("modelVersion"u8, _model);
        _json.WriteString("responseId"u8, _id);
        _json.WriteEndObject();
    }
}
