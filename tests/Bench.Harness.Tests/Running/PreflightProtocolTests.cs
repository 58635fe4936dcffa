using Bench.Core.Wire;
using Bench.Harness.Running;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Harness.Tests.Running;

/// <summary>The preflight per protocol and for keyless targets, against a raw-socket server.</summary>
public sealed class PreflightProtocolTests
{
    private const string Key = "sk-preflight-proto-canary";

    private static string? Header(string head, string name) =>
        head.Split("\r\n").Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();

    private static HostileServer Answering(List<string> heads, int status, string body) => HostileServer.Start(async exchange =>
    {
        lock (heads)
        {
            heads.Add(exchange.Head);
        }

        await exchange.RespondAsync(status, "application/json", body);
        return true;
    });

    [Fact]
    public async Task Check_Anthropic_XApiKeyAndVersionAndDataList()
    {
        var heads = new List<string>();
        await using var server = Answering(heads, 200, """{"data":[{"type":"model","id":"claude-sonnet-4-5"}],"has_more":false}""");
        var endpoint = new Endpoint(server.BaseUrl, Key) { Protocol = WireProtocol.AnthropicMessages };

        var result = await Preflight.CheckAsync(endpoint, Key, ["claude-sonnet-4-5", "claude-missing"], TimeProvider.System, CancellationToken.None);

        Assert.Equal(PreflightVerdict.Proceed, result.Verdict);
        Assert.Contains("'claude-missing'", Assert.Single(result.Messages), StringComparison.Ordinal);
        var head = Assert.Single(heads);
        Assert.StartsWith("GET /v1/models HTTP/1.1", head, StringComparison.Ordinal);
        Assert.Equal(Key, Header(head, "x-api-key"));
        Assert.Equal("2023-06-01", Header(head, "anthropic-version"));
        Assert.Null(Header(head, "Authorization"));
    }

    [Fact]
    public async Task Check_Gemini_GoogKeyAndModelsListWithPrefix()
    {
        var heads = new List<string>();
        await using var server = Answering(heads, 200, """{"models":[{"name":"models/gemini-2.5-pro","displayName":"Gemini 2.5 Pro"}]}""");
        var endpoint = new Endpoint(server.BaseUrl, Key) { Protocol = WireProtocol.Gemini };

        var result = await Preflight.CheckAsync(endpoint, Key, ["gemini-2.5-pro"], TimeProvider.System, CancellationToken.None);

        Assert.Equal(PreflightVerdict.Proceed, result.Verdict);
        Assert.Empty(result.Messages);
        Assert.Equal(Key, Header(Assert.Single(heads), "x-goog-api-key"));
    }

    [Fact]
    public async Task Check_ModelMap_ChecksTheTargetsName()
    {
        var heads = new List<string>();
        await using var server = Answering(heads, 200, """{"data":[{"id":"openai/gpt-4.1"}]}""");
        var endpoint = new Endpoint(server.BaseUrl, Key) { ModelNames = new Dictionary<string, string> { ["gpt-4.1"] = "openai/gpt-4.1" } };

        var result = await Preflight.CheckAsync(endpoint, Key, ["gpt-4.1"], TimeProvider.System, CancellationToken.None);

        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task Check_KeylessTargetAnswered401_BadKeySayingTheServerWantsAKey()
    {
        var heads = new List<string>();
        await using var server = Answering(heads, 401, """{"error":{"message":"missing key"}}""");

        var result = await Preflight.CheckAsync(new Endpoint(server.BaseUrl), null, ["m"], TimeProvider.System, CancellationToken.None);

        Assert.Equal(PreflightVerdict.BadKey, result.Verdict);
        Assert.StartsWith("the target is keyless but the server wants a key", Assert.Single(result.Messages), StringComparison.Ordinal);
        Assert.Null(Header(Assert.Single(heads), "Authorization"));
    }

    [Fact]
    public async Task Check_HeaderAuthenticatedTarget_SendsItsHeaderNoBearer()
    {
        var heads = new List<string>();
        await using var server = Answering(heads, 200, """{"data":[{"id":"m"}]}""");
        var endpoint = new Endpoint(server.BaseUrl)
        {
            Headers = new Dictionary<string, string> { ["api-key"] = "azure-canary" },
            QueryParameters = new Dictionary<string, string> { ["api-version"] = "2025-01-01" },
        };

        var result = await Preflight.CheckAsync(endpoint, null, ["m"], TimeProvider.System, CancellationToken.None);

        Assert.Empty(result.Messages);
        var head = Assert.Single(heads);
        Assert.StartsWith("GET /v1/models?api-version=2025-01-01 HTTP/1.1", head, StringComparison.Ordinal);
        Assert.Equal("azure-canary", Header(head, "api-key"));
        Assert.Null(Header(head, "Authorization"));
    }
}
