using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Resilience;

/// <summary>A scenario's <c>resilience</c> policies as read, and the bounds Polly imposes refused at the file, not
/// found mid-run.</summary>
public class ResiliencePolicyTests
{
    private static string Scenario(string policies) => $$"""
        {
          "name": "r",
          "target": { "simulator": true },
          "models": ["m"],
          "modes": ["non-streaming"],
          "request": { "prompt_tokens": 50, "max_tokens": 20, "timeout_s": 5 },
          "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ],
          "resilience": {{policies}}
        }
        """;

    [Fact]
    public void Parse_EveryPart_Read()
    {
        var s = ScenarioLoader.Parse(Scenario("""
            [ { "name": "all", "retry": { "max_retries": 2, "base_delay_ms": 10, "jitter": false, "retry_on": ["timeout"] },
                "attempt_timeout_s": 3, "total_timeout_s": 9,
                "circuit_breaker": { "failure_ratio": 0.25, "minimum_throughput": 4, "sampling_s": 2, "break_s": 1 },
                "rate_limiter": { "rpm": 60, "tpm": 1000, "queue": 5 }, "hedging": { "delay_ms": 300, "max_hedged_attempts": 2 } } ]
            """), "r.json");

        var p = Assert.Single(s.Resilience);
        Assert.Equal((2, 10.0, false), (p.Retry!.MaxRetries, p.Retry.BaseDelayMs, p.Retry.Jitter));
        Assert.Equal([Bench.Core.Records.Outcome.Timeout], p.Retry.RetryOn);
        Assert.Equal((3.0, 9.0), (p.AttemptTimeoutS!.Value, p.TotalTimeoutS!.Value));
        Assert.Equal((0.25, 4, 2.0, 1.0), (p.CircuitBreaker!.FailureRatio, p.CircuitBreaker.MinimumThroughput, p.CircuitBreaker.SamplingS, p.CircuitBreaker.BreakS));
        Assert.Equal((60, 1000, 5), (p.RateLimiter!.Rpm, p.RateLimiter.Tpm, p.RateLimiter.Queue));
        Assert.Equal((300.0, 2), (p.Hedging!.DelayMs, p.Hedging.MaxHedgedAttempts));
        Assert.False(p.IsNone);
    }

    [Fact]
    public void Parse_BreakerTimesBelowPollysHalfSecond_Refused()
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(
            Scenario("""[ { "name": "cb", "circuit_breaker": { "sampling_s": 0.1, "break_s": 100000 } } ]"""), "r.json"));

        Assert.Equal(
            ["$.resilience[0].circuit_breaker.sampling_s: must be between 0.5 and 86,400 seconds",
             "$.resilience[0].circuit_breaker.break_s: must be between 0.5 and 86,400 seconds"],
            e.Errors.Select(x => $"{x.Path}: {x.Reason}"));
    }
}
