using System.Text.Json;
using Bench.Harness.SelfTest;

namespace Bench.Harness.Tests.SelfTest;

/// <summary>Timing tests: not run beside other tests, so they compete only with the machine's other load.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SelfTestTimingCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "selftest timing";
}

[Collection(SelfTestTimingCollection.Name)]
public sealed class SelfTestRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-selftest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_AccuracyOnly_JoinsEveryRequestAndMeasuresTheFixedDelays()
    {
        var options = new SelfTestOptions
        {
            OutputDirectory = _dir,
            Duration = TimeSpan.FromSeconds(5),
            RunCeiling = false,
            RunWrk = false,
            RunScale = false,
            CommandLine = "bench selftest (test)",
        };

        var (result, directory) = await SelfTestRunner.RunAsync(options, new StringWriter(), CancellationToken.None);

        Assert.Equal(_dir, directory);
        Assert.Equal(["streaming", "non-streaming"], result.Accuracy.Select(a => a.Mode));
        foreach (var a in result.Accuracy)
        {
            // 5 s at 20 req/s: 100 requests scheduled (k / 20 s for k = 0..99).
            Assert.Equal(100, a.Requests);
            Assert.Equal(a.Requests, a.Successes);
            Assert.Equal(a.Requests, a.Joined);

            // The client can never see bytes before the simulator flushed them; loopback plus parsing costs tens to
            // hundreds of µs, a few ms on a busy machine.
            var e2eError = a.E2eErrorUs!;
            Assert.Equal(a.Requests, e2eError.Count);
            Assert.True(e2eError.MinUs >= 0, $"{a.Mode}: E2E error min {e2eError.MinUs} µs");
            Assert.InRange(e2eError.P50Us, 0, 5_000);

            // The fixed delays, as measured end to end, and the rate, as achieved.
            Assert.InRange(a.E2eMs!.P50, SelfTestProfiles.FixedE2eMs, SelfTestProfiles.FixedE2eMs + 40);
            Assert.InRange(a.AchievedSendRatePerS!.Value, 18, 22);
            Assert.Equal(20, a.ScheduledRatePerS!.Value, 6);
            Assert.Equal(a.Requests, a.QueueMs!.Count);
            Assert.True(a.QueueMs.Min >= 0);
        }

        var streaming = result.Accuracy[0];
        var ttftError = streaming.TtftErrorUs!;
        Assert.Equal(streaming.Requests, ttftError.Count);
        Assert.True(ttftError.MinUs >= 0, $"TTFT error min {ttftError.MinUs} µs");
        Assert.InRange(ttftError.P50Us, 0, 5_000);
        Assert.InRange(streaming.TtftMs!.P50, SelfTestProfiles.FixedTtftMs, SelfTestProfiles.FixedTtftMs + 40);
        Assert.Null(result.Accuracy[1].TtftErrorUs);

        Assert.NotEmpty(result.Checks);
        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Null(result.Ceiling);
        Assert.Null(result.Wrk);

        var md = await File.ReadAllTextAsync(Path.Combine(_dir, SelfTestReport.MarkdownFile));
        foreach (var heading in new[] { "# Bench self-test", "## Ground truth", "## Arrival rate", "## Client ceiling", "## Loopback server ceiling", "## Checks" })
        {
            Assert.Contains(heading, md, StringComparison.Ordinal);
        }

        Assert.Contains("| streaming | TTFT error | 100 |", md, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, SelfTestReport.JsonFile)));
        var first = json.RootElement.GetProperty("accuracy")[0];
        Assert.Equal("streaming", first.GetProperty("mode").GetString());
        Assert.Equal(ttftError.P50Us, first.GetProperty("ttft_error_us").GetProperty("p50_us").GetInt64());
    }

    [Fact]
    public async Task RunAsync_SmallCeiling_BothClientsReadEveryEventOfEveryAnswer()
    {
        var options = new SelfTestOptions
        {
            OutputDirectory = _dir,
            Duration = TimeSpan.FromSeconds(1),
            Concurrencies = [2],
            RunWrk = false,
            RunScale = false,
            CommandLine = "bench selftest (test)",
        };

        var (result, _) = await SelfTestRunner.RunAsync(options, new StringWriter(), CancellationToken.None);

        var ceiling = result.Ceiling!;
        Assert.True(ceiling.SkippedReason is null, ceiling.SkippedReason);
        Assert.Equal([ClientCeiling.BenchClient, ClientCeiling.BenchNoTokenizerClient, ClientCeiling.SdkClient], ceiling.Steps.Select(s => s.Client));

        // A single step is a rise over nothing: no client has levelled off.
        Assert.Equal(ceiling.Steps.Select(s => s.Client), ceiling.NotLevelledOff);

        // Role prelude + one event per token + finish + usage + [DONE], for Bench's reader and the SDK alike.
        const int eventsPerAnswer = SelfTestProfiles.FastTokens + 4;
        foreach (var step in ceiling.Steps)
        {
            Assert.True(step.Failures == 0, $"{step.Client}: {step.FirstFailure}");
            Assert.True(step.Requests > 0, step.Client);
            Assert.Equal(step.Requests * eventsPerAnswer, step.Events);
            Assert.Equal(2, step.Concurrency);
            Assert.True(step.ClientCpuUsPerEvent > 0, step.Client);
        }

        var md = await File.ReadAllTextAsync(Path.Combine(_dir, SelfTestReport.MarkdownFile));
        Assert.Contains("| bench | 2 |", md, StringComparison.Ordinal);
        Assert.Contains("| bench-tokenizer-off | 2 |", md, StringComparison.Ordinal);
        Assert.Contains("| openai-sdk | 2 |", md, StringComparison.Ordinal);
        Assert.Contains("Not run (turned off for this run).", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SmallScaleStep_JoinsEveryStreamToTheChildsTimings_WithBothProcessesCpu()
    {
        // 20 streams of 0.4 s answers (TTFT 200 ms, 5 tokens at 20 tokens/s): ramp 0.4 s, then 2 s measured.
        var options = new SelfTestOptions
        {
            OutputDirectory = _dir,
            Duration = TimeSpan.FromSeconds(2),
            RunCeiling = false,
            RunWrk = false,
            ScaleStreams = [20],
            ScaleTtftMs = 200,
            ScaleTokens = 5,
            ScaleDecodeTokensPerS = 20,
            CommandLine = "bench selftest (test)",
        };
        var output = new StringWriter();

        var (result, _) = await SelfTestRunner.RunAsync(options, output, CancellationToken.None);

        var step = Assert.Single(result.Scale);
        Assert.True(step.SkippedReason is null, step.SkippedReason);
        Assert.Equal(20, step.Streams);
        Assert.Equal(400, step.ProfileE2eMs, 6);
        Assert.Equal(20, step.InFlightAtEnd);
        Assert.True(step.Requests >= 20, $"{step.Requests} requests measured");
        Assert.True(step.Successes == step.Requests, step.FirstFailure);
        Assert.Equal(step.Requests, step.Joined);

        // One clock across the two processes: no error, and no transit, below zero.
        var ttftError = step.TtftErrorUs!;
        Assert.Equal(step.Requests, ttftError.Count);
        Assert.True(ttftError.MinUs >= 0, $"TTFT error min {ttftError.MinUs} µs");
        Assert.True(step.E2eErrorUs!.MinUs >= 0, $"E2E error min {step.E2eErrorUs.MinUs} µs");
        Assert.True(step.RequestTransitUs!.MinUs >= 0, $"transit min {step.RequestTransitUs.MinUs} µs");
        Assert.InRange(step.TtftMs!.P50, 200, 240);
        Assert.True(step.ClientCpuPercent > 0 && step.ServerCpuPercent > 0, $"client {step.ClientCpuPercent} %, server {step.ServerCpuPercent} %");
        Assert.True(step.EventsPerS > 0);

        // The goal is judged at 500 streams only.
        Assert.Empty(result.Goals);
        var md = await File.ReadAllTextAsync(Path.Combine(_dir, SelfTestReport.MarkdownFile));
        Assert.Contains("## Ground truth at scale", md, StringComparison.Ordinal);
        Assert.Contains("| 20 | TTFT error |", md, StringComparison.Ordinal);
        Assert.Contains("Scale: 20 concurrent streams", output.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, SelfTestReport.JsonFile)));
        Assert.Equal(ttftError.P99Us, json.RootElement.GetProperty("scale")[0].GetProperty("ttft_error_us").GetProperty("p99_us").GetInt64());
    }
}
