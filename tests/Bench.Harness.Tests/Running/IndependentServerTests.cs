using System.Text;
using System.Text.Json;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bench.Harness.Tests.Running;

/// <summary>
/// <c>bench run --base-url</c> against a server that is not Bench's simulator and streams the way several
/// OpenAI-compatible servers do, not the way OpenAI does: no role prelude, three tokens per chunk, usage on the final
/// content chunk (no separate <c>choices: []</c> chunk), <c>data:</c> without a space, a keep-alive comment.
/// </summary>
public sealed class IndependentServerTests : IAsyncLifetime, IDisposable
{
    private const int Tokens = 30;
    private const int TokensPerChunk = 3;
    private const int FirstChunkDelayMs = 60;
    private const int ChunkGapMs = 15;
    private const string KeyVariable = "BENCH_TEST_INDEPENDENT_KEY";
    private const string Key = "sk-independent-test-key";

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-independent-").FullName;
    private WebApplication? _app;
    private Uri _baseUrl = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", ServeAsync);
        await _app.StartAsync();
        _baseUrl = new Uri(_app.Urls.First() + "/v1/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task ServeAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization != $"Bearer {Key}")
        {
            context.Response.StatusCode = 401;
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body);
        var stream = request.RootElement.TryGetProperty("stream", out var s) && s.GetBoolean();
        var words = Enumerable.Range(0, Tokens).Select(i => $"w{i} ").ToArray();
        var usage = new { prompt_tokens = 11, completion_tokens = Tokens, total_tokens = 11 + Tokens };
        await Task.Delay(FirstChunkDelayMs);
        if (!stream)
        {
            await Task.Delay(ChunkGapMs * ((Tokens / TokensPerChunk) - 1));
            await context.Response.WriteAsJsonAsync(new
            {
                id = "x", @object = "chat.completion", created = 1, model = "indie-1",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Concat(words) }, finish_reason = "stop" } },
                usage,
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync(": keep-alive\n\n");
        for (var i = 0; i < Tokens; i += TokensPerChunk)
        {
            if (i > 0)
            {
                await Task.Delay(ChunkGapMs);
            }

            var last = i + TokensPerChunk >= Tokens;
            var chunk = new Dictionary<string, object?>
            {
                ["id"] = "x", ["object"] = "chat.completion.chunk", ["created"] = 1, ["model"] = "indie-1",
                ["choices"] = new[] { new { index = 0, delta = new { content = string.Concat(words[i..(i + TokensPerChunk)]) }, finish_reason = last ? "stop" : null } },
            };
            if (last)
            {
                chunk["usage"] = usage; // usage rides on the final content chunk
            }

            await context.Response.WriteAsync("data:" + JsonSerializer.Serialize(chunk) + "\n\n", Encoding.UTF8);
            await context.Response.Body.FlushAsync();
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    [Fact]
    public async Task Run_AgainstAnIndependentServer_ReadsItsShape()
    {
        Environment.SetEnvironmentVariable(KeyVariable, Key);
        var scenario = new Scenario
        {
            Name = "independent",
            Target = new TargetSpec { BaseUrl = _baseUrl, ApiKeyEnv = KeyVariable },
            Models = ["indie-1"],
            Modes = [Mode.Streaming, Mode.NonStreaming],
            Request = new RequestShape { PromptTokens = 20, MaxTokens = 64, TimeoutS = 30 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 8 }],
        };

        var result = await TestRuns.RunAsync(scenario, null, _dir, new StringWriter(), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        var records = RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile));
        Assert.Equal(16, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal(Outcome.Success, r.Outcome);
            Assert.Equal(TokenSources.Usage, r.TokensSource);
            Assert.Equal(Tokens, r.CompletionTokens);
            Assert.Equal(11, r.PromptTokens);
            Assert.Equal("stop", r.FinishReason);
            Assert.Equal(string.Concat(Enumerable.Range(0, Tokens).Select(i => $"w{i} ")).Length, r.ContentChars);
        });
        Assert.All(records.Where(r => r.Mode == Mode.Streaming), r =>
        {
            Assert.Equal(Tokens / TokensPerChunk, r.TokenEventsMs.Count); // one token-bearing event per chunk
            Assert.True(r.FirstTokenMs - r.SentMs >= FirstChunkDelayMs - 5, $"TTFT {r.FirstTokenMs - r.SentMs} ms"); // timers may fire a little early
        });

        var aggregator = new RunAggregator();
        records.ForEach(aggregator.Add);
        var streaming = aggregator.Summarize().Single(c => c.Mode == Mode.Streaming);
        // TPOT spreads the decode time over the server's token count, not over the (fewer) chunks:
        // 9 gaps of >= 15 ms over 29 tokens is >= 4.6 ms per token (per chunk it would be >= 15 ms; the upper bound
        // leaves room for a busy machine stretching the gaps); ITL is per event, >= 15 ms.
        Assert.InRange(streaming.Get(Metric.Tpot)!.P50, (ChunkGapMs * 9.0 / (Tokens - 1)) - 0.1, 12);
        Assert.True(streaming.Get(Metric.Itl)!.P50 >= ChunkGapMs - 1);
        var summary = File.ReadAllLines(Path.Combine(_dir, "summary.csv"));
        Assert.StartsWith("indie-1,streaming,,8,8,1,", summary[1].Split(',', 2)[1], StringComparison.Ordinal); // after the target column
    }
}
