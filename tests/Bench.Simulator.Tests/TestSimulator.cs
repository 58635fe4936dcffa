using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using Bench.Simulator.Replay;

namespace Bench.Simulator.Tests;

/// <summary>Fast profiles built in code, and helpers to start a simulator and talk to it.</summary>
internal static class TestSimulator
{
    public const string ApiKey = "sk-test";

    /// <summary>How late an event may be in a timing assertion (upper bounds only; lower bounds are exact): timers on a
    /// busy 2-core machine were seen to stall about 0.7 s in the test host.</summary>
    public const double SlackMs = 1000;

    /// <summary>12 tokens, first after 2 ms, then 5,000 tokens/s.</summary>
    public static ModelProfile Fast(string model = "fast") => new()
    {
        Model = model,
        OwnedBy = "tests",
        TimeToFirstToken = TtftDistribution.Fixed(2),
        DecodeTokensPerSecond = 5000,
        OutputTokens = new OutputLength(12, 0),
    };

    /// <summary>Random TTFT, length and jitter, all small, so seeds make visible differences.</summary>
    public static ModelProfile Varied(string model = "varied") => new()
    {
        Model = model,
        TimeToFirstToken = new TtftDistribution(3, 6),
        DecodeTokensPerSecond = 5000,
        OutputTokens = new OutputLength(30, 5),
        DecodeJitterCv = 0.3,
    };

    /// <summary>Replays the recordings of <paramref name="folder"/>: first token after <paramref name="ttftMs"/>, then
    /// <paramref name="tokensPerSecond"/>.</summary>
    public static ModelProfile ReplayProfile(
        string folder, string model = "replay", double ttftMs = 1, double tokensPerSecond = 100_000,
        ReplayPick pick = ReplayPick.RoundRobin) => new()
    {
        Model = model,
        TimeToFirstToken = TtftDistribution.Fixed(ttftMs),
        DecodeTokensPerSecond = tokensPerSecond,
        Replay = ReplaySet.Load(folder, pick),
    };

    public static async Task<SimulatorHost> StartAsync(params ModelProfile[] profiles) =>
        await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = profiles });

    public static HttpClient CreateClient(SimulatorHost host, string? authorization = "Bearer " + ApiKey)
    {
        var client = new HttpClient { BaseAddress = host.BaseUrl };
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        return client;
    }

    /// <summary>A chat completion body; <paramref name="extra"/> adds or overrides fields.</summary>
    public static Dictionary<string, object?> Body(
        string model, string prompt = "say something", params (string Name, object? Value)[] extra)
    {
        var body = new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = prompt } },
        };
        foreach (var (name, value) in extra)
        {
            body[name] = value;
        }

        return body;
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, object body) =>
        client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = JsonContent.Create(body) },
            HttpCompletionOption.ResponseHeadersRead);

    /// <summary>Posts a non-streaming request and returns the parsed 200 response.</summary>
    public static async Task<JsonElement> CompleteAsync(HttpClient client, object body)
    {
        using var response = await PostAsync(client, body);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Posts a request and returns the status and the whole body's bytes.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, byte[] Body)> RawAsync(HttpClient client, object body)
    {
        using var response = await PostAsync(client, body);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Posts a streaming request and returns every event's data and arrival time (Stopwatch ticks).</summary>
    public static async Task<List<(string Data, long Timestamp)>> StreamAsync(HttpClient client, object body)
    {
        using var response = await PostAsync(client, body);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return await ReadEventsAsync(response);
    }

    public static async Task<List<(string Data, long Timestamp)>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<(string, long)>();
        await using var stream = await response.Content.ReadAsStreamAsync();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
        {
            events.Add((item.Data, Stopwatch.GetTimestamp()));
        }

        return events;
    }

    /// <summary>The JSON chunks of a stream (every event but <c>[DONE]</c>, which must be last).</summary>
    public static List<JsonElement> Chunks(List<(string Data, long Timestamp)> events)
    {
        Assert.Equal("[DONE]", events[^1].Data);
        return events.Take(events.Count - 1).Select(e => JsonSerializer.Deserialize<JsonElement>(e.Data)).ToList();
    }

    /// <summary>The message content of a non-streaming response.</summary>
    public static string MessageContent(JsonElement completion) =>
        completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

    /// <summary>The content of the chunks that carry some.</summary>
    public static string Content(IEnumerable<JsonElement> chunks) => string.Concat(
        chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var content) ? content.GetString() : ""));

    public static double Ms(long fromTimestamp, long toTimestamp) =>
        (toTimestamp - fromTimestamp) * 1000.0 / Stopwatch.Frequency;

    public static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
