using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

/// <summary>The gamma and trace steps' rules (issue 15): what each needs, and fields that belong to one kind only.</summary>
public class OpenStepKindsTests
{
    private static ConfigException Refused(string steps) =>
        Assert.Throws<ConfigException>(() => ScenarioLoader.Parse($$"""{ "models": ["a"], "workload": [ {{steps}} ] }""", "g.json"));

    [Fact]
    public void Gamma_WithRateAndDuration_Loads_DefaultBurstinessOne()
    {
        var scenario = ScenarioLoader.Parse("""{ "models": ["a"], "workload": [ { "type": "gamma", "rate": 5, "duration": "10s" }, { "type": "gamma", "rate": 5, "iterations": 9, "burstiness": 0.5 } ] }""", "g.json");
        Assert.Equal([null, 0.5], scenario.Workload.Select(w => w.Burstiness));
        Assert.All(scenario.Workload, w => Assert.True(w.IsOpen));
    }

    [Theory]
    [InlineData("""{ "type": "gamma", "duration": "10s" }""", "$.workload[0].rate", "gamma needs rate > 0 (requests per second)")]
    [InlineData("""{ "type": "gamma", "rate": 0, "duration": "10s" }""", "$.workload[0].rate", "gamma needs rate > 0 (requests per second)")]
    [InlineData("""{ "type": "gamma", "rate": 5 }""", "$.workload[0].duration", "gamma needs a duration or iterations")]
    [InlineData("""{ "type": "gamma", "rate": 5, "duration": "10s", "burstiness": 0 }""", "$.workload[0].burstiness", "must be a finite number greater than 0 (1 is Poisson; below 1 burstier, above 1 more even)")]
    [InlineData("""{ "type": "gamma", "rate": 5, "duration": "10s", "burstiness": -2 }""", "$.workload[0].burstiness", "must be a finite number greater than 0 (1 is Poisson; below 1 burstier, above 1 more even)")]
    [InlineData("""{ "type": "poisson", "rate": 5, "duration": "10s", "burstiness": 2 }""", "$.workload[0].burstiness", "applies to gamma steps only (not poisson)")]
    [InlineData("""{ "type": "trace" }""", "$.workload[0].trace", "trace needs a trace (e.g. {\"path\": \"traffic.jsonl\"})")]
    [InlineData("""{ "type": "inject", "rate": 5, "duration": "10s", "trace": { "path": "t.jsonl" } }""", "$.workload[0].trace", "applies to trace steps only (not inject)")]
    [InlineData("""{ "type": "trace", "trace": { "path": "t.jsonl" }, "rate": 3 }""", "$.workload[0].rate", "does not apply to trace: the trace's timestamps (÷ its speedup) decide when and how many requests are sent")]
    [InlineData("""{ "type": "trace", "trace": { "path": "t.jsonl", "speedup": 0 } }""", "$.workload[0].trace.speedup", "must be greater than 0 and at most 1000 (2 replays the trace twice as fast; got 0)")]
    [InlineData("""{ "type": "trace", "trace": { "path": "t.jsonl", "format": "csv" } }""", "$.workload[0].trace.format", "must be one of bench, mooncake (or absent: bench's rules, which take Mooncake lines too); got 'csv'")]
    public void BadOpenSteps_AreRefused_AtTheirPath(string step, string path, string reason)
    {
        var error = Assert.Single(Refused(step).Errors);
        Assert.Equal((path, reason), (error.Path, error.Reason));
    }

    [Fact]
    public void Trace_WithoutAPath_IsRefusedAtThePath() =>
        Assert.Contains(Refused("""{ "type": "trace", "trace": { "path": "" } }""").Errors, e => e.Path == "$.workload[0].trace.path");

    [Fact]
    public void Gamma_RateIsPerSecond_BoundedLikePoisson()
    {
        var error = Assert.Single(Refused("""{ "type": "gamma", "rate": 200000, "iterations": 1 }""").Errors);
        Assert.Equal("$.workload[0].rate", error.Path);
        Assert.StartsWith("must be at most 100,000 requests per second", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_KeepsGammaAndTraceSteps()
    {
        var scenario = ScenarioLoader.Parse("""{ "models": ["a"], "workload": [ { "type": "gamma", "rate": 5, "duration": "10s", "burstiness": 0.25 }, { "type": "trace", "trace": { "path": "/t/x.jsonl", "speedup": 4, "format": "mooncake" }, "max_concurrency": 9 } ] }""", "w.json");
        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(scenario).GetRawText(), "again.json");

        Assert.Equal(0.25, again.Workload[0].Burstiness);
        Assert.Equal(new TraceSpec { Path = "/t/x.jsonl", Speedup = 4, Format = "mooncake" }, again.Workload[1].Trace);
        Assert.Equal(9, again.Workload[1].MaxConcurrency);
    }

    [Fact]
    public void Plan_ResolvesATracePath_RelativeToTheScenarioFile()
    {
        var file = Path.Combine(Path.GetTempPath(), "bench-scenarios", "s.json");
        var scenario = ScenarioLoader.Parse("""{ "models": ["a"], "workload": [ { "type": "trace", "trace": { "path": "traces/day.jsonl" } } ] }""", file);
        var plan = Bench.Core.Planning.Plan.Create(scenario, Bench.Core.Planning.PlanOverrides.None, file);

        Assert.Equal(Path.Combine(Path.GetTempPath(), "bench-scenarios", "traces", "day.jsonl"), plan.Steps[0].Trace!.Path);
        Assert.Contains("trace day.jsonl", plan.Workload, StringComparison.Ordinal);
        // Planned again from run.json's copy (resume, report), an absolute path stays.
        var again = Bench.Core.Planning.Plan.Create(plan.Scenario, Bench.Core.Planning.PlanOverrides.None, "/elsewhere/run.json");
        Assert.Equal(plan.Steps[0].Trace!.Path, again.Steps[0].Trace!.Path);
    }

    [Fact]
    public void TraceFlag_ReplacesTheMeasuredSteps_KeepingWarmUps_AndSpeedupApplies()
    {
        var scenario = ScenarioLoader.Parse("""{ "models": ["a"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1, "warmup": true }, { "type": "inject", "rate": 5, "duration": "10s" } ] }""", "s.json");
        var plan = Bench.Core.Planning.Plan.Create(scenario, new Bench.Core.Planning.PlanOverrides { Trace = "day.jsonl", Speedup = 3, MaxConcurrency = 7 }, "s.json");

        Assert.Equal([StepKind.IterationsForConstant, StepKind.Trace], plan.Steps.Select(s => s.Kind));
        Assert.Equal(new TraceSpec { Path = Path.GetFullPath("day.jsonl"), Speedup = 3 }, plan.Steps[1].Trace);
        Assert.Equal(7, plan.Steps[1].MaxConcurrency);
        Assert.Contains("at 3× speed", plan.Workload, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, null, "--speedup", "must be greater than 0 and at most 1000 (got 0)")]
    [InlineData(2.0, null, "--speedup", "applies to a trace workload (--trace FILE, or a trace step in the scenario)")]
    [InlineData(null, StepKind.Poisson, "--trace", "replays a trace as the workload; it cannot be combined with --load poisson")]
    public void TraceFlags_AreChecked(double? speedup, StepKind? load, string flag, string reason)
    {
        var scenario = ScenarioLoader.Parse("""{ "models": ["a"], "workload": [ { "type": "inject", "rate": 5, "duration": "10s" } ] }""", "s.json");
        var overrides = new Bench.Core.Planning.PlanOverrides { Speedup = speedup, Load = load, Trace = load is null ? null : "t.jsonl", Rate = load is null ? null : 1, Duration = load is null ? null : TimeSpan.FromSeconds(1) };
        var error = Assert.Single(Assert.Throws<ConfigException>(() => Bench.Core.Planning.Plan.Create(scenario, overrides, "s.json")).Errors);
        Assert.Equal(("<command line>", flag, reason), (error.File, error.Path, error.Reason));
    }

    [Fact]
    public void Trace_WithBatchApi_RefusedAtTheTraceStep()
    {
        var error = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(
            """{ "models": ["a"], "modes": ["streaming", "batch-api"], "batch": { "lines": 10 }, "workload": [ { "type": "trace", "trace": { "path": "t.jsonl" } } ] }""", "g.json"));

        var only = Assert.Single(error.Errors);
        Assert.Equal("$.workload[0].type", only.Path);
        Assert.StartsWith("a trace replays its lines at their timestamps, and a batch-api cell sends its lines at once", only.Reason, StringComparison.Ordinal);
    }
}
