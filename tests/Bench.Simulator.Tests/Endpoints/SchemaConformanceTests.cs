using System.Text.Json;
using Bench.Core.Faults;
using Bench.Simulator.Profiles;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Endpoints;

/// <summary>Responses validate against the OpenAI API schemas (<c>shared/data/openai-api-schemas.json</c>).</summary>
public class SchemaConformanceTests
{
    [Fact]
    public async Task NonStreamingResponse_ValidatesAgainstCreateChatCompletionResponse()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        var completion = await CompleteAsync(client, Body("fast", extra: ("max_tokens", 5)));

        Assert.Empty(await OpenAiSchemas.ValidateAsync("CreateChatCompletionResponse", completion.GetRawText()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryStreamingChunk_ValidatesAgainstCreateChatCompletionStreamResponse(bool includeUsage)
    {
        await using var host = await StartAsync(Fast() with { TokensPerChunk = 2 });
        using var client = CreateClient(host);

        var events = await StreamAsync(
            client, Body("fast", extra: [("stream", true), ("stream_options", new { include_usage = includeUsage })]));

        var chunks = Chunks(events);
        foreach (var chunk in chunks)
        {
            Assert.Empty(await OpenAiSchemas.ValidateAsync("CreateChatCompletionStreamResponse", chunk.GetRawText()));
        }
    }

    [Theory]
    [InlineData(null, "fast", 401)]
    [InlineData("Bearer sk-test", "nope", 404)]
    [InlineData("Bearer sk-test", "limited", 429)]
    [InlineData("Bearer sk-test", "failing", 500)]
    public async Task ErrorResponse_ValidatesAgainstErrorResponse(string? authorization, string model, int status)
    {
        await using var host = await StartAsync(
            Fast(),
            Fast("limited") with { Faults = [new FaultRule { Kind = FaultKind.RateLimited }] },
            Fast("failing") with { Faults = [new FaultRule { Kind = FaultKind.ServerError }] });
        using var client = CreateClient(host, authorization);

        using var response = await PostAsync(client, Body(model));

        Assert.Equal(status, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Empty(await OpenAiSchemas.ValidateAsync("ErrorResponse", body));
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(body).RootElement.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Validator_NonConformingChunk_ReportsErrors()
    {
        var errors = await OpenAiSchemas.ValidateAsync(
            "CreateChatCompletionStreamResponse",
            """
            {"id":"x","object":"chat.completion","created":1.5,"model":"m",
             "choices":[{"index":0,"delta":{"content":5},"finish_reason":"done"}]}
            """);

        Assert.NotEmpty(errors);
    }
}
