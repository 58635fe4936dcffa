using System.Diagnostics;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Harness.SelfTest;

namespace Bench.Harness.Tests.SelfTest;

/// <summary>
/// The scale steps compare a child simulator's Stopwatch timestamps with this process's: proof that they are one clock
/// (on Linux, <c>CLOCK_MONOTONIC</c>, system-wide), not an assumption. Were the child's clock offset, its records
/// would fall outside the interval this process saw each request take.
/// </summary>
public sealed class ChildClockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-child-clock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ChildSimulator_TimingsFile_TimestampsLieWithinWhatThisProcessSaw()
    {
        var profiles = Path.Combine(_dir, "profiles");
        var timings = Path.Combine(_dir, "timings.jsonl");
        var options = new SelfTestOptions { ScaleTtftMs = 50, ScaleTokens = 3, ScaleDecodeTokensPerS = 100 };
        SelfTestProfiles.WriteScaleProfile(profiles, options);
        const string apiKey = "sk-clock-test";
        await using var server = await ChildSimulator.StartAsync(profiles, apiKey, 42, CancellationToken.None, timings);
        using var http = BenchHttpClient.Create();
        var clock = new RunClock();
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, apiKey), clock, new ChatClientOptions { Timeout = TimeSpan.FromSeconds(30) });

        var seen = new List<(long Id, long Before, long After)>();
        for (var id = 1; id <= 5; id++)
        {
            var before = Stopwatch.GetTimestamp();
            var record = await client.SendAsync(new ChatRequest(SelfTestProfiles.ScaleModel, Mode.Streaming, [new ChatMessage("user", $"request {id}")], 50),
                new RequestContext(id), CancellationToken.None);
            var after = Stopwatch.GetTimestamp();
            Assert.True(record.Outcome == Outcome.Success, record.Error?.Message);
            seen.Add((id, before, after));
        }

        var truth = new GroundTruth();
        var tail = new TimingsTail(timings, truth);
        Assert.True(await truth.WaitForAsync([.. seen.Select(s => s.Id)], TimeSpan.FromSeconds(30), CancellationToken.None, tail.Refresh),
            $"the child reported {truth.Count} of {seen.Count} requests");
        foreach (var (id, before, after) in seen)
        {
            Assert.True(truth.TryGet(id, out var t));
            Assert.InRange(t.ReceivedTimestamp, before, after);
            Assert.InRange(t.FirstTokenTimestamp!.Value, t.ReceivedTimestamp, after);
            Assert.InRange(t.LastByteTimestamp, t.FirstTokenTimestamp.Value, after);
        }
    }
}
