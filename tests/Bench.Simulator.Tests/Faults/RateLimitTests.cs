using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Bench.Core.Faults;
using Bench.Simulator.Faults;
using Bench.Simulator.Hosting;
using Microsoft.Extensions.Time.Testing;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Faults;

/// <summary>
/// 429s and the RPM/TPM buckets over HTTP, on a fake clock that only the test moves: every admitted request is answered
/// at once with an injected 500 (so no answer waits on the clock), every refused one with a 429; the headers and
/// <c>Retry-After</c> are exact.
/// </summary>
public class RateLimitTests
{
    [Fact]
    public async Task Post_RpmLimit_AdmitsTheCapacityThenRefusesUntilOneRequestRefills()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var injected = new ConcurrentQueue<InjectionRecord>();
        await using var host = await StartLimitedAsync(time, new RateLimitSpec { Rpm = 3 }, injected);
        using var client = CreateClient(host);

        var admitted = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            admitted.Add(await PostAsync(client, Body("fast")));
        }

        var refused = await PostAsync(client, Body("fast"));
        time.Advance(TimeSpan.FromMilliseconds(19_999));
        var stillRefused = await PostAsync(client, Body("fast"));
        time.Advance(TimeSpan.FromMilliseconds(1));
        var refilled = await PostAsync(client, Body("fast"));

        // Capacity 3, one request back every 20 s; reset = time until full again.
        Assert.Equal(
            [("500", "3", "2", "20s"), ("500", "3", "1", "40s"), ("500", "3", "0", "1m0s")],
            admitted.Select(r => (((int)r.StatusCode).ToString(CultureInfo.InvariantCulture), Header(r, "x-ratelimit-limit-requests"), Header(r, "x-ratelimit-remaining-requests"), Header(r, "x-ratelimit-reset-requests"))));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(("20", "0", "1m0s"), (Header(refused, "Retry-After"), Header(refused, "x-ratelimit-remaining-requests"), Header(refused, "x-ratelimit-reset-requests")));
        // 19.999 s later the bucket holds 0.99995 of a request: 1 ms to go, rounded up to a second.
        Assert.Equal((HttpStatusCode.TooManyRequests, "1", "40.001s"), (stillRefused.StatusCode, Header(stillRefused, "Retry-After"), Header(stillRefused, "x-ratelimit-reset-requests")));
        Assert.Equal((HttpStatusCode.InternalServerError, "0"), (refilled.StatusCode, Header(refilled, "x-ratelimit-remaining-requests")));
        var error = (await JsonDocument.ParseAsync(await refused.Content.ReadAsStreamAsync())).RootElement.GetProperty("error");
        Assert.Equal(("requests", "rate_limit_exceeded"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Equal(["rpm", "rpm"], injected.Where(i => i.Kind == FaultKind.RateLimited).Select(i => i.Cause));
        Assert.Equal(4, injected.Count(i => i.Kind == FaultKind.ServerError));
        Assert.False(refused.Headers.Contains("x-ratelimit-limit-tokens"));
    }

    [Fact]
    public async Task Post_TpmLimit_ChargesPromptPlusMaxTokensAndRefusesWhatDoesNotFit()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var injected = new ConcurrentQueue<InjectionRecord>();
        await using var host = await StartLimitedAsync(time, new RateLimitSpec { Tpm = 100 }, injected);
        using var client = CreateClient(host);
        var body = Body("fast", "hi", ("max_tokens", 40));

        var first = await PostAsync(client, body);
        var cost = 100 - int.Parse(Header(first, "x-ratelimit-remaining-tokens")!, CultureInfo.InvariantCulture);
        var second = await PostAsync(client, body);
        var third = await PostAsync(client, body);

        Assert.InRange(cost, 41, 50); // max_tokens 40 plus a short prompt's tokens
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        Assert.Equal((100 - (2 * cost)).ToString(CultureInfo.InvariantCulture), Header(second, "x-ratelimit-remaining-tokens"));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        // Refill 100/60 tokens per second; `cost` tokens are needed and 100 − 2·cost are there.
        var waitS = (cost - (100 - (2 * cost))) * 0.6;
        Assert.Equal(Math.Ceiling(Math.Round(waitS, 9)).ToString(CultureInfo.InvariantCulture), Header(third, "Retry-After"));
        Assert.Equal("tpm", injected.Single(i => i.Kind == FaultKind.RateLimited).Cause);
        Assert.Equal("100", Header(third, "x-ratelimit-limit-tokens"));
        Assert.False(third.Headers.Contains("x-ratelimit-limit-requests"));
    }

    [Fact]
    public async Task BeginFaultEpoch_RefillsTheBuckets()
    {
        var time = new FakeTimeProvider();
        await using var host = await StartLimitedAsync(time, new RateLimitSpec { Rpm = 1 }, new ConcurrentQueue<InjectionRecord>());
        using var client = CreateClient(host);

        var first = await PostAsync(client, Body("fast"));
        var refused = await PostAsync(client, Body("fast"));
        host.BeginFaultEpoch();
        var afterEpoch = await PostAsync(client, Body("fast"));

        Assert.Equal(
            [HttpStatusCode.InternalServerError, HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError],
            [first.StatusCode, refused.StatusCode, afterEpoch.StatusCode]);
    }

    [Fact]
    public async Task Post_SimulatorLimits_ReplaceTheProfiles()
    {
        var time = new FakeTimeProvider();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast() with { RateLimits = new RateLimitSpec { Rpm = 1 } }],
            Faults = [new FaultRule { Kind = FaultKind.ServerError }],
            RateLimits = new RateLimitSpec { Rpm = 2 },
            TimeProvider = time,
        });
        using var client = CreateClient(host);

        var response = await PostAsync(client, Body("fast"));

        Assert.Equal(("2", "1"), (Header(response, "x-ratelimit-limit-requests"), Header(response, "x-ratelimit-remaining-requests")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_LimitedModel_EveryAnswerCarriesTheHeaders(bool stream)
    {
        // A full bucket of 100 requests/min less this one: 99 left, full again in 1 / (100 / 60 s) = 600 ms.
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast() with { RateLimits = new RateLimitSpec { Rpm = 100, Tpm = 6000 } }],
        });
        using var client = CreateClient(host);

        using var response = await PostAsync(client, Body("fast", "hi", ("max_tokens", 50), ("stream", stream)));
        var cost = 6000 - int.Parse(Header(response, "x-ratelimit-remaining-tokens")!, CultureInfo.InvariantCulture);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("100", "99", "600ms"), (Header(response, "x-ratelimit-limit-requests"), Header(response, "x-ratelimit-remaining-requests"), Header(response, "x-ratelimit-reset-requests")));
        Assert.Equal("6000", Header(response, "x-ratelimit-limit-tokens"));
        Assert.InRange(cost, 51, 60);
        // cost tokens refill at 100 tokens/s.
        Assert.Equal(OpenAiDuration.Format(cost / 100.0), Header(response, "x-ratelimit-reset-tokens"));
    }

    [Theory]
    [InlineData(1.0, RetryAfterFormat.Seconds, "1")]
    [InlineData(1.2, RetryAfterFormat.Seconds, "2")]
    [InlineData(0.0, RetryAfterFormat.Seconds, "0")]
    [InlineData(2.0, RetryAfterFormat.Date, "Thu, 01 Jan 2026 00:00:03 GMT")]
    [InlineData(1.5, RetryAfterFormat.Date, "Thu, 01 Jan 2026 00:00:02 GMT")]
    public async Task Post_RateLimitedRule_RetryAfterExactOnTheSimulatorsClock(double retryAfterS, RetryAfterFormat format, string expected)
    {
        // The clock stands at 00:00:00.5: a date is rounded up to the next whole second.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 500, TimeSpan.Zero));
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast()],
            Faults = [new FaultRule { Kind = FaultKind.RateLimited, RetryAfterS = retryAfterS, RetryAfterFormat = format }],
            TimeProvider = time,
        });
        using var client = CreateClient(host);

        var response = await PostAsync(client, Body("fast"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(expected, Header(response, "Retry-After"));
        Assert.Equal(("0", OpenAiDuration.Format(retryAfterS)), (Header(response, "x-ratelimit-remaining-requests"), Header(response, "x-ratelimit-reset-requests")));
    }

    [Theory]
    [InlineData(0.0, "0s")]
    [InlineData(0.02, "20ms")]
    [InlineData(0.0201, "21ms")]
    [InlineData(1, "1s")]
    [InlineData(1.5, "1.5s")]
    [InlineData(360, "6m0s")]
    [InlineData(3723.25, "1h2m3.25s")]
    public void OpenAiDuration_Format_WritesOpenAisDurations(double seconds, string expected) =>
        Assert.Equal(expected, OpenAiDuration.Format(seconds));

    private static Task<SimulatorHost> StartLimitedAsync(TimeProvider time, RateLimitSpec limits, ConcurrentQueue<InjectionRecord> injected) =>
        SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast() with { RateLimits = limits }],
            Faults = [new FaultRule { Kind = FaultKind.ServerError }],
            OnInjected = injected.Enqueue,
            TimeProvider = time,
        });

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
