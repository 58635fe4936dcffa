using System.Net;
using System.Text.Json;
using Bench.Core.Faults;
using Bench.Simulator.Hosting;
using static Bench.Simulator.Tests.Protocols.WireClient;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Protocols;

/// <summary>
/// The Responses, Anthropic Messages and Gemini endpoints frame the same plan as chat: their event order and fields
/// as in the providers' docs and the recorded bodies (shared/fixtures/recorded-streams), text, usage and finish reasons,
/// and their own error shapes. The fast profile answers 12 tokens; a one-message prompt of n common English words is
/// n + 7 prompt tokens (each word one o200k_base token, plus the OpenAI cookbook's 3 per message, 1 for the role
/// <c>user</c> and 3 priming the reply), as Bench counts it locally.
/// </summary>
public class WireProtocolEndpointTests
{
    [Fact]
    public async Task Responses_Streaming_SendsTheResponseEventsInOrderWithTextAndUsage()
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, "openai-responses");
        var (path, body) = Request("openai-responses", "fast", stream: true, prompt: "four words of prompt");

        var events = await EventsAsync(client, path, body);

        var types = events.Select(e => e.Type).ToList();
        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"],
            types.Take(4));
        Assert.Equal(
            ["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"],
            types.TakeLast(4));
        Assert.All(types.Skip(4).SkipLast(4), t => Assert.Equal("response.output_text.delta", t));
        Assert.All(events, e => Assert.Equal(e.Type, e.Data.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        var text = string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        Assert.Equal(12, Words(text));
        Assert.Equal(text, events[^4].Data.GetProperty("text").GetString());
        var response = events[^1].Data.GetProperty("response");
        Assert.Equal("completed", response.GetProperty("status").GetString());
        Assert.Equal(text, response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(4 + 7, response.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(12, response.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(4 + 7 + 12, response.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(JsonValueKind.Null, events[0].Data.GetProperty("response").GetProperty("usage").ValueKind);
    }

    [Fact]
    public async Task Responses_NonStreamingClipped_IsIncompleteWithMaxOutputTokens()
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, "openai-responses");
        var (path, body) = Request("openai-responses", "fast", stream: false, maxTokens: 5);

        var (status, response) = await JsonAsync(client, path, body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("response", response.GetProperty("object").GetString());
        Assert.Equal("incomplete", response.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(5, Words(response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!));
        Assert.Equal(5, response.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Messages_Streaming_SendsAnthropicsEventsInOrderWithStopReasonAndUsage()
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, "anthropic-messages");
        var (path, body) = Request("anthropic-messages", "fast", stream: true, prompt: "three word prompt");

        var events = await EventsAsync(client, path, body);

        var types = events.Select(e => e.Type).ToList();
        Assert.Equal(["message_start", "content_block_start", "ping"], types.Take(3));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], types.TakeLast(3));
        Assert.All(types.Skip(3).SkipLast(3), t => Assert.Equal("content_block_delta", t));
        Assert.All(events, e => Assert.Equal(e.Type, e.Data.GetProperty("type").GetString()));
        var start = events[0].Data.GetProperty("message");
        Assert.Equal("message", start.GetProperty("type").GetString());
        Assert.Equal(3 + 7, start.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        var text = string.Concat(events.Where(e => e.Type == "content_block_delta")
            .Select(e => e.Data.GetProperty("delta")).Select(d => Assert.IsType<string>(d.GetProperty("type").GetString() == "text_delta" ? d.GetProperty("text").GetString() : null)));
        Assert.Equal(12, Words(text));
        var delta = events[^2].Data;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(12, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Messages_NonStreamingClipped_StopsWithMaxTokens()
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, "anthropic-messages");
        var (path, body) = Request("anthropic-messages", "fast", stream: false, prompt: "two words", maxTokens: 5);

        var (status, message) = await JsonAsync(client, path, body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("max_tokens", message.GetProperty("stop_reason").GetString());
        var block = Assert.Single(message.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal(5, Words(block.GetProperty("text").GetString()!));
        Assert.Equal(2 + 7, message.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(5, message.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Messages_WithoutMaxTokens_Is400InAnthropicsShape()
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, "anthropic-messages");

        var (status, error) = await JsonAsync(client, "messages", new { model = "fast", messages = new[] { new { role = "user", content = "hi" } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("max_tokens", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Gemini_Streaming_SendsDataOnlyChunksWithFinishReasonAndUsageOnTheLast()
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, "gemini");
        var (path, body) = Request("gemini", "fast", stream: true, prompt: "three word prompt");

        var events = await EventsAsync(client, path, body);

        Assert.All(events, e => Assert.Equal("message", e.Type));
        var candidates = events.Select(e => e.Data.GetProperty("candidates")[0]).ToList();
        Assert.All(candidates.SkipLast(1), c => Assert.False(c.TryGetProperty("finishReason", out _)));
        Assert.Equal("STOP", candidates[^1].GetProperty("finishReason").GetString());
        var text = string.Concat(candidates.Select(c => c.GetProperty("content")).Select(content =>
        {
            Assert.Equal("model", content.GetProperty("role").GetString());
            return string.Concat(content.GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        }));
        Assert.Equal(12, Words(text));
        var usage = events[^1].Data.GetProperty("usageMetadata");
        Assert.Equal(3 + 7, usage.GetProperty("promptTokenCount").GetInt32());
        Assert.Equal(12, usage.GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal(3 + 7 + 12, usage.GetProperty("totalTokenCount").GetInt32());
        Assert.Equal("fast", events[0].Data.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task Gemini_NonStreamingClipped_FinishesWithMaxTokens()
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, "gemini");
        var (path, body) = Request("gemini", "fast", stream: false, maxTokens: 5);

        var (status, response) = await JsonAsync(client, path, body);

        Assert.Equal(HttpStatusCode.OK, status);
        var candidate = response.GetProperty("candidates")[0];
        Assert.Equal("MAX_TOKENS", candidate.GetProperty("finishReason").GetString());
        Assert.Equal(5, Words(candidate.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()!));
        Assert.Equal(5, response.GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32());
    }

    [Theory]
    [InlineData("models/fast:streamGenerateContent")]
    [InlineData("models/fast:countTokens")]
    public async Task Gemini_UnsupportedMethodOrNotSse_Is400InGooglesShape(string path)
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, "gemini");

        var (status, error) = await JsonAsync(client, path, Request("gemini", "fast", stream: true).Body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("error").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("openai-responses")]
    [InlineData("anthropic-messages")]
    [InlineData("gemini")]
    public async Task Post_UnknownModel_Is404InTheProtocolsShape(string protocol)
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, protocol);
        var (path, body) = Request(protocol, "nope", stream: false);

        var (status, error) = await JsonAsync(client, path, body);

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertErrorShape(protocol, error, openAiCode: "model_not_found", anthropicType: "not_found_error", googleStatus: "NOT_FOUND");
    }

    [Theory]
    [InlineData("openai-responses")]
    [InlineData("anthropic-messages")]
    [InlineData("gemini")]
    public async Task Post_WrongKeyInTheProtocolsHeader_Is401InItsShape(string protocol)
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = [Fast()], ApiKey = "right" });
        using var wrong = Create(host, protocol, key: "wrong");
        using var right = Create(host, protocol, key: "right");
        var (path, body) = Request(protocol, "fast", stream: false);

        var (status, error) = await JsonAsync(wrong, path, body);
        var (okStatus, _) = await JsonAsync(right, path, body);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertErrorShape(protocol, error, openAiCode: "invalid_api_key", anthropicType: "authentication_error", googleStatus: "UNAUTHENTICATED");
        Assert.Equal(HttpStatusCode.OK, okStatus);
    }

    [Theory]
    [InlineData("anthropic-messages")]
    [InlineData("gemini")]
    public async Task Post_WithoutAnyKey_Is401InTheProtocolsShape(string protocol)
    {
        await using var host = await StartAsync(Fast());
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        var (path, body) = Request(protocol, "fast", stream: false);

        var (status, error) = await JsonAsync(client, path, body);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertErrorShape(protocol, error, openAiCode: "invalid_api_key", anthropicType: "authentication_error", googleStatus: "UNAUTHENTICATED");
    }

    [Fact]
    public async Task Gemini_KeyAsQueryParameterAndModelWithASlash_IsServed()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = [Fast("org/fast")], ApiKey = "right" });
        using var client = new HttpClient { BaseAddress = host.BaseUrl };

        var (status, response) = await JsonAsync(client, "models/org/fast:generateContent?key=right", Request("gemini", "org/fast", stream: false).Body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("org/fast", response.GetProperty("modelVersion").GetString());
    }

    public static TheoryData<string, FaultRule, int, string, string> StatusFaults() => new()
    {
        { "anthropic-messages", new FaultRule { Kind = FaultKind.RateLimited }, 429, "rate_limit_error", "" },
        { "anthropic-messages", new FaultRule { Kind = FaultKind.ServerError }, 500, "api_error", "" },
        { "anthropic-messages", new FaultRule { Kind = FaultKind.Overloaded }, 529, "overloaded_error", "" },
        { "gemini", new FaultRule { Kind = FaultKind.RateLimited }, 429, "", "RESOURCE_EXHAUSTED" },
        { "gemini", new FaultRule { Kind = FaultKind.ServerError }, 500, "", "INTERNAL" },
        { "gemini", new FaultRule { Kind = FaultKind.ServerError, Status = 503 }, 503, "", "UNAVAILABLE" },
        { "openai-responses", new FaultRule { Kind = FaultKind.RateLimited }, 429, "", "" },
        { "openai-responses", new FaultRule { Kind = FaultKind.ServerError }, 500, "", "" },
    };

    [Theory]
    [MemberData(nameof(StatusFaults))]
    public async Task Post_StatusFault_AnswersInTheProtocolsErrorShape(string protocol, FaultRule rule, int expectedStatus, string anthropicType, string googleStatus)
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = [Fast()], Faults = [rule] });
        using var client = Create(host, protocol);
        var (path, body) = Request(protocol, "fast", stream: true);

        var (status, error) = await JsonAsync(client, path, body);

        Assert.Equal(expectedStatus, (int)status);
        switch (protocol)
        {
            case "anthropic-messages":
                Assert.Equal("error", error.GetProperty("type").GetString());
                Assert.Equal(anthropicType, error.GetProperty("error").GetProperty("type").GetString());
                break;
            case "gemini":
                Assert.Equal(expectedStatus, error.GetProperty("error").GetProperty("code").GetInt32());
                Assert.Equal(googleStatus, error.GetProperty("error").GetProperty("status").GetString());
                break;
            default:
                Assert.Equal(JsonValueKind.String, error.GetProperty("error").GetProperty("message").ValueKind);
                break;
        }
    }

    [Fact]
    public async Task Messages_ErrorMidStream_SendsAnErrorEventWithOverloadedError()
    {
        var events = await StreamWithAsync("anthropic-messages", new FaultRule { Kind = FaultKind.ErrorMidStream });

        Assert.Equal("error", events[^1].Type);
        Assert.Equal("overloaded_error", events[^1].Data.GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain(events, e => e.Type == "message_stop");
    }

    [Fact]
    public async Task Responses_ErrorMidStream_EndsWithResponseFailedAndItsError()
    {
        var events = await StreamWithAsync("openai-responses", new FaultRule { Kind = FaultKind.ErrorMidStream });

        Assert.Equal("response.failed", events[^1].Type);
        var response = events[^1].Data.GetProperty("response");
        Assert.Equal("failed", response.GetProperty("status").GetString());
        Assert.Equal("server_error", response.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(events, e => e.Type == "response.completed");
    }

    [Fact]
    public async Task Gemini_ErrorMidStream_EndsWithAnErrorObject()
    {
        var events = await StreamWithAsync("gemini", new FaultRule { Kind = FaultKind.ErrorMidStream });

        Assert.Equal("INTERNAL", events[^1].Data.GetProperty("error").GetProperty("status").GetString());
        Assert.DoesNotContain(events.SkipLast(1), e => e.Data.GetProperty("candidates")[0].TryGetProperty("finishReason", out _));
    }

    [Theory]
    [InlineData("openai-responses", "response.output_text.delta")]
    [InlineData("anthropic-messages", "content_block_delta")]
    [InlineData("gemini", "message")]
    public async Task Post_MissingDone_EndsWithoutTheTerminalEvent(string protocol, string lastType)
    {
        var events = await StreamWithAsync(protocol, new FaultRule { Kind = FaultKind.MissingDone });

        Assert.Equal(lastType, events[^1].Type);
        if (protocol == "gemini")
        {
            Assert.False(events[^1].Data.GetProperty("candidates")[0].TryGetProperty("finishReason", out _));
        }
    }

    [Theory]
    [InlineData("", "object", "list")]
    [InlineData("anthropic-version", "has_more", "False")]
    [InlineData("x-goog-api-key", "models", "")]
    public async Task GetModels_ByTheRequestsHeaders_ListsInThatProtocolsShape(string header, string property, string value)
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);
        if (header.Length > 0)
        {
            client.DefaultRequestHeaders.Add(header, header == "x-goog-api-key" ? ApiKey : "2023-06-01");
        }

        var list = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(client, "models");

        var found = list.GetProperty(property);
        if (value.Length > 0)
        {
            Assert.Equal(value, found.ToString());
        }

        var entry = header switch
        {
            "" => list.GetProperty("data")[0].GetProperty("id").GetString(),
            "anthropic-version" => list.GetProperty("data")[0].GetProperty("id").GetString(),
            _ => list.GetProperty("models")[0].GetProperty("name").GetString(),
        };
        Assert.Equal(header == "x-goog-api-key" ? "models/fast" : "fast", entry);
    }

    private static async Task<List<(string Type, JsonElement Data)>> StreamWithAsync(string protocol, FaultRule rule)
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = [Fast()], Faults = [rule] });
        using var client = Create(host, protocol);
        var (path, body) = Request(protocol, "fast", stream: true);
        return await EventsAsync(client, path, body);
    }

    private static void AssertErrorShape(string protocol, JsonElement error, string openAiCode, string anthropicType, string googleStatus)
    {
        switch (protocol)
        {
            case "anthropic-messages":
                Assert.Equal("error", error.GetProperty("type").GetString());
                Assert.Equal(anthropicType, error.GetProperty("error").GetProperty("type").GetString());
                break;
            case "gemini":
                Assert.Equal(googleStatus, error.GetProperty("error").GetProperty("status").GetString());
                break;
            default:
                Assert.Equal(openAiCode, error.GetProperty("error").GetProperty("code").GetString());
                break;
        }
    }
}
