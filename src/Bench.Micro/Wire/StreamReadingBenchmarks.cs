using System.Text;
using BenchmarkDotNet.Attributes;
using Bench.Core.Wire;

namespace Bench.Micro.Wire;

/// <summary>
/// Reading one streamed answer the way the client does: raw SSE through <see cref="ChatStreamReader"/> (SseParser +
/// Utf8JsonReader), 200 single-token content chunks plus prelude, finish and usage chunks — the default request's
/// shape. Reports time and bytes allocated per answer; divide by 203 events for per-chunk figures.
/// </summary>
[MemoryDiagnoser]
public class StreamReadingBenchmarks
{
    private byte[] _body = [];

    /// <summary>Builds the SSE body once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var sse = new StringBuilder();
        const string head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4.1\",";
        sse.Append("data: ").Append(head).Append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (var i = 0; i < 200; i++)
        {
            sse.Append("data: ").Append(head).Append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }

        sse.Append("data: ").Append(head).Append("\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"length\"}],\"usage\":null}\n\n");
        sse.Append("data: ").Append(head).Append("\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":200,\"total_tokens\":300}}\n\n");
        sse.Append("data: [DONE]\n\n");
        _body = Encoding.UTF8.GetBytes(sse.ToString());
    }

    /// <summary>Parses the whole answer; returns the completion tokens so the work cannot be elided.</summary>
    [Benchmark]
    public async Task<int?> ReadStreamedAnswer()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var accumulator = await ChatStreamReader.ReadAsync(stream).ConfigureAwait(false);
        return accumulator.CompletionTokens;
    }
}
