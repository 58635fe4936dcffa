using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

/// <summary>Values that once ended in a stack trace (an overflow, an out-of-memory, a timer's refusal or a run that
/// never ends) are refused when the file is read, each with its JSON path and reason.</summary>
public sealed class ScenarioLimitsTests
{
    private static string Scenario(string request, string step) => $$"""
        {
          "name": "limits",
          "models": ["m"],
          "request": {{request}},
          "workload": [ {{step}} ],
          "slos": [ { "name": "any", "min_success_rate": 0.5 } ]
        }
        """;

    private const string Request = """{ "max_tokens": 8 }""";
    private const string Step = """{ "type": "iterations_for_constant", "copies": 1, "iterations": 1 }""";
    private const string TimerLimit = "at most 2147483.647s (24.8 days, the longest wait .NET timers accept)";

    public static TheoryData<string, string, string, string> BadValues => new()
    {
        // request, step, JSON path, reason (the whole error line after the path)
        { Request, """{ "type": "keep_constant", "copies": 1, "duration": "1e12s" }""", "$.workload[0].duration",
            $"the string \"1e12s\" is too long: a duration must be {TimerLimit}" },
        { Request, """{ "type": "keep_constant", "copies": 1, "duration": "99999999h" }""", "$.workload[0].duration",
            $"the string \"99999999h\" is too long: a duration must be {TimerLimit}" },
        { Request, """{ "type": "keep_constant", "copies": 1, "duration": 1e300 }""", "$.workload[0].duration",
            $"the number 1e300 is too long: a duration must be {TimerLimit}" },
        { Request, """{ "type": "inject", "rate": 1, "interval": "1e12s", "duration": "1s" }""", "$.workload[0].interval",
            $"the string \"1e12s\" is too long: a duration must be {TimerLimit}" },
        { Request, """{ "type": "keep_constant", "copies": 1, "duration": -5 }""", "$.workload[0].duration",
            "the number -5 is negative: a duration is zero or more" },
        { """{ "timeout_s": 1e10 }""", Step, "$.request.timeout_s",
            "must be greater than 0 and at most 2147483.647 (seconds; 24.8 days, the longest wait .NET timers accept)" },
        { """{ "timeout_s": 2147484 }""", Step, "$.request.timeout_s",
            "must be greater than 0 and at most 2147483.647 (seconds; 24.8 days, the longest wait .NET timers accept)" },
        { """{ "timeout_s": 0 }""", Step, "$.request.timeout_s",
            "must be greater than 0 and at most 2147483.647 (seconds; 24.8 days, the longest wait .NET timers accept)" },
        { """{ "timeout_s": -1 }""", Step, "$.request.timeout_s",
            "must be greater than 0 and at most 2147483.647 (seconds; 24.8 days, the longest wait .NET timers accept)" },
        { """{ "timeout_s": 1e400 }""", Step, "$.request.timeout_s",
            "the number 1e400 is too large for a double (at most about 1.8e308)" },
        { """{ "prompt_tokens": 2147483647 }""", Step, "$.request.prompt_tokens",
            "must be between 1 and 10,000,000 (the largest context windows offered; the prompt is built in memory)" },
        { Request, """{ "type": "keep_constant", "copies": 2147483647, "duration": "1s" }""", "$.workload[0].copies",
            "must be at most 100,000 (each copy is a request in flight on its own connection; one client has about 28,000 ports per endpoint)" },
        { Request, """{ "type": "keep_constant", "copies": 2147483648, "duration": "1s" }""", "$.workload[0].copies",
            "the number 2147483648 is out of range: a whole number here is at most 2147483647 (and at least -2147483648)" },
        { Request, """{ "type": "iterations_for_constant", "copies": 1, "iterations": 2147483647 }""", "$.workload[0].iterations",
            "must be at most 100,000,000 (about 100 GB of records; split a longer run)" },
        { Request, """{ "type": "inject", "rate": 1e308, "duration": "1s" }""", "$.workload[0].rate",
            "must be at most 100,000 requests per second (got 1E+308/s), more than one client machine can send; split the load over several" },
        { Request, """{ "type": "inject", "rate": 200, "interval": "1ms", "duration": "1s" }""", "$.workload[0].rate",
            "must be at most 100,000 requests per second (got 2E+05/s), more than one client machine can send; split the load over several" },
        { Request, """{ "type": "poisson", "rate": 1e400, "iterations": 1 }""", "$.workload[0].rate",
            "the number 1e400 is too large for a double (at most about 1.8e308)" },
        { Request, """{ "type": "inject", "rate": -1, "duration": "1s" }""", "$.workload[0].rate",
            "inject needs rate > 0 (requests per interval)" },
        { Request, """{ "type": "sweep", "start_rate": 1e308, "duration": "1s" }""", "$.workload[0].start_rate",
            "must be at most 100,000 requests per second (got 1E+308/s), more than one client machine can send; split the load over several" },
        { Request, """{ "type": "inject", "rate": 1, "duration": "1s", "max_concurrency": 2147483647 }""", "$.workload[0].max_concurrency",
            "must be at most 100,000 (each request in flight holds its own connection; one client has about 28,000 ports per endpoint)" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Parse_ValueOutOfBounds_OneErrorWithPathAndReason(string request, string step, string path, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Scenario(request, step), "limits.json"));

        Assert.Equal([new ConfigError("limits.json", path, reason)], e.Errors);
    }

    [Fact]
    public void Parse_ValuesAtTheBounds_AreAccepted()
    {
        var scenario = ScenarioLoader.Parse(Scenario(
            """{ "timeout_s": 2147483.647, "prompt_tokens": 10000000 }""",
            """{ "type": "keep_constant", "copies": 100000, "duration": 2147483.647 }, { "type": "inject", "rate": 100000, "duration": "2147483.647s" }"""),
            "limits.json");

        Assert.Equal(ScenarioLimits.MaxDuration, scenario.Workload[0].Duration);
        Assert.Equal(ScenarioLimits.MaxSeconds, scenario.Request.TimeoutS);
    }

    [Fact]
    public void Validate_IterationsOfOneCellPastInt32_IsRefused()
    {
        var step = new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = ScenarioLimits.MaxIterations };
        var scenario = new Scenario { Models = ["m"], Workload = [.. Enumerable.Repeat(step, 22)] };

        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Validate(scenario, "<test>"));

        Assert.Equal([new ConfigError("<test>", "$.workload", "the steps' iterations add up to 2,200,000,000 requests per cell; at most 2,147,483,647")], e.Errors);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Validate_RateNotFinite_IsRefused(double rate)
    {
        var scenario = new Scenario { Models = ["m"], Workload = [new WorkloadStep { Kind = StepKind.Inject, Rate = rate, Duration = TimeSpan.FromSeconds(1) }] };

        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Validate(scenario, "<test>"));

        Assert.Contains(e.Errors, x => x.Path == "$.workload[0].rate" && x.Reason.StartsWith("must be a finite number of requests", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("30s", 30.0)]
    [InlineData("2147483.647s", 2147483.647)]
    [InlineData("35791m", 2147460.0)]
    public void Durations_TryParse_WithinTheTimerLimit_Parses(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration, out var error));
        Assert.Null(error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("1e12s")]
    [InlineData("99999999h")]
    [InlineData("1e400")]
    [InlineData("Infinity")]
    public void Durations_TryParse_PastTheTimerLimit_SaysTooLongAndNeverThrows(string text)
    {
        Assert.False(Durations.TryParse(text, out var duration, out var error));
        Assert.Equal(TimeSpan.Zero, duration);
        Assert.StartsWith("too long", error, StringComparison.Ordinal);
    }
}
