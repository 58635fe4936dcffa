using System.Net;
using System.Net.Sockets;
using Bench.Core.Client;
using Bench.Harness.Running;
using Bench.Tests.Shared;
using Microsoft.Extensions.Time.Testing;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Harness.Tests.Running;

/// <summary>The look at a real endpoint before a run (<c>GET {base}/models</c>), against a raw-socket server.</summary>
public sealed class PreflightTests
{
    private const string Key = "sk-preflight-canary-7f3a";

    private static Task<PreflightResult> CheckAsync(Uri baseUrl, params string[] models) =>
        Preflight.CheckAsync(new Endpoint(baseUrl, Key), Key, models, TimeProvider.System, CancellationToken.None);

    private static string Path(HostileExchange exchange) => exchange.Head.Split(' ')[1];

    [Fact]
    public async Task Check_ModelNotListed_WarnsForThatModelOnly()
    {
        var heads = new List<string>();
        await using var server = HostileServer.Start(async exchange =>
        {
            lock (heads)
            {
                heads.Add(exchange.Head);
            }

            await exchange.RespondAsync(200, "application/json", """{"object":"list","data":[{"id":"listed-model","object":"model"}]}""");
            return true;
        });

        var result = await CheckAsync(server.BaseUrl, "listed-model", "missing-model");

        Assert.Equal(PreflightVerdict.Proceed, result.Verdict);
        var warning = Assert.Single(result.Messages);
        Assert.Equal($"model 'missing-model' is not in the endpoint's model list (GET {server.BaseUrl}models: listed-model); its requests may fail.", warning);
        var head = Assert.Single(heads);
        Assert.StartsWith("GET /v1/models HTTP/1.1", head, StringComparison.Ordinal);
        Assert.Contains($"Authorization: Bearer {Key}", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_404WithoutV1AndV1Answers_HintsAtV1()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await (Path(exchange) == "/v1/models"
                ? exchange.RespondAsync(200, "application/json", """{"data":[{"id":"m"}]}""")
                : exchange.RespondAsync(404, "text/plain", "not found"));
            return true;
        });
        var root = new Uri($"http://127.0.0.1:{server.Port}");

        var result = await CheckAsync(root, "m");

        Assert.Equal(PreflightVerdict.Proceed, result.Verdict);
        Assert.Equal([$"the server answered 404 at http://127.0.0.1:{server.Port}/models but 200 at http://127.0.0.1:{server.Port}/v1/models; "
            + $"did you mean --base-url http://127.0.0.1:{server.Port}/v1?"], result.Messages);
    }

    [Fact]
    public async Task Check_NoModelsEndpointAnywhere_ProceedsSilently()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(404, "text/html", "<html>no</html>");
            return true;
        });

        var atRoot = await CheckAsync(new Uri($"http://127.0.0.1:{server.Port}/"), "m");
        var atV1 = await CheckAsync(server.BaseUrl, "m");

        Assert.Equal(new PreflightResult(PreflightVerdict.Proceed, []).Verdict, atRoot.Verdict);
        Assert.Empty(atRoot.Messages);
        Assert.Equal(PreflightVerdict.Proceed, atV1.Verdict);
        Assert.Empty(atV1.Messages);
        Assert.Equal(3, server.RequestsReceived); // /models and /v1/models, then /v1/models
    }

    [Fact]
    public async Task Check_401_StopsWithTheProvidersMessageAndNeverTheKey()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(401, "application/json",
                "{\"error\":{\"message\":\"Incorrect API key provided: " + Key + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
            return true;
        });

        var result = await CheckAsync(server.BaseUrl, "m");

        Assert.Equal(PreflightVerdict.BadKey, result.Verdict);
        var message = Assert.Single(result.Messages);
        Assert.StartsWith($"the endpoint refused the API key: GET {server.BaseUrl}models answered 401 Unauthorized: Incorrect API key provided: ***", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_401_AMessageEndingInAFullStop_IsNotFollowedByAnother()
    {
        // The simulator's (and OpenAI's) message ends with "."; Bench's sentence goes on after it.
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(401, "application/json", "{\"error\":{\"message\":\"Incorrect API key provided.\"}}");
            return true;
        });

        var result = await CheckAsync(server.BaseUrl, "m");

        var message = Assert.Single(result.Messages);
        Assert.Contains("answered 401 Unauthorized: Incorrect API key provided. Check the key", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(403, "answered 403 Forbidden")]
    [InlineData(500, "answered 500 InternalServerError")]
    public async Task Check_OtherStatus_WarnsAndProceeds(int status, string expected)
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(status, "text/plain", "nope");
            return true;
        });

        var result = await CheckAsync(server.BaseUrl, "m");

        Assert.Equal(PreflightVerdict.Proceed, result.Verdict);
        Assert.Contains(expected, Assert.Single(result.Messages), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"data": 5}""")]
    [InlineData("""[1, 2]""")]
    public async Task Check_BodyNotAModelList_WarnsAndProceeds(string body)
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, "application/json", body);
            return true;
        });

        var result = await CheckAsync(server.BaseUrl, "m");

        Assert.Equal(PreflightVerdict.Proceed, result.Verdict);
        Assert.EndsWith("the requested models were not checked.", Assert.Single(result.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ResetBeforeAnswer_WarnsAndProceeds()
    {
        await using var server = HostileServer.Start(exchange =>
        {
            exchange.Reset();
            return Task.FromResult(false);
        });

        var result = await CheckAsync(server.BaseUrl, "m");

        Assert.NotEqual(PreflightVerdict.BadKey, result.Verdict);
        Assert.Single(result.Messages);
    }

    [Fact]
    public async Task Check_ConnectionRefused_StopsAsUnreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connection refused

        var result = await CheckAsync(new Uri($"http://127.0.0.1:{port}/v1?key={Key}"), "m");

        Assert.Equal(PreflightVerdict.Unreachable, result.Verdict);
        var message = Assert.Single(result.Messages);
        Assert.StartsWith($"cannot reach the endpoint: GET http://127.0.0.1:{port}/v1/models?key=*** failed: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoAnswerWithinTenSecondsOnTheRunClock_WarnsAndProceeds()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.HangAsync();
            return false;
        });
        var time = new FakeTimeProvider();
        var check = Preflight.CheckAsync(new Endpoint(server.BaseUrl, Key), Key, ["m"], time, CancellationToken.None);
        // Wait (as long as it takes) for the request to reach the server, then let the run's clock pass the timeout.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (server.RequestsReceived == 0 && !check.IsCompleted)
        {
            await Task.Delay(5, guard.Token);
        }

        time.Advance(TimeSpan.FromSeconds(9.999));
        Assert.False(check.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await check.WaitAsync(guard.Token);

        Assert.Equal(PreflightVerdict.Proceed, result.Verdict);
        Assert.Equal([$"GET {server.BaseUrl}models gave no answer within 10 s; the requested models were not checked."], result.Messages);
    }
}
