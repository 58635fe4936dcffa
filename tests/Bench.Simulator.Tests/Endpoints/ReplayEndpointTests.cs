using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text;
using Bench.Core.Faults;
using Bench.Core.Wire;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using Bench.Simulator.Replay;
using Bench.Tests.Shared;
using static Bench.Simulator.Tests.Replay.Recordings;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Endpoints;

[Collection(SteppingClock.Collection)]
public sealed class ReplayEndpointTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Stream_EveryShippedRecording_SendsTheRecordedBytesUnchanged()
    {
        var profile = ReplayProfile(TestPaths.ReplayOpenAiChat);
        await using var host = await StartAsync(profile);
        using var client = CreateClient(host);

        for (var seed = 0; seed < profile.Replay!.Files.Count; seed++)
        {
            var (status, body) = await RawAsync(client, Body("replay", extra: [("stream", true), ("seed", seed), IncludeUsage]));

            Assert.Equal(HttpStatusCode.OK, status);
            var recorded = await File.ReadAllBytesAsync(Path.Combine(TestPaths.ReplayOpenAiChat, profile.Replay.Files[seed]));
            Assert.True(recorded.AsSpan().SequenceEqual(body), $"{profile.Replay.Files[seed]} was not replayed byte for byte");
        }
    }

    [Fact]
    public async Task Stream_FixedProfile_FirstTokenNotBeforeTtftAndLaterEventsPacedByTheirTokens()
    {
        _folder.Write("paced.sse", Paced);
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            // TTFT 60 ms, 10 ms a token: token events (1, 2, 1 tokens) due at 60, 80 and 90 ms.
            Profiles = [ReplayProfile(_folder.Path, ttftMs: 60, tokensPerSecond: 100)],
            OnCompleted = timings.Add,
        });
        using var client = CreateClient(host);
        await StreamAsync(client, Body("replay", extra: [("stream", true), IncludeUsage])); // warm-up

        var sent = Stopwatch.GetTimestamp();
        var events = await StreamAsync(client, Body("replay", extra: [("stream", true), IncludeUsage]));

        Assert.Equal(7, events.Count);
        Assert.True(events[0].Timestamp < events[1].Timestamp);
        Assert.InRange(Ms(sent, events[1].Timestamp), 60, 60 + SlackMs);
        Assert.InRange(Ms(sent, events[2].Timestamp), 80, 80 + SlackMs);
        Assert.InRange(Ms(sent, events[3].Timestamp), 90, 90 + SlackMs);
        Assert.True(events[^1].Timestamp - events[3].Timestamp < Stopwatch.Frequency / 20, "trailing events come with the last token");
        var server = (await timings.WaitForAsync(2))[1];
        Assert.Equal((4, "stop", 200), (server.CompletionTokens, server.FinishReason, server.StatusCode));
        // The server's own times, exactly: Stream_FixedProfileOnAFakeClock_ServerTimesAreExact.
    }

    /// <summary>The server's side of the two tests above (and of the non-streaming one below), on a fake clock that
    /// moves to each deadline once the endpoint waits on it: the times are exact. The real-clock tests keep what the
    /// client sees (never before the deadline), which is a matter of the real timers' accuracy.</summary>
    [Theory]
    [InlineData(4, true, 60, 90)]
    [InlineData(10, true, 60, 130)]
    [InlineData(4, false, null, 90)]
    public async Task Stream_FixedProfileOnAFakeClock_ServerTimesAreExact(int recordedTokens, bool stream, int? firstTokenMs, int lastByteMs)
    {
        // TTFT 60 ms, 10 ms a token: token events of 1, 2 and 1 tokens due at 60, 80 and 90 ms; with a recorded usage
        // of 10 tokens, shared out as 3, 4 and 3, at 60, 100 and 130 ms. Non-streaming: when the last would be sent.
        var usage = Usage.Replace("\"completion_tokens\":4", $"\"completion_tokens\":{recordedTokens}", StringComparison.Ordinal);
        _folder.Write("paced.sse", Role + Content("abcd") + Content("abcdefgh") + Content("wxyz") + Finish + usage + Done);
        var time = new Bench.Tests.Shared.SteppingClock();
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [ReplayProfile(_folder.Path, ttftMs: 60, tokensPerSecond: 100)],
            OnCompleted = timings.Add,
            TimeProvider = time,
        });
        using var client = CreateClient(host);

        await time.RunAsync(() => stream
            ? StreamAsync(client, Body("replay", extra: [("stream", true), IncludeUsage]))
            : CompleteAsync(client, Body("replay")));

        var server = (await timings.WaitForAsync(1))[0];
        Assert.Equal(server.ReceivedTimestamp, server.StartedTimestamp);
        Assert.Equal(firstTokenMs * TimeSpan.TicksPerMillisecond, server.FirstTokenTimestamp - server.StartedTimestamp);
        Assert.Equal(lastByteMs * TimeSpan.TicksPerMillisecond, server.LastByteTimestamp - server.StartedTimestamp);
        Assert.Equal((stream, recordedTokens, "stop"), (server.Stream, server.CompletionTokens, server.FinishReason));
    }

    [Fact]
    public async Task Stream_RecordedUsage_PacesTheTokenEventsByTheRecordedCompletionTokens()
    {
        // Estimates 1, 2 and 1 tokens, but the recording reports 10: shared out as 3, 4 and 3, so with TTFT 60 ms and
        // 10 ms a token the token events are due at 60, 100 and 130 ms (not 60, 80 and 90).
        var usage = Usage.Replace("\"completion_tokens\":4", "\"completion_tokens\":10", StringComparison.Ordinal);
        _folder.Write("usage.sse", Role + Content("abcd") + Content("abcdefgh") + Content("wxyz") + Finish + usage + Done);
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [ReplayProfile(_folder.Path, ttftMs: 60, tokensPerSecond: 100)],
            OnCompleted = timings.Add,
        });
        using var client = CreateClient(host);
        await StreamAsync(client, Body("replay", extra: [("stream", true), IncludeUsage])); // warm-up

        var sent = Stopwatch.GetTimestamp();
        var events = await StreamAsync(client, Body("replay", extra: [("stream", true), IncludeUsage]));

        Assert.InRange(Ms(sent, events[1].Timestamp), 60, 60 + SlackMs);
        Assert.InRange(Ms(sent, events[2].Timestamp), 100, 100 + SlackMs);
        Assert.InRange(Ms(sent, events[3].Timestamp), 130, 130 + SlackMs);
        var server = (await timings.WaitForAsync(2))[1];
        Assert.Equal(10, server.CompletionTokens); // its times, exactly: Stream_FixedProfileOnAFakeClock_ServerTimesAreExact
        Assert.Equal(10, Chunks(events)[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    public async Task Stream_WithoutIncludeUsage_LeavesOutTheUsageOnlyChunkAndKeepsTheRest(bool? includeUsage)
    {
        var profile = ReplayProfile(TestPaths.ReplayOpenAiChat);
        await using var host = await StartAsync(profile);
        using var client = CreateClient(host);
        (string, object?)[] options = includeUsage is { } value
            ? [("stream_options", new { include_usage = value })]
            : [];

        for (var seed = 0; seed < profile.Replay!.Files.Count; seed++)
        {
            var (status, body) = await RawAsync(client, Body("replay", extra: [("stream", true), ("seed", seed), .. options]));

            Assert.Equal(HttpStatusCode.OK, status);
            var recording = profile.Replay.Streams[seed];
            Assert.True(
                recording.WithoutUsageChunk.Body.AsSpan().SequenceEqual(body),
                $"{profile.Replay.Files[seed]} was not replayed without its usage chunk");
            var text = Encoding.UTF8.GetString(body);
            Assert.DoesNotContain("\"choices\":[],\"usage\":{", text, StringComparison.Ordinal);
            Assert.Equal(recording.Body.Length == body.Length, ReferenceEquals(recording, recording.WithoutUsageChunk));
        }
    }

    [Fact]
    public async Task Stream_ReadByTheClientsReader_FirstTokenAfterTtftAndEveryTokenEventSeen()
    {
        var profile = ReplayProfile(TestPaths.ReplayOpenAiChat, ttftMs: 30, tokensPerSecond: 5000);
        await using var host = await StartAsync(profile);
        using var client = CreateClient(host);

        for (var seed = 0; seed < profile.Replay!.Files.Count; seed++)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await PostAsync(client, Body("replay", extra: [("stream", true), ("seed", seed), IncludeUsage]));
            var read = await ChatStreamReader.ReadAsync(await response.Content.ReadAsStreamAsync());

            var recording = profile.Replay.Streams[seed];
            Assert.Equal(recording.TokenEvents, read.TokenEventTimestamps.Count);
            Assert.True(Ms(sent, read.FirstTokenTimestamp!.Value) >= 30, profile.Replay.Files[seed]);
            if (read.CompletionTokens is { } reported)
            {
                Assert.Equal(reported, recording.Tokens); // the stream is paced by the usage it reports
            }
        }
    }

    [Fact]
    public async Task Stream_RandomPick_SameSeedSameRecordingOnAnyHost()
    {
        var profile = ReplayProfile(TestPaths.ReplayOpenAiChat, pick: ReplayPick.Random);
        await using var first = await StartAsync(profile);
        await using var second = await StartAsync(profile);
        using var firstClient = CreateClient(first);
        using var secondClient = CreateClient(second);

        var bodies = new List<string>();
        for (var seed = 0; seed < 12; seed++)
        {
            var a = await RawAsync(firstClient, Body("replay", extra: [("stream", true), ("seed", seed)]));
            var b = await RawAsync(secondClient, Body("replay", extra: [("stream", true), ("seed", 11 - seed)]));
            bodies.Add(Encoding.UTF8.GetString(a.Body));
            bodies.Add(Encoding.UTF8.GetString(b.Body));
        }

        for (var seed = 0; seed < 12; seed++)
        {
            Assert.Equal(bodies[2 * seed], bodies[(2 * (11 - seed)) + 1]);
        }

        Assert.InRange(bodies.Distinct().Count(), 3, profile.Replay!.Files.Count);
    }

    [Fact]
    public async Task Stream_RoundRobinWithoutSeed_ServesTheRecordingsInTurn()
    {
        _folder.Write("a.sse", Role + Content("first") + Done);
        _folder.Write("b.sse", Role + Content("second") + Done);
        await using var host = await StartAsync(ReplayProfile(_folder.Path), Fast());
        using var client = CreateClient(host);

        var contents = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await CompleteAsync(client, Body("fast")); // other models do not take turns
            contents.Add(Content(Chunks(await StreamAsync(client, Body("replay", extra: ("stream", true))))));
        }

        Assert.Equal(["first", "second", "first"], contents);
    }

    [Fact]
    public async Task Complete_Recording_AnswersTheAssembledCompletionWhenItsLastTokenWouldHaveBeenStreamed()
    {
        _folder.Write("paced.sse", Paced);
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [ReplayProfile(_folder.Path, ttftMs: 60, tokensPerSecond: 100)],
            OnCompleted = timings.Add,
        });
        using var client = CreateClient(host);

        var completion = await CompleteAsync(client, Body("replay"));

        Assert.Equal("abcdabcdefghwxyz", MessageContent(completion));
        Assert.Equal(4, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var server = (await timings.WaitForAsync(1))[0];
        Assert.Equal((false, 4, "stop"), (server.Stream, server.CompletionTokens, server.FinishReason)); // times: on a fake clock above
    }

    /// <summary>The assembled answers are OpenAI's shape whatever the provider recorded. (A recorded error is sent as
    /// recorded: Groq's has no <c>param</c>, so it is not an OpenAI <c>ErrorResponse</c>, by design.)</summary>
    [Fact]
    public async Task Complete_EveryShippedRecordingWithoutAnError_ValidatesAgainstCreateChatCompletionResponse()
    {
        var profile = ReplayProfile(TestPaths.ReplayOpenAiChat);
        await using var host = await StartAsync(profile);
        using var client = CreateClient(host);

        var validated = 0;
        for (var seed = 0; seed < profile.Replay!.Files.Count; seed++)
        {
            using var response = await PostAsync(client, Body("replay", extra: ("seed", seed)));
            var body = await response.Content.ReadAsStringAsync();
            if (profile.Replay.Streams[seed].Completion.StatusCode != 200)
            {
                Assert.Equal(profile.Replay.Streams[seed].Completion.StatusCode, (int)response.StatusCode);
                continue;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var errors = await OpenAiSchemas.ValidateAsync("CreateChatCompletionResponse", body);
            Assert.True(errors.Count == 0, $"{profile.Replay.Files[seed]}: {string.Join("; ", errors)}");
            validated++;
        }

        Assert.Equal(profile.Replay.Files.Count - 1, validated);
    }

    [Fact]
    public async Task Complete_ErrorRecording_AnswersTheRecordedErrorAndStatus()
    {
        File.Copy(
            Path.Combine(TestPaths.ReplayOpenAiChat, "openai-chat-30-gpt-oss-120b.sse"),
            Path.Combine(_folder.Path, "error.sse"));
        await using var host = await StartAsync(ReplayProfile(_folder.Path));
        using var client = CreateClient(host);

        using var response = await PostAsync(client, Body("replay"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("tool_use_failed", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Stream_InterruptedFault_AbortsAfterHalfTheTokenEvents()
    {
        _folder.Write("paced.sse", Paced);
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [ReplayProfile(_folder.Path, ttftMs: 1, tokensPerSecond: 50) with { Faults = [new FaultRule { Kind = FaultKind.Disconnect, Reset = true }] }],
            OnCompleted = timings.Add,
        });
        using var client = CreateClient(host);

        using var response = await PostAsync(client, Body("replay", extra: ("stream", true)));
        var exception = await Record.ExceptionAsync(() => ReadEventsAsync(response));

        Assert.IsAssignableFrom<IOException>(exception);
        var server = (await timings.WaitForAsync(1))[0];
        Assert.Equal((1, (string?)null), (server.CompletionTokens, server.FinishReason));
    }

    private static (string, object?) IncludeUsage => ("stream_options", new { include_usage = true });

    [Fact]
    public async Task ShippedReplayProfile_LoadsAndServesAsAModel()
    {
        var profile = ProfileLoader.Load(Path.Combine(TestPaths.Profiles, "replay-openai-chat.json"));
        await using var host = await StartAsync(profile with { TimeToFirstToken = TtftDistribution.Fixed(1), DecodeTokensPerSecond = 100_000 });
        using var client = CreateClient(host);

        var (status, body) = await RawAsync(client, Body("replay-openai-chat", extra: [("stream", true), ("seed", 0), IncludeUsage]));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(TestPaths.ReplayOpenAiChat, profile.Replay!.Files[0])), body);
    }
}
