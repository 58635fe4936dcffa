using System.Buffers;
using System.Text.Json;

using Bench.Simulator.Caching;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// Writes one chat completion response straight into the response pipe with a <see cref="Utf8JsonWriter"/>: the
/// <c>CreateChatCompletionResponse</c> object, or the Server-Sent Events of <c>CreateChatCompletionStreamResponse</c>
/// chunks (<c>data: {chunk}\n\n</c>, then <c>data: [DONE]\n\n</c>) in OpenAI's order. Nothing is flushed here: the
/// caller flushes after every event. Id and model are escaped once per response; a chunk allocates nothing.
/// </summary>
internal sealed class ChatCompletionWriter : AnswerWriter
{
    private readonly IBufferWriter<byte> _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText _id;
    private readonly JsonEncodedText _model;
    private readonly long _created;
    private readonly PromptUsage _promptTokens;
    private readonly bool _includeUsage;

    /// <param name="pipe">The response body.</param>
    /// <param name="id">Completion id, the same on every chunk.</param>
    /// <param name="model">Model id echoed in <c>model</c>.</param>
    /// <param name="created">Unix time in seconds, the same on every chunk.</param>
    /// <param name="promptTokens"><c>usage.prompt_tokens</c> (all of them) and <c>prompt_tokens_details.cached_tokens</c>
    /// (those read from the prefix cache; OpenAI reports no cache writes).</param>
    /// <param name="includeUsage">Streaming: <c>stream_options.include_usage</c>; every chunk but the usage chunk
    /// then carries <c>"usage": null</c>, as OpenAI's do.</param>
    public ChatCompletionWriter(
        IBufferWriter<byte> pipe, string id, string model, long created, PromptUsage promptTokens, bool includeUsage)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe);
        _id = JsonEncodedText.Encode(id);
        _model = JsonEncodedText.Encode(model);
        _created = created;
        _promptTokens = promptTokens;
        _includeUsage = includeUsage;
    }

    /// <summary>A writer of the same response (id, model, created, usage) into <paramref name="output"/>: a body written
    /// aside to be sent in part.</summary>
    public ChatCompletionWriter(IBufferWriter<byte> output, ChatCompletionWriter like)
    {
        ArgumentNullException.ThrowIfNull(like);
        _pipe = output;
        _json = new Utf8JsonWriter(output);
        _id = like._id;
        _model = like._model;
        _created = like._created;
        _promptTokens = like._promptTokens;
        _includeUsage = like._includeUsage;
    }

    /// <summary>Non-streaming: the whole <c>chat.completion</c> object.</summary>
    public override void WriteCompletion(ReadOnlySpan<char> content, int completionTokens, string finishReason)
    {
        WriteHeader("chat.completion"u8);
        _json.WriteStartArray("choices"u8);
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, 0);
        _json.WriteStartObject("message"u8);
        _json.WriteString("role"u8, "assistant"u8);
        _json.WriteString("content"u8, content);
        _json.WriteNull("refusal"u8);
        _json.WriteEndObject();
        _json.WriteNull("logprobs"u8);
        _json.WriteString("finish_reason"u8, finishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        WriteUsage(completionTokens);
        _json.WriteEndObject();
        _json.Flush();
    }

    /// <summary>Non-streaming: a <c>chat.completion</c> with <c>"choices": []</c> (an empty answer).</summary>
    public override void WriteEmptyCompletion()
    {
        WriteHeader("chat.completion"u8);
        _json.WriteStartArray("choices"u8);
        _json.WriteEndArray();
        WriteUsage(0);
        _json.WriteEndObject();
        _json.Flush();
    }

    /// <summary>Streaming: an event whose data is cut off mid-JSON (a malformed chunk).</summary>
    public override void WriteMalformedChunk()
    {
        BeginChoiceChunk();
        _json.Flush();
        _pipe.Write("\"content\":\"\n\n"u8);
        _json.Reset();
    }

    /// <inheritdoc/>
    public override AnswerWriter Aside(IBufferWriter<byte> output) => new ChatCompletionWriter(output, this);

    /// <summary>Non-streaming: a 200 whose body is OpenAI's error object.</summary>
    public override void WriteErrorBody() => ApiError.MidAnswer.WriteJson(_pipe);

    /// <summary>Streaming: <c>data: {"error":{…}}</c>.</summary>
    public override void WriteMidStreamError()
    {
        _pipe.Write("data: "u8);
        ApiError.MidAnswer.WriteJson(_pipe);
        _pipe.Write("\n\n"u8);
    }

    /// <summary>Streaming: the role chunk (<see cref="WriteRoleChunk"/>).</summary>
    public override void WritePrelude() => WriteRoleChunk();

    /// <summary>Chat sends usage only with <c>stream_options.include_usage</c>.</summary>
    public override bool SendsUsage(bool includeUsage) => includeUsage;

    /// <summary>Streaming: <c>data: [DONE]</c> alone.</summary>
    public override void WriteEmptyStream() => WriteDone();

    /// <summary>Streaming: the role prelude, <c>delta: {"role":"assistant","content":"","refusal":null}</c>.</summary>
    public void WriteRoleChunk()
    {
        BeginChoiceChunk();
        _json.WriteString("role"u8, "assistant"u8);
        _json.WriteString("content"u8, ""u8);
        _json.WriteNull("refusal"u8);
        EndChoiceChunk(finishReason: null);
    }

    /// <summary>Streaming: a content delta.</summary>
    public override void WriteContentChunk(ReadOnlySpan<char> content)
    {
        BeginChoiceChunk();
        _json.WriteString("content"u8, content);
        EndChoiceChunk(finishReason: null);
    }

    /// <summary>Streaming: the last choice chunk, an empty delta with the finish reason.</summary>
    public override void WriteFinishChunk(string finishReason)
    {
        BeginChoiceChunk();
        EndChoiceChunk(finishReason);
    }

    /// <summary>Streaming with <c>include_usage</c>: the chunk with <c>"choices": []</c> and the usage.</summary>
    public override void WriteUsageChunk(int completionTokens)
    {
        BeginEvent();
        WriteHeader("chat.completion.chunk"u8);
        _json.WriteStartArray("choices"u8);
        _json.WriteEndArray();
        WriteUsage(completionTokens);
        EndEvent();
    }

    /// <summary>Streaming: the terminating <c>data: [DONE]</c> event.</summary>
    public override void WriteDone() => _pipe.Write("data: [DONE]\n\n"u8);

    /// <summary>Releases the JSON writer (the pipe belongs to the response).</summary>
    public override void Dispose() => _json.Dispose();

    private void BeginChoiceChunk()
    {
        BeginEvent();
        WriteHeader("chat.completion.chunk"u8);
        _json.WriteStartArray("choices"u8);
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, 0);
        _json.WriteStartObject("delta"u8);
    }

    private void EndChoiceChunk(string? finishReason)
    {
        _json.WriteEndObject();
        _json.WriteNull("logprobs"u8);
        _json.WriteString("finish_reason"u8, finishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        if (_includeUsage)
        {
            _json.WriteNull("usage"u8);
        }

        EndEvent();
    }

    private void BeginEvent()
    {
        _pipe.Write("data: "u8);
        _json.Reset();
    }

    private void EndEvent()
    {
        _json.WriteEndObject();
        _json.Flush();
        _pipe.Write("\n\n"u8);
    }

    /// <summary>Opens the object and writes <c>id</c>, <c>object</c>, <c>created</c> and <c>model</c>.</summary>
    private void WriteHeader(ReadOnlySpan<byte> objectType)
    {
        _json.WriteStartObject();
        _json.WriteString("id"u8, _id);
        _json.WriteString("object"u8, objectType);
        _json.WriteNumber("created"u8, _created);
        _json.WriteString("model"u8, _model);
    }

    private void WriteUsage(int completionTokens)
    {
        _json.WriteStartObject("usage"u8);
        _json.WriteNumber("prompt_tokens"u8, _promptTokens.PromptTokens);
        _json.WriteNumber("completion_tokens"u8, completionTokens);
        _json.WriteNumber("total_tokens"u8, (long)_promptTokens.PromptTokens + completionTokens);
        _json.WriteStartObject("prompt_tokens_details"u8);
        _json.WriteNumber("cached_tokens"u8, _promptTokens.CachedTokens);
        _json.WriteEndObject();
        _json.WriteStartObject("completion_tokens_details"u8);
        _json.WriteNumber("reasoning_tokens"u8, 0);
        _json.WriteEndObject();
        _json.WriteEndObject();
    }
}
