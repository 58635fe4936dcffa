using BenchmarkDotNet.Attributes;
using Bench.Core.Wire;

namespace Bench.Micro.Wire;

/// <summary>
/// The readers of the Responses API, Anthropic Messages and Gemini over their recorded streams
/// (<c>shared/fixtures/recorded-streams/{responses,anthropic,gemini}</c>, real bodies): every event folded into a
/// <see cref="StreamAccumulator"/> of its protocol, one accumulator per stream, as <see cref="ChatStreamReader"/> does
/// after the SSE parser. Figures are per event (<see cref="BenchmarkAttribute.OperationsPerInvoke"/> is the event
/// count), allocations included: the kept text, the model and finish-reason strings, and one accumulator per stream
/// spread over its events. Compare with <see cref="ChunkDeserializationBenchmarks.BenchReader"/> (the chat chunks).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ProtocolEventBenchmarks
{
    /// <summary>Events in the three Responses recordings: 303 (checked in <see cref="Setup"/>).</summary>
    private const int ResponsesEvents = 303;

    /// <summary>Events in the four Anthropic recordings: 256.</summary>
    private const int AnthropicEvents = 256;

    /// <summary>Events in the two Gemini recordings: 26.</summary>
    private const int GeminiEvents = 26;

    private (string EventType, byte[] Data)[][] _responses = [];
    private (string EventType, byte[] Data)[][] _anthropic = [];
    private (string EventType, byte[] Data)[][] _gemini = [];

    /// <summary>Loads the recordings and checks their sizes and that every event reads cleanly.</summary>
    /// <exception cref="InvalidOperationException">A corpus changed size or a reader marks an event malformed.</exception>
    [GlobalSetup]
    public void Setup()
    {
        _responses = ChunkCorpus.LoadEvents("responses");
        _anthropic = ChunkCorpus.LoadEvents("anthropic");
        _gemini = ChunkCorpus.LoadEvents("gemini");
        Check(_responses, ResponsesEvents, WireProtocol.OpenAiResponses);
        Check(_anthropic, AnthropicEvents, WireProtocol.AnthropicMessages);
        Check(_gemini, GeminiEvents, WireProtocol.Gemini);
    }

    /// <summary><see cref="ResponsesEventParser"/>, per event.</summary>
    [Benchmark(OperationsPerInvoke = ResponsesEvents)]
    public int Responses() => Read(_responses, WireProtocol.OpenAiResponses);

    /// <summary><see cref="AnthropicEventParser"/>, per event.</summary>
    [Benchmark(OperationsPerInvoke = AnthropicEvents)]
    public int Anthropic() => Read(_anthropic, WireProtocol.AnthropicMessages);

    /// <summary><see cref="GeminiChunkParser"/>, per event.</summary>
    [Benchmark(OperationsPerInvoke = GeminiEvents)]
    public int Gemini() => Read(_gemini, WireProtocol.Gemini);

    /// <summary>Folds every stream; returns the characters kept so the work cannot be elided.</summary>
    private static int Read((string EventType, byte[] Data)[][] streams, WireProtocol protocol)
    {
        var chars = 0;
        foreach (var stream in streams)
        {
            var accumulator = new StreamAccumulator(protocol);
            foreach (var (eventType, data) in stream)
            {
                accumulator.OnEvent(eventType, data, 0);
            }

            accumulator.OnEndOfBody();
            chars += accumulator.ContentChars + accumulator.ReasoningChars;
        }

        return chars;
    }

    private static void Check((string EventType, byte[] Data)[][] streams, int expected, WireProtocol protocol)
    {
        var count = streams.Sum(s => s.Length);
        if (count != expected)
        {
            throw new InvalidOperationException($"The {WireProtocols.Name(protocol)} corpus has {count} events, not {expected}.");
        }

        foreach (var stream in streams)
        {
            var accumulator = new StreamAccumulator(protocol);
            foreach (var (eventType, data) in stream)
            {
                accumulator.OnEvent(eventType, data, 0);
            }

            accumulator.OnEndOfBody(); // Gemini's end: the body ends after a finishReason
            if (accumulator.Malformed || !accumulator.Done)
            {
                throw new InvalidOperationException($"A {WireProtocols.Name(protocol)} stream read badly: {accumulator.MalformedReason ?? "not done"}.");
            }
        }
    }
}
