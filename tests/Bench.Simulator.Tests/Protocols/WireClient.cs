using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Bench.Simulator.Hosting;

namespace Bench.Simulator.Tests.Protocols;

/// <summary>Requests to the simulator in each wire protocol over plain HttpClient, and their events.</summary>
internal static class WireClient
{
    /// <summary>A client authenticating as <paramref name="protocol"/>'s clients do (<c>openai-chat</c>,
    /// <c>openai-responses</c>: Bearer; <c>anthropic-messages</c>: x-api-key and anthropic-version; <c>gemini</c>:
    /// x-goog-api-key).</summary>
    public static HttpClient Create(SimulatorHost host, string protocol, string key = TestSimulator.ApiKey)
    {
        var client = new HttpClient { BaseAddress = host.BaseUrl };
        switch (protocol)
        {
            case "anthropic-messages":
                client.DefaultRequestHeaders.Add("x-api-key", key);
                client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
                break;
            case "gemini":
                client.DefaultRequestHeaders.Add("x-goog-api-key", key);
                break;
            default:
                client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
                break;
        }

        return client;
    }

    /// <summary>The path and body of a request for <paramref name="model"/> with <paramref name="prompt"/>, the
    /// token limit <paramref name="maxTokens"/> (the protocol's field; Anthropic requires one, 256 when null) and
    /// <paramref name="seed"/> (chat's <c>seed</c>, Gemini's <c>generationConfig.seed</c>, else a top-level
    /// <c>seed</c>).</summary>
    public static (string Path, object Body) Request(
        string protocol, string model, bool stream, string prompt = "say something", int? maxTokens = null, long? seed = null)
    {
        switch (protocol)
        {
            case "openai-responses":
            {
                var body = new Dictionary<string, object?> { ["model"] = model, ["input"] = prompt, ["stream"] = stream };
                Add(body, "max_output_tokens", maxTokens);
                Add(body, "seed", seed);
                return ("responses", body);
            }

            case "anthropic-messages":
            {
                var body = new Dictionary<string, object?>
                {
                    ["model"] = model,
                    ["max_tokens"] = maxTokens ?? 256,
                    ["messages"] = new[] { new { role = "user", content = prompt } },
                    ["stream"] = stream,
                };
                Add(body, "seed", seed);
                return ("messages", body);
            }

            case "gemini":
            {
                var config = new Dictionary<string, object?>();
                Add(config, "maxOutputTokens", maxTokens);
                Add(config, "seed", seed);
                var body = new Dictionary<string, object?>
                {
                    ["contents"] = new[] { new { role = "user", parts = new[] { new { text = prompt } } } },
                    ["generationConfig"] = config,
                };
                return (stream ? $"models/{model}:streamGenerateContent?alt=sse" : $"models/{model}:generateContent", body);
            }

            default:
            {
                var body = TestSimulator.Body(model, prompt, ("stream", stream), ("stream_options", stream ? new { include_usage = true } : null));
                Add(body, "max_tokens", maxTokens);
                Add(body, "seed", seed);
                return ("chat/completions", body);
            }
        }
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) =>
        client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) },
            HttpCompletionOption.ResponseHeadersRead);

    /// <summary>Posts and returns the status and the parsed JSON body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> JsonAsync(HttpClient client, string path, object body)
    {
        using var response = await PostAsync(client, path, body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Posts a streaming request and returns its events (type, parsed data) after checking a 200 SSE.</summary>
    public static async Task<List<(string Type, JsonElement Data)>> EventsAsync(HttpClient client, string path, object body)
    {
        using var response = await PostAsync(client, path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string, JsonElement)>();
        await using var stream = await response.Content.ReadAsStreamAsync();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
        {
            events.Add((item.EventType, item.Data == "[DONE]" ? default : JsonSerializer.Deserialize<JsonElement>(item.Data)));
        }

        return events;
    }

    private static void Add(Dictionary<string, object?> body, string name, object? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}
