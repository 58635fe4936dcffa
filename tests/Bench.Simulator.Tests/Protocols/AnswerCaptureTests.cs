using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Wire;
using Bench.Simulator.Hosting;
using static Bench.Simulator.Tests.TestSimulator;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Simulator.Tests.Protocols;

/// <summary>A multi-turn session sends each answer back: <see cref="ChatRequest.CaptureAnswer"/> keeps the answer's text
/// beside the record in every protocol and mode, the simulator's same seed giving the same text in each; without the
/// flag no text is kept, and the text is never written to records.jsonl.</summary>
public class AnswerCaptureTests
{
    private static ChatRequest Request(Mode mode, bool capture) =>
        new("fast", mode, [new("user", "say something")], 32, Seed: 11, CaptureAnswer: capture);

    [Fact]
    public async Task SendAsync_CaptureAnswer_TheAnswersTextInEveryProtocolAndMode()
    {
        await using var host = await StartAsync(Fast());
        using var http = BenchHttpClient.Create();
        var texts = new List<string>();
        foreach (var protocol in WireProtocols.All)
        {
            var client = new ChatClient(http, new Endpoint(host.BaseUrl, ApiKey) { Protocol = protocol }, new RunClock(), new ChatClientOptions { Tokenizer = "none" });
            foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming })
            {
                var record = await client.SendAsync(Request(mode, capture: true), new RequestContext(1));

                Assert.Equal(Outcome.Success, record.Outcome);
                var text = Assert.IsType<string>(record.AnswerText);
                Assert.Equal(record.ContentChars, text.Length);
                texts.Add(text);
            }
        }

        Assert.NotEmpty(texts[0]);
        Assert.All(texts, t => Assert.Equal(texts[0], t));
    }

    [Fact]
    public async Task SendAsync_WithoutCapture_NoTextKeptAndNeverSerialized()
    {
        await using var host = await StartAsync(Fast());
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(host.BaseUrl, ApiKey), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var plain = await client.SendAsync(Request(Mode.Streaming, capture: false), new RequestContext(1));
        var captured = await client.SendAsync(Request(Mode.Streaming, capture: true), new RequestContext(2));

        Assert.Null(plain.AnswerText);
        Assert.NotNull(captured.AnswerText);
        var json = JsonSerializer.Serialize(captured, Bench.Core.Results.ResultsJson.Default.RequestRecord);
        Assert.DoesNotContain("answer_text", json, StringComparison.Ordinal);
        Assert.DoesNotContain(captured.AnswerText!, json, StringComparison.Ordinal);
    }
}
