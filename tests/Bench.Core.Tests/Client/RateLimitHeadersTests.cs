using System.Net;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Client;

/// <summary>OpenAI's rate-limit headers, <c>retry-after-ms</c> and RFC 9110 <c>Retry-After</c>, read into
/// <see cref="RateLimitInfo"/>: formats, garbage and huge values.</summary>
public class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly KeyMask NoKey = new(null);

    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("6m0s", 360_000)]
    [InlineData("20ms", 20)]
    [InlineData("1h2m3.5s", 3_723_500)]
    [InlineData("1.5s", 1500)]
    [InlineData("0", 0)]
    [InlineData("17", 17_000)] // a bare number is seconds (Azure OpenAI)
    [InlineData("250us", 0.25)]
    [InlineData("500ns", 0.0005)]
    public void TryParseDurationMs_GoDurations_Milliseconds(string value, double expected)
    {
        Assert.True(RateLimitHeaders.TryParseDurationMs(value, out var ms));
        Assert.Equal(expected, ms, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("1x")]
    [InlineData("s")]
    [InlineData("1s2")]
    [InlineData("1..2s")]
    [InlineData("99999999999h")] // past a year
    [InlineData("1e9999s")]
    public void TryParseDurationMs_Garbage_False(string value) =>
        Assert.False(RateLimitHeaders.TryParseDurationMs(value, out _));

    [Fact]
    public void Read_AllOpenAiHeaders_Parsed()
    {
        var info = Read(
            ("x-ratelimit-limit-requests", "60"),
            ("x-ratelimit-limit-tokens", "150000"),
            ("x-ratelimit-remaining-requests", "59"),
            ("x-ratelimit-remaining-tokens", "149984"),
            ("x-ratelimit-reset-requests", "1s"),
            ("x-ratelimit-reset-tokens", "6m0s"));

        Assert.Equal(new RateLimitInfo(60, 59, 1000, 150000, 149984, 360_000), info);
    }

    [Fact]
    public void Read_NoHeaders_Null() => Assert.Null(Read());

    [Fact]
    public void Read_RetryAfterSeconds_Milliseconds() => Assert.Equal(2000, Read(("Retry-After", "2"))?.RetryAfterMs);

    [Fact]
    public void Read_RetryAfterMsBeforeRetryAfter_RetryAfterMsWins() =>
        Assert.Equal(1234.5, Read(("Retry-After", "2"), ("retry-after-ms", "1234.5"))?.RetryAfterMs);

    [Fact]
    public void Read_RetryAfterHttpDateWithDate_TakenAgainstDate()
    {
        // The server's Date is 10 s behind the run clock: the wait is the server's 3 s, not 3 s − 10 s.
        var info = Read(("Date", "Wed, 31 Dec 2025 23:59:50 GMT"), ("Retry-After", "Wed, 31 Dec 2025 23:59:53 GMT"));

        Assert.Equal(3000, info?.RetryAfterMs);
        Assert.Null(info?.Unparsed);
    }

    [Fact]
    public void Read_RetryAfterHttpDateWithoutDate_TakenAgainstRunClock() =>
        Assert.Equal(4000, Read(("Retry-After", "Thu, 01 Jan 2026 00:00:04 GMT"))?.RetryAfterMs);

    [Fact]
    public void Read_RetryAfterDateInThePast_Zero() =>
        Assert.Equal(0, Read(("Retry-After", "Wed, 31 Dec 2025 00:00:00 GMT"))?.RetryAfterMs);

    [Fact]
    public void Read_ObsoleteHttpDates_Parsed()
    {
        Assert.Equal(5000, Read(("Retry-After", "Thursday, 01-Jan-26 00:00:05 GMT"))?.RetryAfterMs);
        Assert.Equal(6000, Read(("Retry-After", "Thu Jan  1 00:00:06 2026"))?.RetryAfterMs);
    }

    [Fact]
    public void Read_Garbage_Unparsed()
    {
        var info = Read(
            ("x-ratelimit-remaining-requests", "many"),
            ("x-ratelimit-reset-tokens", "later"),
            ("Retry-After", "tomorrow-ish"),
            ("x-ratelimit-limit-requests", "60"));

        Assert.NotNull(info);
        Assert.Equal(60, info.LimitRequests);
        Assert.Null(info.RemainingRequests);
        Assert.Null(info.ResetTokensMs);
        Assert.Null(info.RetryAfterMs);
        Assert.Equal("x-ratelimit-remaining-requests: many; x-ratelimit-reset-tokens: later; Retry-After: tomorrow-ish", info.Unparsed);
    }

    [Fact]
    public void Read_HugeValues_UnparsedNotOverflowed()
    {
        var huge = new string('9', 400);
        var info = Read(
            ("x-ratelimit-limit-tokens", "99999999999999999999999"),
            ("retry-after-ms", "1e308"),
            ("Retry-After", huge),
            ("x-ratelimit-remaining-tokens", "-1"));

        Assert.NotNull(info);
        Assert.Null(info.LimitTokens);
        Assert.Null(info.RetryAfterMs);
        Assert.Equal(-1, info.RemainingTokens); // Azure's "unknown", kept as sent
        Assert.NotNull(info.Unparsed);
        Assert.True(info.Unparsed.Length <= RateLimitHeaders.MaxUnparsedChars + 1);
        Assert.StartsWith("x-ratelimit-limit-tokens: 99999999999999999999999; retry-after-ms: 1e308; Retry-After: 999", info.Unparsed);
    }

    [Fact]
    public void Read_KeyEchoedInHeader_Masked()
    {
        const string key = "sk-secret-abcdef123456";
        var info = RateLimitHeaders.Read(Lookup(("x-ratelimit-reset-requests", key)), Now, new KeyMask(key));

        Assert.Equal("x-ratelimit-reset-requests: ***", info?.Unparsed);
    }

    [Fact]
    public void Read_ResponseHeaders_ReadFromHttpResponse()
    {
        using var response = Response(HttpStatusCode.TooManyRequests,
            ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "1.5s"), ("Retry-After", "not a date"));

        var info = RateLimitHeaders.Read(response, Now, NoKey);

        Assert.Equal(0, info?.RemainingRequests);
        Assert.Equal(1500, info?.ResetRequestsMs);
        Assert.Equal("Retry-After: not a date", info?.Unparsed);
    }

    [Fact]
    public void Read_ResponseWithOnlyOtherHeaders_Null()
    {
        using var response = Response(HttpStatusCode.OK, ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("x-request-id", "req_123"), ("x-ratelimit-other", "7"));

        Assert.Null(RateLimitHeaders.Read(response, Now, NoKey));
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining-Tokens")]
    [InlineData("ANTHROPIC-RATELIMIT-TOKENS-REMAINING")]
    public void Read_ResponseHeaderNameInAnyCase_Read(string name)
    {
        using var response = Response(HttpStatusCode.OK, ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), (name, "42"));

        Assert.Equal(42, RateLimitHeaders.Read(response, Now, NoKey)?.RemainingTokens);
    }

    [Fact]
    public void Read_ResponseWithOnlyRetryAfterDate_MeasuredFromTheDateHeader()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("Retry-After", "Sun, 06 Nov 1994 08:49:40 GMT"));

        Assert.Equal(3000, RateLimitHeaders.Read(response, Now, NoKey)?.RetryAfterMs);
    }

    /// <summary>A response of <paramref name="status"/> with <paramref name="headers"/> added unvalidated, as a
    /// server's arrive.</summary>
    private static HttpResponseMessage Response(HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    [Fact]
    public async Task SendAsync_SuccessWithHeaders_RecordCarriesThem()
    {
        const string completion = "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}";
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, "application/json", completion,
                "x-ratelimit-limit-requests: 5000", "x-ratelimit-remaining-requests: 4999", "x-ratelimit-reset-requests: 12ms",
                "x-ratelimit-limit-tokens: 160000", "x-ratelimit-remaining-tokens: 159976", "x-ratelimit-reset-tokens: 9ms");
            return true;
        });
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, "sk-headers"), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(new ChatRequest("m", Mode.NonStreaming, [new ChatMessage("user", "hi")], 8), new RequestContext(0));

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(new RateLimitInfo(5000, 4999, 12, 160000, 159976, 9), record.RateLimit);
    }

    [Fact]
    public async Task SendAsync_NoRateLimitHeaders_RecordHasNone()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(500, "application/json", "{}");
            return true;
        });
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, "sk-headers"), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(new ChatRequest("m", Mode.NonStreaming, [new ChatMessage("user", "hi")], 8), new RequestContext(0));

        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.Null(record.RateLimit);
    }

    private static RateLimitInfo? Read(params (string Name, string Value)[] headers) => RateLimitHeaders.Read(Lookup(headers), Now, NoKey);

    private static Func<string, string?> Lookup(params (string Name, string Value)[] headers) =>
        name => headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
