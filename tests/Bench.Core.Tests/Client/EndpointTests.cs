using System.Text.Json;
using Bench.Core.Records;
using Bench.Core.Wire;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Client;

public class EndpointTests
{
    private static readonly Uri s_base = new("https://api.example.com/v1");

    [Theory]
    [InlineData(WireProtocol.OpenAiChat, Mode.Streaming, "https://api.example.com/v1/chat/completions")]
    [InlineData(WireProtocol.OpenAiResponses, Mode.NonStreaming, "https://api.example.com/v1/responses")]
    [InlineData(WireProtocol.AnthropicMessages, Mode.Streaming, "https://api.example.com/v1/messages")]
    [InlineData(WireProtocol.Gemini, Mode.NonStreaming, "https://api.example.com/v1/models/gemini-2.5-pro:generateContent")]
    [InlineData(WireProtocol.Gemini, Mode.Streaming, "https://api.example.com/v1/models/gemini-2.5-pro:streamGenerateContent?alt=sse")]
    public void RequestUri_EachProtocol_DocumentedPath(WireProtocol protocol, Mode mode, string expected)
    {
        var endpoint = new Endpoint(s_base) { Protocol = protocol };
        Assert.Equal(expected, endpoint.RequestUri(mode, "gemini-2.5-pro").AbsoluteUri);
    }

    [Fact]
    public void RequestUri_GeminiModelWithModelsPrefix_PrefixDropped()
    {
        var endpoint = new Endpoint(s_base) { Protocol = WireProtocol.Gemini };
        Assert.Equal("/v1/models/gemini-2.0-flash:generateContent", endpoint.RequestUri(Mode.NonStreaming, "models/gemini-2.0-flash").AbsolutePath);
    }

    [Fact]
    public void RequestUri_BaseQueryAndQueryParameters_MergedAndEncoded()
    {
        var endpoint = new Endpoint(new Uri("https://x.openai.azure.com/openai/v1?deployment=a"))
        {
            QueryParameters = new Dictionary<string, string> { ["api-version"] = "2025-04-01-preview", ["note"] = "a b&c" },
        };
        endpoint.Validate();

        Assert.Equal("?deployment=a&api-version=2025-04-01-preview&note=a%20b%26c", endpoint.RequestUri(Mode.Streaming, "m").Query);
        Assert.Equal("?deployment=a&api-version=2025-04-01-preview&note=a%20b%26c", endpoint.Resolve("models").Query);
    }

    [Fact]
    public void RequestUri_GeminiStreamingWithQueryParameters_AfterAltSse()
    {
        var endpoint = new Endpoint(s_base) { Protocol = WireProtocol.Gemini, QueryParameters = new Dictionary<string, string> { ["x"] = "1" } };
        Assert.Equal("?alt=sse&x=1", endpoint.RequestUri(Mode.Streaming, "g").Query);
        Assert.Equal("?x=1", endpoint.RequestUri(Mode.NonStreaming, "g").Query);
    }

    [Fact]
    public void Validate_QueryParameterAlreadyInBaseUrl_Refused()
    {
        var endpoint = new Endpoint(new Uri("https://x.example/v1?api-version=1")) { QueryParameters = new Dictionary<string, string> { ["api-version"] = "2" } };
        var ex = Assert.Throws<ArgumentException>(endpoint.Validate);
        Assert.Contains("'api-version'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WireProtocol.OpenAiChat, "authorization")]
    [InlineData(WireProtocol.AnthropicMessages, "X-Api-Key")]
    [InlineData(WireProtocol.Gemini, "x-goog-api-key")]
    public void Validate_HeaderDuplicatingTheKeyHeader_RefusedWithoutShowingIt(WireProtocol protocol, string header)
    {
        var endpoint = new Endpoint(s_base, "sk-key-SECRET") { Protocol = protocol, Headers = new Dictionary<string, string> { [header] = "other-SECRET" } };
        var ex = Assert.Throws<ArgumentException>(endpoint.Validate);
        Assert.Contains(header, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeylessWithOwnAuthorizationHeader_Accepted()
    {
        var endpoint = new Endpoint(s_base) { Headers = new Dictionary<string, string> { ["Authorization"] = "Basic abc", ["api-key"] = "k" } };
        endpoint.Validate();
        Assert.False(endpoint.HasApiKey);
    }

    [Theory]
    [InlineData("Content-Type", "text/plain")]
    [InlineData("Host", "evil")]
    [InlineData("bad name", "v")]
    [InlineData("X-Ok", "line\r\nbreak")]
    public void Validate_BadOrReservedHeader_Refused(string name, string value)
    {
        var endpoint = new Endpoint(s_base) { Headers = new Dictionary<string, string> { [name] = value } };
        Assert.Throws<ArgumentException>(endpoint.Validate);
    }

    [Fact]
    public void Validate_BodyFieldBenchWrites_Refused()
    {
        var endpoint = new Endpoint(s_base)
        {
            Protocol = WireProtocol.AnthropicMessages,
            BodyFields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"max_tokens":5}""")!,
        };
        Assert.Throws<ArgumentException>(endpoint.Validate);
    }

    [Fact]
    public void ToString_WithKeyHeadersAndQuery_ShowsNoSecret()
    {
        var endpoint = new Endpoint(new Uri("https://relay.example/v1?key=SECRET1"), "sk-SECRET2")
        {
            Headers = new Dictionary<string, string> { ["X-Org"] = "SECRET3" },
            QueryParameters = new Dictionary<string, string> { ["token"] = "SECRET4" },
        };

        var shown = endpoint.ToString();

        Assert.StartsWith("https://relay.example/v1/", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WireProtocol.OpenAiChat, "Authorization")]
    [InlineData(WireProtocol.OpenAiResponses, "Authorization")]
    [InlineData(WireProtocol.AnthropicMessages, "x-api-key")]
    [InlineData(WireProtocol.Gemini, "x-goog-api-key")]
    public void AuthHeaderName_EachProtocol_TheDocumentedHeader(WireProtocol protocol, string expected) =>
        Assert.Equal(expected, new Endpoint(s_base) { Protocol = protocol }.AuthHeaderName);
}
