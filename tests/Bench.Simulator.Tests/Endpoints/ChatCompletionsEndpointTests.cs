using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Endpoints;

public class ChatCompletionsEndpointTests
{
    [Fact]
    public async Task Post_UnknownModel_Returns404ModelNotFound()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        using var response = await PostAsync(client, Body("gpt-99"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("gpt-99", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", null)]
    [InlineData("[]", null)]
    [InlineData("""{"model":"fast"}""", "messages")]
    [InlineData("""{"model":"fast","messages":[]}""", "messages")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"fast","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens")]
    public async Task Post_InvalidBody_Returns400(string body, string? param)
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        using var response = await client.PostAsync(
            new Uri("chat/completions", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task Post_TokenLimitBelowNaturalLength_ClipsWithFinishReasonLength(string limit)
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        var completion = await CompleteAsync(client, Body("fast", extra: (limit, 5)));
        var chunks = Chunks(await StreamAsync(client, Body("fast", extra: [(limit, 5), ("stream", true)])));

        var choice = completion.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(5, Words(choice.GetProperty("message").GetProperty("content").GetString()!));
        Assert.Equal(5, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(5, Words(Content(chunks)));
        Assert.Equal("length", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Post_NoTokenLimit_GeneratesNaturalLengthWithFinishReasonStop()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        var choice = (await CompleteAsync(client, Body("fast"))).GetProperty("choices")[0];

        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(12, Words(choice.GetProperty("message").GetProperty("content").GetString()!));
    }

    [Fact]
    public async Task Post_NonStreaming_UsageCountsPromptTokensAsBenchDoesAndGeneratedTokens()
    {
        await using var host = await StartAsync(Varied());
        using var client = CreateClient(host);
        var body = new
        {
            model = "varied",
            messages = new object[]
            {
                new { role = "system", content = "be brief" },
                new
                {
                    role = "user",
                    content = new object[]
                    {
                        new { type = "text", text = "three more words" },
                        new { type = "image_url", image_url = new { url = "x" } },
                    },
                },
            },
        };

        var completion = await CompleteAsync(client, body);

        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("varied", completion.GetProperty("model").GetString());
        var message = completion.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        var usage = completion.GetProperty("usage");
        // o200k_base: "be", " brief"; "three", " more", " words" (text parts joined); roles system and user one token
        // each; the cookbook's 3 per message and 3 priming the reply: 2 + 3 + 2 + 6 + 3.
        Assert.Equal(16, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(Words(message.GetProperty("content").GetString()!), usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(16 + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public async Task Post_StreamingWithIncludeUsage_SendsPreludeContentFinishUsageThenDone()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        var chunks = Chunks(await StreamAsync(
            client, Body("fast", "four words of prompt", ("stream", true), ("stream_options", new { include_usage = true }))));

        Assert.Equal(1 + 12 + 1 + 1, chunks.Count);
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        var prelude = chunks[0].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("assistant", prelude.GetProperty("role").GetString());
        Assert.Equal("", prelude.GetProperty("content").GetString());
        Assert.All(chunks[1..13], c => Assert.Single(c.GetProperty("choices")[0].GetProperty("delta").EnumerateObject()));
        var finish = chunks[13].GetProperty("choices")[0];
        Assert.Empty(finish.GetProperty("delta").EnumerateObject());
        Assert.Equal("stop", finish.GetProperty("finish_reason").GetString());
        Assert.All(chunks[..14], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        var usageChunk = chunks[14];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(4 + 7, usageChunk.GetProperty("usage").GetProperty("prompt_tokens").GetInt32()); // 4 words + role + 3 + 3
        Assert.Equal(12, usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(12, Words(Content(chunks)));
    }

    [Fact]
    public async Task Post_StreamingWithoutIncludeUsage_HasNoUsageChunkNorUsageField()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        var chunks = Chunks(await StreamAsync(client, Body("fast", extra: ("stream", true))));

        Assert.Equal(1 + 12 + 1, chunks.Count);
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public async Task Post_TokensPerChunk_GroupsTokensIntoChunks()
    {
        await using var host = await StartAsync(Fast() with { TokensPerChunk = 5 });
        using var client = CreateClient(host);

        var chunks = Chunks(await StreamAsync(client, Body("fast", extra: ("stream", true))));

        var contents = chunks[1..^1].Select(c => Content([c]));
        Assert.Equal([5, 5, 2], contents.Select(Words));
    }

    [Fact]
    public async Task Post_SameSeed_SameContentWhateverTheArrivalOrderOrMode()
    {
        await using var first = await StartAsync(Varied());
        await using var second = await StartAsync(Varied());
        using var firstClient = CreateClient(first);
        using var secondClient = CreateClient(second);

        var a = await CompleteAsync(firstClient, Body("varied", extra: ("seed", 7)));
        await CompleteAsync(secondClient, Body("varied"));
        await CompleteAsync(secondClient, Body("varied", extra: ("seed", 8)));
        var b = await CompleteAsync(secondClient, Body("varied", extra: ("seed", 7)));
        var streamed = await StreamAsync(secondClient, Body("varied", extra: [("seed", 7), ("stream", true)]));

        Assert.Equal(MessageContent(a), MessageContent(b));
        Assert.Equal(MessageContent(a), Content(Chunks(streamed)));
    }

    [Fact]
    public async Task Post_NoSeedOnTwoHostsWithTheSameSeed_SameSequenceOfContents()
    {
        async Task<string[]> ContentsAsync()
        {
            await using var host = await StartAsync(Varied());
            using var client = CreateClient(host);
            var contents = new string[3];
            for (var i = 0; i < contents.Length; i++)
            {
                contents[i] = MessageContent(await CompleteAsync(client, Body("varied")));
            }

            return contents;
        }

        var first = await ContentsAsync();
        var second = await ContentsAsync();

        Assert.Equal(first, second);
        Assert.Equal(3, first.Distinct().Count());
    }

    [Fact]
    public async Task Post_FixedDelayProfile_FirstTokenNoEarlierThanTheDelay()
    {
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [ProfileLoader.Load(Path.Combine(TestPaths.Profiles, "fixed-100ms.json"))],
            OnCompleted = timings.Add,
        });
        using var client = CreateClient(host);
        // Warm-up: the first requests of a process pay for JIT compilation and the connection.
        await StreamAsync(client, Body("fixed-100ms", extra: [("stream", true), ("max_tokens", 1)]));
        await CompleteAsync(client, Body("fixed-100ms", extra: ("max_tokens", 1)));

        var sent = System.Diagnostics.Stopwatch.GetTimestamp();
        var events = await StreamAsync(client, Body("fixed-100ms", extra: ("stream", true)));
        var nonStreamingSent = System.Diagnostics.Stopwatch.GetTimestamp();
        await CompleteAsync(client, Body("fixed-100ms"));
        var nonStreamingEnd = System.Diagnostics.Stopwatch.GetTimestamp();

        // Client view: prelude (first byte) at once, token 1 at ≥ 100 ms, token 20 at ≥ 100 + 19 × 5 ms, and the
        // non-streaming answer when its last token would have been streamed, also ≥ 195 ms.
        Assert.True(events[0].Timestamp < events[1].Timestamp);
        Assert.InRange(Ms(sent, events[1].Timestamp), 100, 100 + SlackMs);
        Assert.InRange(Ms(sent, events[20].Timestamp), 195, 195 + SlackMs);
        Assert.InRange(Ms(nonStreamingSent, nonStreamingEnd), 195, 195 + SlackMs);

        // Server view, from the request's arrival: exact lower bounds.
        var reported = (await timings.WaitForAsync(4))[2..];
        var streaming = Assert.Single(reported, t => t.Stream);
        Assert.InRange(Ms(streaming.ReceivedTimestamp, streaming.FirstTokenTimestamp!.Value), 100, 100 + SlackMs);
        Assert.InRange(Ms(streaming.ReceivedTimestamp, streaming.LastByteTimestamp), 195, 195 + SlackMs);
        var nonStreaming = Assert.Single(reported, t => !t.Stream);
        Assert.InRange(Ms(nonStreaming.ReceivedTimestamp, nonStreaming.LastByteTimestamp), 195, 195 + SlackMs);
        Assert.All(reported, t => Assert.Equal(t.ReceivedTimestamp, t.StartedTimestamp));
    }

    [Fact]
    public async Task Post_Completed_ReportsServerTimingWithRequestIdAndTokens()
    {
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast()],
            OnCompleted = timings.Add,
        });
        using var client = CreateClient(host);
        client.DefaultRequestHeaders.Add("X-Bench-Request-Id", "run-1/42");

        await StreamAsync(client, Body("fast", extra: [("stream", true), ("max_tokens", 7)]));
        var streaming = (await timings.WaitForAsync(1))[0];
        await CompleteAsync(client, Body("fast"));
        var nonStreaming = (await timings.WaitForAsync(2))[1];

        Assert.Equal(("run-1/42", "fast", true), (streaming.RequestId, streaming.Model, streaming.Stream));
        Assert.Equal((7, 200, "length"), (streaming.CompletionTokens, streaming.StatusCode, streaming.FinishReason));
        Assert.True(streaming.ReceivedTimestamp < streaming.FirstTokenTimestamp);
        Assert.True(streaming.FirstTokenTimestamp < streaming.LastByteTimestamp);
        Assert.Equal(
            (false, 12, "stop"), (nonStreaming.Stream, nonStreaming.CompletionTokens, nonStreaming.FinishReason));
        Assert.Null(nonStreaming.FirstTokenTimestamp);
        Assert.True(nonStreaming.ReceivedTimestamp < nonStreaming.LastByteTimestamp);
    }

    [Fact]
    public async Task Post_RateLimitedFault_Returns429WithRetryAfter()
    {
        await using var host = await StartAsync(Fast() with { Faults = [new FaultRule { Kind = FaultKind.RateLimited }] });
        using var client = CreateClient(host);

        using var response = await PostAsync(client, Body("fast"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("requests", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Post_ServerErrorFault_Returns500ServerError()
    {
        await using var host = await StartAsync(Fast() with { Faults = [new FaultRule { Kind = FaultKind.ServerError }] });
        using var client = CreateClient(host);

        using var response = await PostAsync(client, Body("fast", extra: ("stream", true)));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }

    [Fact]
    public async Task Post_StreamInterruptedFault_ResetsConnectionAfterHalfTheTokens()
    {
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            // 20 ms between tokens: time for the client to read each chunk before the reset discards unread bytes.
            Profiles = [Fast(), Fast("dropping") with { DecodeTokensPerSecond = 50, Faults = [new FaultRule { Kind = FaultKind.Disconnect, Modes = [Mode.Streaming], Reset = true }] }],
            OnCompleted = timings.Add,
        });
        using var client = CreateClient(host);
        await StreamAsync(client, Body("fast", extra: ("stream", true))); // warms the client's code paths up

        using var response = await PostAsync(client, Body("dropping", extra: ("stream", true)));
        var received = new List<string>();
        var exception = await Record.ExceptionAsync(async () =>
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync())
            {
                received.Add(item.Data);
            }
        });
        var interrupted = (await timings.WaitForAsync(2))[1];
        var nonStreaming = await CompleteAsync(client, Body("dropping"));

        Assert.IsAssignableFrom<IOException>(exception);
        Assert.InRange(received.Count, 1 + 1, 1 + 6);
        Assert.DoesNotContain("[DONE]", received);
        Assert.Equal(
            (200, 6, (string?)null), (interrupted.StatusCode, interrupted.CompletionTokens, interrupted.FinishReason));
        Assert.Equal("stop", nonStreaming.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }
}
