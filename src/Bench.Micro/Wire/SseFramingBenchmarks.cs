using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using BenchmarkDotNet.Attributes;
using Bench.Core.Wire;
using OpenAI;
using OpenAI.Chat;

namespace Bench.Micro.Wire;

/// <summary>
/// SSE framing on one real body, the longest Chat Completions recording
/// (<c>recorded-streams/openai-chat/openai-chat-28-deepseek-r1-distill-llama-70b.sse</c>, 1,507 events, 426 kB, bytes
/// as recorded), read from memory four ways, per event (<see cref="BenchmarkAttribute.OperationsPerInvoke"/> is the
/// event count): framing alone, Bench's (<see cref="TimestampingStream"/> + <see cref="BoundedSseStream"/> +
/// <see cref="SseParser"/>, as <see cref="ChatStreamReader"/> stacks them) against <see cref="SseParser"/> on the bare
/// stream, each calling back with the data's length and parsing no JSON; then the whole path, Bench's
/// <see cref="ChatStreamReader"/> (framing, chunk parsing, token-event times) against the OpenAI .NET SDK's
/// <see cref="ChatClient.CompleteChatStreamingAsync(IEnumerable{ChatMessage}, ChatCompletionOptions, CancellationToken)"/>
/// over an in-memory <see cref="HttpMessageHandler"/> returning the same body (so the SDK's figure also carries its
/// request: JSON body, pipeline, response object — a few kB per stream, spread over 1,507 events).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SseFramingBenchmarks
{
    /// <summary>Events in the body, <c>[DONE]</c> included (checked in <see cref="Setup"/>).</summary>
    private const int Events = 1507;

    private const string Recording = "openai-chat-28-deepseek-r1-distill-llama-70b.sse";

    private byte[] _body = [];
    private ChatClient _sdk = null!;
    private readonly ChatMessage[] _messages = [new UserChatMessage("Say hello.")];

    /// <summary>Loads the body, builds the SDK client on it, and checks that every reader sees every event and that
    /// the two whole paths read the same content.</summary>
    /// <exception cref="InvalidOperationException">The readers disagree or the recording changed.</exception>
    [GlobalSetup]
    public void Setup()
    {
        _body = File.ReadAllBytes(Path.Combine(ChunkCorpus.Folder("openai-chat"), Recording));
        var transport = new HttpClientPipelineTransport(new HttpClient(new RecordedBodyHandler(_body)));
        _sdk = new ChatClient("deepseek-r1-distill-llama-70b", new ApiKeyCredential("sk-micro"),
            new OpenAIClientOptions { Transport = transport, Endpoint = new Uri("http://127.0.0.1:9/v1") });

        var bench = BenchFraming().GetAwaiter().GetResult();
        var direct = SseParserDirect().GetAwaiter().GetResult();
        if (bench != direct)
        {
            throw new InvalidOperationException($"Framing disagrees: Bench {bench} data bytes, SseParser {direct}.");
        }

        var accumulator = new StreamAccumulator();
        using (var stream = new MemoryStream(_body, writable: false))
        {
            ChatStreamReader.ReadAsync(stream, accumulator).GetAwaiter().GetResult();
        }

        var sdk = OpenAiSdk().GetAwaiter().GetResult();
        if (accumulator.Events != Events || accumulator.Malformed || !accumulator.Done || accumulator.ContentChars != sdk)
        {
            throw new InvalidOperationException(
                $"Whole paths disagree: Bench {accumulator.Events} events, {accumulator.ContentChars} content chars; SDK {sdk} chars.");
        }
    }

    /// <summary>Bench's framing: the streams <see cref="ChatStreamReader"/> stacks under <see cref="SseParser"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task<long> BenchFraming()
    {
        using var body = new MemoryStream(_body, writable: false);
        var timed = new TimestampingStream(body, TimeProvider.System);
        var bounded = new BoundedSseStream(timed, new StreamAccumulator());
        return await SumData(SseParser.Create(bounded, (type, data) => bounded.EventType(type).Length + data.Length)).ConfigureAwait(false);
    }

    /// <summary><see cref="SseParser"/> on the bare stream.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<long> SseParserDirect()
    {
        using var body = new MemoryStream(_body, writable: false);
        return await SumData(SseParser.Create(body, static (type, data) => type.Length + data.Length)).ConfigureAwait(false);
    }

    /// <summary>Bench's whole path: <see cref="ChatStreamReader"/> into an accumulator, times released after.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> BenchWholePath()
    {
        using var body = new MemoryStream(_body, writable: false);
        var accumulator = new StreamAccumulator();
        await ChatStreamReader.ReadAsync(body, accumulator).ConfigureAwait(false);
        var kept = accumulator.ContentChars + accumulator.TokenEventTimestamps.Count;
        accumulator.ReleaseTokenEventTimestamps();
        return kept - accumulator.TokenEventTimestamps.Count;
    }

    /// <summary>The OpenAI .NET SDK's streaming path on the same body; returns the content characters.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> OpenAiSdk()
    {
        var chars = 0;
        await foreach (var update in _sdk.CompleteChatStreamingAsync(_messages).ConfigureAwait(false))
        {
            foreach (var part in update.ContentUpdate)
            {
                chars += part.Text.Length;
            }
        }

        return chars;
    }

    private static async Task<long> SumData(SseParser<int> parser)
    {
        long bytes = 0;
        await foreach (var item in parser.EnumerateAsync().ConfigureAwait(false))
        {
            bytes += item.Data;
        }

        return bytes;
    }

    /// <summary>Answers every request with the recorded body, <c>200</c>, <c>text/event-stream</c>.</summary>
    private sealed class RecordedBodyHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new MemoryStream(body, writable: false));
            content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
