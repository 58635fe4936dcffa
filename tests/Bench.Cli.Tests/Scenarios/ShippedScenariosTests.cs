using System.Runtime.CompilerServices;
using Bench.Core.Configuration;
using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Simulator.Profiles;
using NJsonSchema;

namespace Bench.Cli.Tests.Scenarios;

/// <summary>Every scenario shipped in <c>scenarios/</c> is valid three ways: against the published JSON Schema,
/// through Bench's own loader, and against the simulator profiles it names.</summary>
public class ShippedScenariosTests
{
    private static string ScenariosDir([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "scenarios"));

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(ScenariosDir(), "*.json", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}profiles{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.EndsWith(".schema.json", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(ScenariosDir(), file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Scenario_ValidatesAgainstSchema_LoadsAndNamesKnownProfiles(string relative)
    {
        var path = Path.Combine(ScenariosDir(), relative);
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(ScenariosDir(), "scenario.schema.json")));

        // Scenario files allow comments and trailing commas; the schema validator (Newtonsoft-based) does not,
        // so the text is normalised through System.Text.Json first.
        var errors = schema.Validate(WithoutComments(await File.ReadAllTextAsync(path)));
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));

        var scenario = ScenarioLoader.Load(path);
        if (scenario.Target.IsSimulator)
        {
            var profiles = ProfileLoader.LoadDirectory(Path.Combine(Path.GetDirectoryName(path)!, scenario.Target.Profiles));
            Assert.All(scenario.Models, m => Assert.Contains(m, profiles.Select(p => p.Model)));
        }
    }

    private static string WithoutComments(string json) =>
        System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions
        {
            CommentHandling = System.Text.Json.JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        })!.ToJsonString();

    [Fact]
    public void Faults_EveryKindInBothModes_HangsEndWithinTheClientsDeadlines()
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ScenariosDir(), "faults.json"));

        Assert.Single(scenario.Models);
        Assert.Equal([Mode.Streaming, Mode.NonStreaming], scenario.Modes);
        Assert.Equal(Enum.GetValues<FaultKind>(), scenario.Faults.Select(f => f.Kind).Distinct().Order());
        foreach (var mode in scenario.Modes)
        {
            // Every kind reaches both modes, but missing_done, which a JSON body cannot carry.
            var kinds = scenario.Faults.Where(f => f.AppliesTo(scenario.Models[0], mode)).Select(f => f.Kind).ToHashSet();
            Assert.Equal(Enum.GetValues<FaultKind>().Length - (mode == Mode.NonStreaming ? 1 : 0), kinds.Count);
        }

        // Hangs without a duration end at the first-byte or idle deadline, well inside the overall timeout; stalls are
        // shorter than the idle deadline, so they end as slow successes.
        var request = scenario.Request;
        Assert.True(request.FirstByteTimeoutS < request.TimeoutS && request.IdleTimeoutS < request.TimeoutS);
        Assert.All(scenario.Faults.Where(f => f.Kind is FaultKind.HangBeforeHeaders or FaultKind.HangBeforeFirstToken), f => Assert.Null(f.DurationS));
        Assert.All(scenario.Faults.Where(f => f.Kind == FaultKind.Stall), f => Assert.True(f.DurationS < request.IdleTimeoutS));
        Assert.All(scenario.Faults, f => Assert.True(f.FromS is null && f.ToS is null, "constant rates, so the taxonomy is compared too"));
    }

    [Fact]
    public void Resilience_OneFaultMix_FourPoliciesSideBySide()
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ScenariosDir(), "resilience.json"));

        Assert.Equal(["none", "retries", "retries+breaker", "rate-limiter"], scenario.Resilience.Select(p => p.Name));
        Assert.True(scenario.Resilience[0].IsNone);
        Assert.NotNull(scenario.Resilience[1].Retry);
        Assert.NotNull(scenario.Resilience[2].CircuitBreaker);
        Assert.NotNull(scenario.Resilience[3].RateLimiter);
        Assert.NotNull(scenario.RateLimits?.Rpm);
        var incident = Assert.Single(scenario.Faults, f => f.Kind == FaultKind.ServerError);
        Assert.Equal((503, 0.5), (incident.Status, incident.Rate));
        Assert.True(incident.FromS > 0 && incident.ToS is not null);
        Assert.Contains(scenario.Faults, f => f.Kind == FaultKind.Trickle);

        // A few minutes at most: the cells' load (every step's duration) for every policy.
        var perCell = scenario.Workload.Sum(w => w.Duration!.Value.TotalSeconds);
        Assert.True(perCell * scenario.Resilience.Count * scenario.Models.Count * scenario.Modes.Count <= 240);
    }

    [Fact]
    public void SeedRelay_TenThousandPerMode_WithShortDeadlines()
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ScenariosDir(), "seed-relay.json"));

        Assert.Equal(["seed-relay"], scenario.Models);
        Assert.Equal(2, scenario.Modes.Count);
        var measured = Assert.Single(scenario.Workload, w => !w.Warmup);
        Assert.Equal((10_000, 64), (measured.Iterations, measured.Copies));
        Assert.InRange(scenario.Request.FirstByteTimeoutS!.Value, 2, 3);
        Assert.InRange(scenario.Request.IdleTimeoutS!.Value, 2, 3);
        Assert.Empty(scenario.Faults); // the profile carries the taxonomy
    }

    [Fact]
    public async Task Schema_RejectsWhatTheLoaderRejects()
    {
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(ScenariosDir(), "scenario.schema.json")));
        const string bad = """{ "models": ["m"], "workload": [ { "type": "inject", "duration": "30s" }, { "type": "teleport" } ], "colour": 1 }""";

        var errors = schema.Validate(bad);

        Assert.NotEmpty(errors);
        Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(bad, "bad.json"));
    }
}
