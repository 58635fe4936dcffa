using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Hostile;

/// <summary>The hostile server itself: a request reaches the script, a scripted answer reaches the client, and the
/// counters say what the server saw.</summary>
public class HostileServerSmokeTests
{
    [Fact]
    public async Task ScriptedAnswer_ReachesTheClient_AndTheServerCountsTheRequest()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            Assert.StartsWith("POST /v1/chat/completions ", exchange.Head, StringComparison.Ordinal);
            await exchange.RespondAsync(502, "text/html", "<html><body>Bad Gateway</body></html>");
            return true;
        });
        using var http = new HttpClient();
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, "sk-hostile"), new RunClock(TimeProvider.System));

        var record = await client.SendAsync(
            new ChatRequest("m", Mode.NonStreaming, [new ChatMessage("user", "hi")], 5),
            new RequestContext(0));

        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.Equal(502, record.HttpStatus);
        Assert.Equal(1, server.RequestsReceived);
        Assert.Equal(1, server.ConnectionsAccepted);
    }
}
