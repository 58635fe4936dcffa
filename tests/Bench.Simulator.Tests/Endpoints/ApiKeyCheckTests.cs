using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bench.Simulator.Hosting;

namespace Bench.Simulator.Tests.Endpoints;

public class ApiKeyCheckTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("sk-test")]
    [InlineData("Basic sk-test")]
    [InlineData("Bearer ")]
    public async Task Post_NoBearerKey_Returns401InvalidApiKey(string? authorization)
    {
        await using var host = await TestSimulator.StartAsync(TestSimulator.Fast());
        using var client = TestSimulator.CreateClient(host, authorization);

        using var response = await TestSimulator.PostAsync(client, TestSimulator.Body("fast"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Contains("Bearer", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ConfiguredKey_AcceptsOnlyThatKey()
    {
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [TestSimulator.Fast()], ApiKey = "sk-right" });
        using var wrong = TestSimulator.CreateClient(host, "Bearer sk-wrong");
        using var right = TestSimulator.CreateClient(host, "Bearer sk-right");

        using var rejected = await TestSimulator.PostAsync(wrong, TestSimulator.Body("fast"));
        using var accepted = await TestSimulator.PostAsync(right, TestSimulator.Body("fast"));

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        var error = (await rejected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.DoesNotContain("sk-wrong", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task GetModels_NoAuthorization_Returns401()
    {
        await using var host = await TestSimulator.StartAsync(TestSimulator.Fast());
        using var client = TestSimulator.CreateClient(host, authorization: null);

        using var response = await client.GetAsync(new Uri("models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
