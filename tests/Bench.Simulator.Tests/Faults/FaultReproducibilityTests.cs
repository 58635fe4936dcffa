using System.Collections.Concurrent;
using System.Net;
using Bench.Core.Faults;
using Bench.Simulator.Hosting;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Faults;

/// <summary>Faults over HTTP are reproducible: the same seed injects the same sequence, another seed another, a retry
/// (<c>X-Bench-Attempt: 2</c>) draws anew; connection refusals are drawn and recorded per connection.</summary>
public class FaultReproducibilityTests
{
    private const int Requests = 80;

    [Fact]
    public async Task Post_SameSeed_InjectsTheSameSequence_AnotherSeedOrAttemptDiffers()
    {
        var first = await StatusesAsync(seed: 42, attempt: 1);
        var again = await StatusesAsync(seed: 42, attempt: 1);
        var otherSeed = await StatusesAsync(seed: 43, attempt: 1);
        var secondAttempt = await StatusesAsync(seed: 42, attempt: 2);

        Assert.Equal(first.Statuses, again.Statuses);
        Assert.Equal(first.Injected, again.Injected);
        Assert.NotEqual(first.Statuses, otherSeed.Statuses);
        Assert.NotEqual(first.Statuses, secondAttempt.Statuses);
        // One injection per 429, each with the attempt it was drawn for.
        Assert.Equal(first.Statuses.Count(s => s == HttpStatusCode.TooManyRequests), first.Injected.Length);
        Assert.All(secondAttempt.Injected, i => Assert.Equal(2, i.Attempt));
        Assert.InRange(first.Injected.Length, 10, 40);
    }

    [Fact]
    public async Task Post_ConnectionRefusedRule_EachNewConnectionDrawsOnce()
    {
        var injected = new ConcurrentQueue<InjectionRecord>();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast()],
            Faults = [new FaultRule { Kind = FaultKind.ConnectionRefused, Rate = 0.5 }],
            OnInjected = injected.Enqueue,
        });

        var failed = 0;
        for (var i = 0; i < 20; i++)
        {
            // A client per request: a new connection each time.
            using var client = CreateClient(host);
            try
            {
                using var response = await PostAsync(client, Body("fast"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException)
            {
                // HttpClient may surface the reset of a just-opened connection as a bare SocketException.
                failed++;
            }
        }

        Assert.Equal(20, host.ConnectionsAccepted);
        Assert.Equal(failed, injected.Count);
        Assert.All(injected, i => Assert.Equal((FaultKind.ConnectionRefused, (string?)null, "connection"), (i.Kind, i.RequestId, i.Cause)));
        Assert.InRange(failed, 3, 17);
    }

    private static async Task<(HttpStatusCode[] Statuses, InjectionRecord[] Injected)> StatusesAsync(int seed, int attempt)
    {
        var injected = new ConcurrentQueue<InjectionRecord>();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast()],
            Faults = [new FaultRule { Kind = FaultKind.RateLimited, Rate = 0.3 }],
            OnInjected = injected.Enqueue,
            Seed = seed,
        });
        using var client = CreateClient(host);
        var statuses = new HttpStatusCode[Requests];
        for (var i = 0; i < Requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
            {
                Content = System.Net.Http.Json.JsonContent.Create(Body("fast", extra: ("seed", i))),
            };
            request.Headers.Add("X-Bench-Request-Id", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (attempt > 1)
            {
                request.Headers.Add("X-Bench-Attempt", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            using var response = await client.SendAsync(request);
            statuses[i] = response.StatusCode;
        }

        // Sorted by request id: the sequence, whatever order the callbacks ran in.
        return (statuses, [.. injected.OrderBy(r => int.Parse(r.RequestId!, System.Globalization.CultureInfo.InvariantCulture)).Select(r => r with { AtMs = 0 })]);
    }
}
