using Bench.Core.Configuration;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

public class ScenarioLoaderTests
{
    private const string Valid = """
        // comments are allowed
        {
          "name": "s1",
          "target": { "base_url": "http://127.0.0.1:9/v1", "api_key_env": "MY_KEY" },
          "models": ["a", "b"],
          "modes": ["non-streaming"],
          "request": { "prompt_tokens": 50, "max_tokens": 20, "timeout_s": 5 },
          "workload": [
            { "type": "iterations_for_constant", "copies": 1, "iterations": 1, "warmup": true },
            { "type": "inject", "rate": 20, "interval": "1s", "duration": "30s", "max_concurrency": 8 },
            { "type": "pause", "duration": 0.5 },
          ],
          "slos": [ { "name": "chat", "max_ms": { "ttft_ms": 500, "tpot_ms": 50 }, "percentile": 99 } ],
          "seed": 7,
        }
        """;

    [Fact]
    public void Parse_ValidScenario_ReadsEveryField()
    {
        var s = ScenarioLoader.Parse(Valid, "s1.json");

        Assert.Equal("s1", s.Name);
        Assert.False(s.Target.IsSimulator);
        Assert.Equal(new Uri("http://127.0.0.1:9/v1"), s.Target.BaseUrl);
        Assert.Equal("MY_KEY", s.Target.ApiKeyEnv);
        Assert.Equal(["a", "b"], s.Models);
        Assert.Equal([Mode.NonStreaming], s.Modes);
        Assert.Equal(50, s.Request.PromptTokens);
        Assert.Equal(20, s.Request.MaxTokens);
        Assert.Equal(5, s.Request.TimeoutS);
        Assert.Equal(3, s.Workload.Count);
        Assert.True(s.Workload[0].Warmup);
        Assert.Equal(StepKind.Inject, s.Workload[1].Kind);
        Assert.Equal(20, s.Workload[1].Rate);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Workload[1].Duration);
        Assert.Equal(8, s.Workload[1].MaxConcurrency);
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.Workload[2].Duration);
        Assert.Equal(500, s.Slos[0].MaxMs["ttft_ms"]);
        Assert.Equal(99, s.Slos[0].Percentile);
        Assert.Equal(7, s.Seed);
    }

    [Fact]
    public void Parse_ManyErrors_ListsEveryOneWithFileAndPath()
    {
        const string bad = """
            {
              "name": "bad name!",
              "models": [],
              "modes": ["streaming", "batchy"],
              "request": { "max_tokens": "200", "colour": "red" },
              "workload": [
                { "type": "inject", "duration": "30 parsecs" },
                { "type": "teleport" },
                { "copies": 2 }
              ],
              "slos": [ { "name": "x", "max_ms": { "latency": 5 } } ]
            }
            """;

        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(bad, "scenarios/bad.json"));
        var paths = e.Errors.Select(x => x.Path).ToList();

        Assert.All(e.Errors, x => Assert.Equal("scenarios/bad.json", x.File));
        Assert.Contains("$.name", paths);
        Assert.Contains("$.models", paths);
        Assert.Contains("$.modes[1]", paths);
        Assert.Contains("$.request.max_tokens", paths);
        Assert.Contains("$.request.colour", paths);
        Assert.Contains("$.workload[0].duration", paths);
        Assert.Contains("$.workload[0].rate", paths);
        Assert.Contains("$.workload[1].type", paths);
        Assert.Contains("$.workload[2].type", paths);
        // A step without a known type gets that one error, not guesses about fields of some default type.
        Assert.DoesNotContain(paths, p => p.StartsWith("$.workload[1].", StringComparison.Ordinal) && p != "$.workload[1].type");
        Assert.DoesNotContain(paths, p => p.StartsWith("$.workload[2].", StringComparison.Ordinal) && p != "$.workload[2].type");
        Assert.Contains("$.slos[0].max_ms.latency", paths);
        Assert.Contains("expected a whole number, found the string \"200\"", e.Message);
        Assert.Contains("unknown step type 'teleport'", e.Message);
        Assert.StartsWith("scenarios/bad.json: ", e.Message);
    }

    [Fact]
    public void Parse_NotJson_NamesLine()
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse("{ \"name\": ", "x.json"));
        Assert.Equal("$", Assert.Single(e.Errors).Path);
        Assert.Contains("not valid JSON (line 1", e.Message);
    }

    [Fact]
    public void Load_MissingFile_IsAScenarioError()
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load("/nonexistent/scenario.json"));
        Assert.Equal("/nonexistent/scenario.json", Assert.Single(e.Errors).File);
    }

    [Fact]
    public void Parse_Collections_AreReadOnly()
    {
        var s = ScenarioLoader.Parse(Valid, "s1.json");

        Assert.Throws<NotSupportedException>(() => ((ICollection<string>)s.Models).Add("c"));
        Assert.Throws<NotSupportedException>(() => ((ICollection<Mode>)s.Modes).Clear());
        Assert.Throws<NotSupportedException>(() => ((IList<WorkloadStep>)s.Workload)[0] = new WorkloadStep());
        Assert.Throws<NotSupportedException>(() => ((ICollection<SloSet>)s.Slos).Clear());
        Assert.Throws<NotSupportedException>(() => ((IDictionary<string, double>)s.Slos[0].MaxMs)["e2e_ms"] = 1);
        Assert.Throws<NotSupportedException>(() => ((IDictionary<string, string>)s.Target.Tokenizers)["*"] = "none");
    }

    [Fact]
    public void Init_CallersCollectionsChangedAfterwards_ScenarioUnchanged()
    {
        var models = new List<string> { "a" };
        var maxMs = new Dictionary<string, double> { ["ttft_ms"] = 500, ["e2e_ms"] = 900 };
        var slo = new SloSet { Name = "chat", MaxMs = maxMs };
        var scenario = new Scenario { Models = models, Slos = [slo] };

        models.Add("b");
        maxMs["ttft_ms"] = 1;
        maxMs.Remove("e2e_ms");

        Assert.Equal(["a"], scenario.Models);
        Assert.Equal([KeyValuePair.Create("ttft_ms", 500.0), KeyValuePair.Create("e2e_ms", 900.0)], slo.MaxMs);
    }

    [Fact]
    public void Parse_OnlyWarmup_IsRejected()
    {
        const string json = """{ "models": ["a"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1, "warmup": true } ] }""";
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(json, "w.json"));
        Assert.Contains(e.Errors, x => x.Path == "$.workload" && x.Reason.Contains("nothing would be measured", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MaxConcurrencyOnAClosedStep_IsRejected_AndOpenStepsDefaultTheCap()
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(
            """{ "models": ["a"], "workload": [ { "type": "keep_constant", "copies": 4, "duration": "10s", "max_concurrency": 8 } ] }""", "c.json"));
        var error = Assert.Single(e.Errors);
        Assert.Equal(("c.json", "$.workload[0].max_concurrency", "applies to open steps only; keep_constant keeps copies requests in flight"),
            (error.File, error.Path, error.Reason));

        var zero = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(
            """{ "models": ["a"], "workload": [ { "type": "inject", "rate": 5, "duration": "10s", "max_concurrency": 0 } ] }""", "z.json"));
        Assert.Equal("$.workload[0].max_concurrency", Assert.Single(zero.Errors).Path);

        var open = ScenarioLoader.Parse("""{ "models": ["a"], "workload": [ { "type": "poisson", "rate": 5, "duration": "10s" }, { "type": "inject", "rate": 5, "duration": "10s", "max_concurrency": 3 }, { "type": "iterations_for_constant", "copies": 2, "iterations": 4 } ] }""", "o.json");
        Assert.Equal([WorkloadStep.DefaultMaxConcurrency, 3, null], open.Workload.Select(w => w.InFlightCap));
        Assert.Equal(1000, WorkloadStep.DefaultMaxConcurrency);
    }

    [Fact]
    public void Writer_RoundTrips_ThroughLoader()
    {
        var original = ScenarioLoader.Parse(Valid, "s1.json");
        var json = ScenarioWriter.ToJson(original).GetRawText();
        var again = ScenarioLoader.Parse(json, "roundtrip.json");

        Assert.Equal(ScenarioWriter.ToJson(original).GetRawText(), ScenarioWriter.ToJson(again).GetRawText());
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("12", 12_000)]
    public void Durations_Parse_KnownUnits(string text, double ms)
    {
        Assert.True(Durations.TryParse(text, out var d));
        Assert.Equal(ms, d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1s")]
    [InlineData("ten seconds")]
    public void Durations_Parse_RejectsNonsense(string text) => Assert.False(Durations.TryParse(text, out _));
}
