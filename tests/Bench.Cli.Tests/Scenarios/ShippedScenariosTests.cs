using System.Runtime.CompilerServices;
using Bench.Core.Configuration;
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
    public async Task Schema_RejectsWhatTheLoaderRejects()
    {
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(ScenariosDir(), "scenario.schema.json")));
        const string bad = """{ "models": ["m"], "workload": [ { "type": "inject", "duration": "30s" }, { "type": "teleport" } ], "colour": 1 }""";

        var errors = schema.Validate(bad);

        Assert.NotEmpty(errors);
        Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(bad, "bad.json"));
    }
}
