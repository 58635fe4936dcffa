using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Planning;

public sealed class PlanTests
{
    private const string File = "scenario.json";

    private static Scenario TwoModels() => new()
    {
        Name = "two",
        Models = ["gpt-4.1", "deepseek-v3.2"],
        Modes = [Mode.Streaming, Mode.NonStreaming],
        Request = new RequestShape { PromptTokens = 100, MaxTokens = 200 },
        Workload =
        [
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 2, Warmup = true },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 16, Iterations = 64 },
        ],
    };

    [Fact]
    public void Create_NoOverrides_CellsModelsOutermostAndDescription()
    {
        var plan = Plan.Create(TwoModels(), PlanOverrides.None, File);

        Assert.Equal(
            [new PlanCell("gpt-4.1", Mode.Streaming, Target: "simulator"), new PlanCell("gpt-4.1", Mode.NonStreaming, Target: "simulator"),
             new PlanCell("deepseek-v3.2", Mode.Streaming, Target: "simulator"), new PlanCell("deepseek-v3.2", Mode.NonStreaming, Target: "simulator")],
            plan.Cells);
        Assert.Equal(66, plan.ExpectedRequestsPerCell);
        Assert.Equal(2, plan.Steps.Count);
        Assert.Equal("warm-up 2 requests at concurrency 2; 64 requests at concurrency 16", plan.Workload);
        Assert.Equal("two — 4 cells (gpt-4.1, deepseek-v3.2 × streaming, non-streaming); warm-up 2 requests at concurrency 2; "
            + "64 requests at concurrency 16; prompt 100 tokens, max_tokens 200", plan.Description);
    }

    [Fact]
    public void Create_TraceOrDataset_TheDescriptionSaysWhereLengthsComeFrom()
    {
        var traced = Plan.Create(TwoModels() with
        {
            Workload = [TwoModels().Workload[0], new WorkloadStep { Kind = StepKind.Trace, Trace = new TraceSpec { Path = "t.jsonl", Speedup = 2 } }],
        }, new PlanOverrides(), File);
        var dataset = Plan.Create(TwoModels() with { Request = new RequestShape { Dataset = new DatasetSpec { Path = "d.jsonl" }, IgnoreEos = true } }, PlanOverrides.None, File);

        Assert.EndsWith("; prompts and answer lengths from the trace (warm-up: prompt 100 tokens, max_tokens 200)", traced.Description, StringComparison.Ordinal);
        Assert.EndsWith("; prompts from d.jsonl, answer lengths from the dataset where it gives them, else max_tokens 200, ignore_eos", dataset.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Policies_CellsModelModePolicyAndTheDescriptionNamesThem()
    {
        var scenario = TwoModels() with
        {
            Models = ["gpt-4.1"],
            Modes = [Mode.Streaming],
            Resilience = [new ResiliencePolicy { Name = "none" }, new ResiliencePolicy { Name = "retries", Retry = new RetrySpec() }],
        };

        var plan = Plan.Create(scenario, PlanOverrides.None, File);

        Assert.Equal([new PlanCell("gpt-4.1", Mode.Streaming, "none", Target: "simulator"), new PlanCell("gpt-4.1", Mode.Streaming, "retries", Target: "simulator")], plan.Cells);
        Assert.StartsWith("two — 2 cells (gpt-4.1 × streaming × policies none, retries); ", plan.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Quick_OneWarmupThenEightAtEightAndMaxTokens64()
    {
        var plan = Plan.Create(TwoModels(), new PlanOverrides { Quick = true }, File);

        Assert.Equal(64, plan.Scenario.Request.MaxTokens);
        Assert.Equal(9, plan.ExpectedRequestsPerCell);
        Assert.Equal("warm-up 1 requests at concurrency 1; 8 requests at concurrency 8", plan.Workload);
    }

    [Fact]
    public void Create_QuickThenExplicitFlags_ExplicitFlagsWin()
    {
        var plan = Plan.Create(TwoModels(), new PlanOverrides { Quick = true, MaxTokens = 16, Requests = 3 }, File);

        Assert.Equal(16, plan.Scenario.Request.MaxTokens);
        Assert.Equal("warm-up 1 requests at concurrency 1; 3 requests at concurrency 8", plan.Workload);
    }

    [Fact]
    public void Create_RequestsOnly_KeepsWarmupAndScenarioConcurrency()
    {
        var plan = Plan.Create(TwoModels(), new PlanOverrides { Requests = 10 }, File);

        Assert.Equal("warm-up 2 requests at concurrency 2; 10 requests at concurrency 16", plan.Workload);
        Assert.Equal(12, plan.ExpectedRequestsPerCell);
    }

    [Fact]
    public void Create_ModelsAndRepeatedModes_ReplaceTheScenarios()
    {
        var plan = Plan.Create(TwoModels(), new PlanOverrides { Models = ["m1"], Modes = [Mode.NonStreaming, Mode.NonStreaming] }, File);

        Assert.Equal([new PlanCell("m1", Mode.NonStreaming, Target: "simulator")], plan.Cells);
    }

    [Fact]
    public void Create_OpenLoad_ReplacesMeasuredStepsAndHasNoExpectedCount()
    {
        var plan = Plan.Create(TwoModels(), new PlanOverrides
        {
            Load = StepKind.Poisson, Rate = 5, Duration = TimeSpan.FromSeconds(30), MaxConcurrency = 4,
        }, File);

        Assert.Equal("warm-up 2 requests at concurrency 2; Poisson arrivals at 5/s for 30s (at most 4 in flight)", plan.Workload);
        Assert.Null(plan.ExpectedRequestsPerCell);
    }

    [Fact]
    public void Create_OpenLoadWithoutACap_DescribesTheDefaultCap_ClosedLoadTakesNone()
    {
        var open = Plan.Create(TwoModels(), new PlanOverrides { Load = StepKind.Inject, Rate = 5, Duration = TimeSpan.FromSeconds(30) }, File);
        var closed = Plan.Create(TwoModels(), new PlanOverrides { Load = StepKind.KeepConstant, Concurrency = 3, Duration = TimeSpan.FromSeconds(30) }, File);

        Assert.Equal("warm-up 2 requests at concurrency 2; 5 requests per 1s for 30s (at most 1000 in flight)", open.Workload);
        Assert.Equal(WorkloadStep.DefaultMaxConcurrency, open.Steps[^1].InFlightCap);
        Assert.Null(closed.Steps[^1].InFlightCap);
        var e = Assert.Throws<ConfigException>(() => Plan.Create(TwoModels(),
            new PlanOverrides { Load = StepKind.KeepConstant, Concurrency = 3, Duration = TimeSpan.FromSeconds(30), MaxConcurrency = 8 }, File));
        Assert.Contains("$.workload[1].max_concurrency: applies to open steps only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LoadMissingItsFields_ThrowsNamingThePath()
    {
        var e = Assert.Throws<ConfigException>(() => Plan.Create(TwoModels(), new PlanOverrides { Load = StepKind.Inject }, File));

        Assert.Contains("$.workload[1]", e.Message, StringComparison.Ordinal);
        Assert.Contains(File, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TargetOverrides_AppliedToTheScenario()
    {
        var plan = Plan.Create(TwoModels(), new PlanOverrides
        {
            Seed = 7, BaseUrl = new Uri("https://example.com/v1"), ApiKeyEnv = "MY_KEY",
        }, File);

        Assert.Equal(7, plan.Scenario.Seed);
        Assert.Equal(new Uri("https://example.com/v1"), plan.Scenario.Target.BaseUrl);
        Assert.Equal("MY_KEY", plan.Scenario.Target.ApiKeyEnv);
        Assert.Equal(File, plan.ScenarioFile);
    }

    [Fact]
    public void Create_WithOverrides_LeavesTheCallersScenarioUnchanged()
    {
        var scenario = TwoModels();
        var before = ScenarioWriter.ToJson(scenario).GetRawText();
        var workload = scenario.Workload;
        var request = scenario.Request;
        var target = scenario.Target;

        var plan = Plan.Create(scenario, new PlanOverrides
        {
            Quick = true, Models = ["m1"], Modes = [Mode.NonStreaming], Requests = 3, Concurrency = 2, MaxTokens = 16,
            Seed = 7, BaseUrl = new Uri("https://example.com/v1"), ApiKeyEnv = "MY_KEY",
        }, File);

        Assert.Equal(before, ScenarioWriter.ToJson(scenario).GetRawText());
        Assert.Same(workload, scenario.Workload);
        Assert.Same(request, scenario.Request);
        Assert.Same(target, scenario.Target);
        Assert.Equal(200, scenario.Request.MaxTokens);
        Assert.True(scenario.Target.IsSimulator);
        Assert.Equal(["gpt-4.1", "deepseek-v3.2"], scenario.Models);
        Assert.Equal(16, plan.Scenario.Request.MaxTokens);
        Assert.Equal(["m1"], plan.Scenario.Models);
        Assert.Equal(7, plan.Scenario.Seed);
        Assert.False(plan.Scenario.Target.IsSimulator);
    }

    [Fact]
    public void Create_OverrideListChangedAfterwards_PlanUnchanged()
    {
        var models = new List<string> { "m1" };

        var plan = Plan.Create(TwoModels(), new PlanOverrides { Models = models }, File);
        models.Add("m2");

        Assert.Equal(["m1"], plan.Scenario.Models);
        Assert.Equal([new PlanCell("m1", Mode.Streaming, Target: "simulator"), new PlanCell("m1", Mode.NonStreaming, Target: "simulator")], plan.Cells);
    }

    [Fact]
    public void Create_PlanCollections_CannotBeChanged()
    {
        var plan = Plan.Create(TwoModels(), PlanOverrides.None, File);

        Assert.Throws<NotSupportedException>(() => ((ICollection<PlanCell>)plan.Cells).Clear());
        Assert.Throws<NotSupportedException>(() => ((ICollection<WorkloadStep>)plan.Steps).Clear());
        Assert.Throws<NotSupportedException>(() => ((ICollection<string>)plan.Scenario.Models).Clear());
    }

    public static TheoryData<PlanOverrides, string, string> BadFlags => new()
    {
        { new PlanOverrides { Load = StepKind.Inject, Rate = 1e308, Duration = TimeSpan.FromSeconds(1) }, "--rate",
            "must be at most 100,000 requests per second (got 1E+308), more than one client machine can send; split the load over several" },
        { new PlanOverrides { Load = StepKind.Inject, Rate = double.PositiveInfinity, Duration = TimeSpan.FromSeconds(1) }, "--rate",
            "must be a finite number of requests per second greater than 0 (got Infinity)" },
        { new PlanOverrides { Load = StepKind.Inject, Rate = double.NaN, Duration = TimeSpan.FromSeconds(1) }, "--rate",
            "must be a finite number of requests per second greater than 0 (got NaN)" },
        { new PlanOverrides { Load = StepKind.Inject, Rate = -3, Duration = TimeSpan.FromSeconds(1) }, "--rate",
            "must be a finite number of requests per second greater than 0 (got -3)" },
        { new PlanOverrides { Load = StepKind.KeepConstant, Concurrency = int.MaxValue, Duration = TimeSpan.FromSeconds(1) }, "--concurrency",
            "must be at most 100,000 (each request in flight holds its own connection; one client has about 28,000 ports per endpoint)" },
        { new PlanOverrides { Requests = int.MaxValue }, "--requests", "must be at most 100,000,000 (about 100 GB of records; split a longer run)" },
        { new PlanOverrides { Requests = 0 }, "--requests", "must be at least 1 (got 0)" },
        { new PlanOverrides { Load = StepKind.Pause, Duration = TimeSpan.MaxValue }, "--duration",
            "must be at most 2147483.647s (24.8 days, the longest wait .NET timers accept)" },
        { new PlanOverrides { TimeoutS = 1e10 }, "--timeout",
            "must be at most 2147483.647s (24.8 days, the longest wait .NET timers accept) (got 10000000000)" },
        { new PlanOverrides { TimeoutS = 0 }, "--timeout", "must be a number of seconds greater than 0 (got 0)" },
        { new PlanOverrides { TimeoutS = double.NaN }, "--timeout", "must be a number of seconds greater than 0 (got NaN)" },
        { new PlanOverrides { TimeoutS = -1 }, "--timeout", "must be a number of seconds greater than 0 (got -1)" },
        { new PlanOverrides { Retries = -1 }, "--retries", "must be between 0 and 100 (got -1)" },
        { new PlanOverrides { Retries = 101 }, "--retries", "must be between 0 and 100 (got 101)" },
    };

    [Theory]
    [MemberData(nameof(BadFlags))]
    public void Create_FlagOutOfBounds_NamesTheFlagNotTheFile(PlanOverrides overrides, string flag, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => Plan.Create(TwoModels(), overrides, File));

        Assert.Equal([new ConfigError("<command line>", flag, reason)], e.Errors);
    }

    [Fact]
    public void Create_Timeout_ReplacesTheScenariosTimeout()
    {
        var plan = Plan.Create(TwoModels(), new PlanOverrides { TimeoutS = 7.5 }, File);

        Assert.Equal(7.5, plan.Scenario.Request.TimeoutS);
        Assert.Equal(100, plan.Scenario.Request.PromptTokens);
    }

    [Fact]
    public void Create_Retries_OnePolicyRetriesNWithDefaults()
    {
        var plan = Plan.Create(TwoModels(), new PlanOverrides { Retries = 3 }, File);

        var policy = Assert.Single(plan.Scenario.Resilience);
        Assert.Equal("retries-3", policy.Name);
        Assert.Equal(new RetrySpec { MaxRetries = 3 }.MaxRetries, policy.Retry?.MaxRetries);
        Assert.True(policy.Retry?.HonourRetryAfter);
        Assert.True(policy.Retry?.Jitter);
        Assert.Null(policy.CircuitBreaker);
        Assert.All(plan.Cells, c => Assert.Equal("retries-3", c.Policy));
    }

    [Fact]
    public void Create_RetriesZero_NoPolicy()
    {
        var withPolicies = TwoModels() with { Resilience = [new ResiliencePolicy { Name = "a", Retry = new RetrySpec() }] };

        var plan = Plan.Create(withPolicies, new PlanOverrides { Retries = 0 }, File);

        Assert.Empty(plan.Scenario.Resilience);
        Assert.All(plan.Cells, c => Assert.Null(c.Policy));
    }

    [Fact]
    public void Create_NoRetriesFlag_KeepsTheScenariosPolicies()
    {
        var withPolicies = TwoModels() with { Resilience = [new ResiliencePolicy { Name = "a" }, new ResiliencePolicy { Name = "b" }] };

        var plan = Plan.Create(withPolicies, PlanOverrides.None, File);

        Assert.Equal(["a", "b"], plan.Scenario.Resilience.Select(p => p.Name));
    }
}
