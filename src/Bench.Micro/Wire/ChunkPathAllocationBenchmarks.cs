using System.Text;
using BenchmarkDotNet.Attributes;
using Bench.Core.Wire;

namespace Bench.Micro.Wire;

/// <summary>
/// What the client's whole chunk path allocates per streamed event, for each protocol: raw SSE bytes through
/// <see cref="ChatStreamReader"/> (<see cref="TimestampingStream"/>, <see cref="BoundedSseStream"/>, <c>SseParser</c>,
/// the protocol's parser, <see cref="StreamAccumulator"/> with its token-event times), on one long body per protocol
/// of <see cref="Events"/> events built from a real recording (<see cref="ChunkPathBodies"/>), so that the per-stream
/// objects (accumulator, parser, streams, state machine) weigh less than a byte per event. Beside each, the
/// <c>*Text</c> benchmark appends the same text to two <see cref="StringBuilder"/>s as the accumulator keeps it
/// (content and reasoning): the kept answer, which the reader may allocate. Reader minus text is what the chunk path
/// allocates beyond the content text, per event (<see cref="BenchmarkAttribute.OperationsPerInvoke"/> is the event
/// count). Each read ends with <see cref="StreamAccumulator.ReleaseTokenEventTimestamps"/>, as the client does after
/// copying the times into its record.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ChunkPathAllocationBenchmarks
{
    /// <summary>SSE events in each protocol's body (the [DONE] of Chat Completions included).</summary>
    public const int Events = ChunkPathBodies.Events;

    private ChunkPathBodies.Body _chat = null!;
    private ChunkPathBodies.Body _responses = null!;
    private ChunkPathBodies.Body _anthropic = null!;
    private ChunkPathBodies.Body _gemini = null!;

    /// <summary>Builds the four bodies and checks that each reads cleanly to its end.</summary>
    /// <exception cref="InvalidOperationException">A body did not read as its recording did.</exception>
    [GlobalSetup]
    public void Setup()
    {
        _chat = ChunkPathBodies.Build(WireProtocol.OpenAiChat);
        _responses = ChunkPathBodies.Build(WireProtocol.OpenAiResponses);
        _anthropic = ChunkPathBodies.Build(WireProtocol.AnthropicMessages);
        _gemini = ChunkPathBodies.Build(WireProtocol.Gemini);
    }

    /// <summary>Chat Completions (<c>chat.completion.chunk</c>), whole chunk path, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public Task<int> OpenAiChat() => ReadAsync(_chat);

    /// <summary>The text an <see cref="OpenAiChat"/> stream keeps, appended alone, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int OpenAiChatText() => _chat.AppendText();

    /// <summary>Responses API events, whole chunk path, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public Task<int> Responses() => ReadAsync(_responses);

    /// <summary>The text a <see cref="Responses"/> stream keeps, appended alone, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int ResponsesText() => _responses.AppendText();

    /// <summary>Anthropic Messages events, whole chunk path, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public Task<int> Anthropic() => ReadAsync(_anthropic);

    /// <summary>The text an <see cref="Anthropic"/> stream keeps, appended alone, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int AnthropicText() => _anthropic.AppendText();

    /// <summary>Gemini <c>GenerateContentResponse</c> chunks, whole chunk path, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public Task<int> Gemini() => ReadAsync(_gemini);

    /// <summary>The text a <see cref="Gemini"/> stream keeps, appended alone, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int GeminiText() => _gemini.AppendText();

    /// <summary>Reads the body as the client does; returns characters kept plus token events so nothing is elided.</summary>
    private static async Task<int> ReadAsync(ChunkPathBodies.Body body)
    {
        var accumulator = await body.ReadAsync().ConfigureAwait(false);
        var kept = accumulator.ContentChars + accumulator.ReasoningChars + accumulator.TokenEventTimestamps.Count;
        accumulator.ReleaseTokenEventTimestamps(); // as the client does once it has copied the times into the record
        return kept;
    }
}
