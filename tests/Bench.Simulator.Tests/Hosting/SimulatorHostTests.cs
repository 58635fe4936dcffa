using System.Net.Http.Json;
using System.Net.Sockets;
using Bench.Core.Configuration;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Hosting;

public class SimulatorHostTests
{
    [Fact]
    public async Task StartAsync_PortZero_ListensOnLoopbackPortWithV1BaseUrl()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        using var response = await client.GetAsync(new Uri("models", UriKind.Relative));

        Assert.InRange(host.Port, 1, 65535);
        Assert.Equal(new Uri($"http://127.0.0.1:{host.Port}/v1/"), host.BaseUrl);
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task StartAsync_NoProfiles_ThrowsConfigException()
    {
        var exception = await Assert.ThrowsAsync<ConfigException>(
            () => SimulatorHost.StartAsync(new SimulatorOptions()));

        Assert.Equal(["Profiles: $: no model profile: the simulator needs at least one"], exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task StartAsync_InvalidOrDuplicateProfiles_ListsEveryError()
    {
        var options = new SimulatorOptions
        {
            Profiles =
            [
                Fast("a"),
                Fast("a"),
                Fast("b") with { DecodeTokensPerSecond = -1, TimeToFirstToken = new TtftDistribution(100, 90) },
                Fast("c") with { Capacity = new CapacityLimit(0), OutputTokens = default },
            ],
        };

        var exception = await Assert.ThrowsAsync<ConfigException>(() => SimulatorHost.StartAsync(options));

        Assert.Equal(
            [
                "profile 'a': $.model: another profile has the same model id",
                "profile 'b': $.ttft_ms.p95: the p95 must be greater than the mean for a log-normal fit",
                "profile 'b': $.decode_tokens_per_s: must be a finite number of tokens per second > 0",
                "profile 'c': $.capacity.max_concurrent: must be an integer ≥ 1",
                "profile 'c': $.output_tokens.mean: must be a finite number of tokens ≥ 1",
            ],
            exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task StartAsync_ReplayProfileBuiltInCode_NeedsNoOutputTokens()
    {
        await using var host = await StartAsync(ReplayProfile(TestPaths.ReplayOpenAiChat));

        Assert.InRange(host.Port, 1, 65535);
    }

    [Fact]
    public async Task WaitForShutdownAsync_TokenCancelled_CompletesAndStopsListening()
    {
        await using var host = await StartAsync(Fast());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await host.WaitForShutdownAsync(cancellation.Token);

        using var client = CreateClient(host);
        await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetFromJsonAsync<object>(new Uri("models", UriKind.Relative)));
    }

    [Fact]
    public async Task DisposeAsync_Started_ReleasesThePort()
    {
        var host = await StartAsync(Fast());
        var port = host.Port;

        await host.DisposeAsync();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(
            async () => await socket.ConnectAsync(System.Net.IPAddress.Loopback, port));
    }
}
