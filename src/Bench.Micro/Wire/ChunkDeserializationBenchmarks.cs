using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Bench.Core.Wire;
using OpenAI.Chat;

namespace Bench.Micro.Wire;

/// <summary>
/// Reading the recorded corpus's chunks (<see cref="ChunkCorpus"/>) three ways, each folding every chunk into the same
/// per-stream result — content and reasoning text, tool-call arguments, finish reason, usage:
/// Bench's <see cref="ChunkParser"/> (<see cref="Utf8JsonReader"/>, no DOM); <see cref="JsonSerializer"/> with a
/// source-generated context into chunk records; and the OpenAI .NET SDK's <see cref="StreamingChatCompletionUpdate"/>
/// (<see cref="ModelReaderWriter"/>, the path its streaming client takes per event). Figures are per chunk
/// (<see cref="BenchmarkAttribute.OperationsPerInvoke"/> is the corpus size).
/// </summary>
/// <remarks>The SDK reads no reasoning (it has no such field), so it does slightly less work than the other two.</remarks>
[MemoryDiagnoser]
[MedianColumn]
public class ChunkDeserializationBenchmarks
{
    /// <summary>Chunks in the corpus: 2,029 in the twelve recordings (checked in <see cref="Setup"/>).</summary>
    private const int Chunks = 2029;

    private byte[][][] _streams = [];
    private BinaryData[][] _binary = [];

    /// <summary>Loads the corpus and checks that every reader reads all of it.</summary>
    /// <exception cref="InvalidOperationException">The corpus changed size or a reader fails on a chunk.</exception>
    [GlobalSetup]
    public void Setup()
    {
        _streams = ChunkCorpus.Load();
        _binary = [.. _streams.Select(s => s.Select(BinaryData.FromBytes).ToArray())];
        var count = _streams.Sum(s => s.Length);
        if (count != Chunks)
        {
            throw new InvalidOperationException($"The corpus has {count} chunks, not {Chunks}: update {nameof(Chunks)}.");
        }

        // The three must agree on the text, or the comparison is not like for like.
        var bench = BenchReader();
        var serializer = SourceGeneratedSerializer();
        var sdk = OpenAiSdk();
        if (bench != serializer || (bench - ReasoningChars()) != sdk)
        {
            throw new InvalidOperationException($"Readers disagree: Bench {bench} chars, JsonSerializer {serializer}, SDK {sdk} (+ reasoning).");
        }
    }

    /// <summary>Bench's reader: <see cref="ChunkParser.Parse"/> into a <see cref="StreamAccumulator"/> per stream.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Chunks)]
    public int BenchReader()
    {
        var chars = 0;
        foreach (var stream in _streams)
        {
            var accumulator = new StreamAccumulator();
            foreach (var chunk in stream)
            {
                ChunkParser.Parse(chunk, accumulator);
            }

            chars += accumulator.ContentChars + accumulator.ReasoningChars + accumulator.ToolCalls.Sum(c => c.Arguments.Length);
        }

        return chars;
    }

    /// <summary><see cref="JsonSerializer.Deserialize(ReadOnlySpan{byte}, System.Text.Json.Serialization.Metadata.JsonTypeInfo)"/>
    /// with a source-generated context, folded into the same result.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public int SourceGeneratedSerializer()
    {
        var chars = 0;
        foreach (var stream in _streams)
        {
            var fold = new Fold();
            foreach (var bytes in stream)
            {
                var chunk = JsonSerializer.Deserialize(bytes, ChunkJsonContext.Default.ChunkDto)!;
                if (chunk.Choices is [var choice, ..])
                {
                    fold.Finish = choice.FinishReason ?? fold.Finish;
                    if (choice.Delta is { } delta)
                    {
                        fold.Content.Append(delta.Content);
                        fold.Reasoning.Append(delta.ReasoningContent ?? delta.Reasoning);
                        foreach (var call in delta.ToolCalls ?? [])
                        {
                            fold.Arguments(call.Index).Append(call.Function?.Arguments);
                        }
                    }
                }

                fold.Usage = chunk.Usage ?? chunk.XGroq?.Usage ?? fold.Usage;
            }

            chars += fold.Chars;
        }

        return chars;
    }

    /// <summary>The OpenAI .NET SDK's model for a streamed chunk, read as its streaming client reads each event.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public int OpenAiSdk()
    {
        var chars = 0;
        foreach (var stream in _binary)
        {
            var fold = new Fold();
            foreach (var data in stream)
            {
                var update = ModelReaderWriter.Read<StreamingChatCompletionUpdate>(data, ModelReaderWriterOptions.Json)!;
                fold.Finish = update.FinishReason?.ToString() ?? fold.Finish;
                foreach (var part in update.ContentUpdate)
                {
                    fold.Content.Append(part.Text);
                }

                foreach (var call in update.ToolCallUpdates)
                {
                    fold.Arguments(call.Index).Append(call.FunctionArgumentsUpdate?.ToString());
                }

                fold.SdkUsage = update.Usage ?? fold.SdkUsage;
            }

            chars += fold.Chars;
        }

        return chars;
    }

    private int ReasoningChars()
    {
        var chars = 0;
        foreach (var stream in _streams)
        {
            var accumulator = new StreamAccumulator();
            foreach (var chunk in stream)
            {
                ChunkParser.Parse(chunk, accumulator);
            }

            chars += accumulator.ReasoningChars;
        }

        return chars;
    }

    /// <summary>What every reader keeps of a stream.</summary>
    private sealed class Fold
    {
        private readonly Dictionary<int, StringBuilder> _arguments = [];

        public StringBuilder Content { get; } = new();

        public StringBuilder Reasoning { get; } = new();

        public string? Finish { get; set; }

        public UsageDto? Usage { get; set; }

        public ChatTokenUsage? SdkUsage { get; set; }

        public int Chars => Content.Length + Reasoning.Length + _arguments.Values.Sum(a => a.Length);

        public StringBuilder Arguments(int index)
        {
            if (!_arguments.TryGetValue(index, out var builder))
            {
                builder = new StringBuilder();
                _arguments.Add(index, builder);
            }

            return builder;
        }
    }
}

/// <summary>A <c>chat.completion.chunk</c>, the fields the readers keep.</summary>
internal sealed record ChunkDto(string? Model, List<ChoiceDto>? Choices, UsageDto? Usage, [property: JsonPropertyName("x_groq")] VendorDto? XGroq);

/// <summary><c>choices[]</c>.</summary>
internal sealed record ChoiceDto(int Index, DeltaDto? Delta, string? FinishReason);

/// <summary><c>choices[].delta</c>.</summary>
internal sealed record DeltaDto(string? Role, string? Content, string? ReasoningContent, string? Reasoning, List<ToolCallDto>? ToolCalls);

/// <summary><c>delta.tool_calls[]</c>.</summary>
internal sealed record ToolCallDto(int Index, string? Id, FunctionDto? Function);

/// <summary><c>tool_calls[].function</c>.</summary>
internal sealed record FunctionDto(string? Name, string? Arguments);

/// <summary><c>usage</c>.</summary>
internal sealed record UsageDto(int? PromptTokens, int? CompletionTokens, int? TotalTokens, PromptDetailsDto? PromptTokensDetails, CompletionDetailsDto? CompletionTokensDetails);

/// <summary><c>usage.prompt_tokens_details</c>.</summary>
internal sealed record PromptDetailsDto(int? CachedTokens);

/// <summary><c>usage.completion_tokens_details</c>.</summary>
internal sealed record CompletionDetailsDto(int? ReasoningTokens);

/// <summary>A vendor's extension object (<c>x_groq</c>).</summary>
internal sealed record VendorDto(UsageDto? Usage);

/// <summary>Source-generated metadata for the chunk records, snake_case names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChunkDto))]
internal sealed partial class ChunkJsonContext : JsonSerializerContext;
