using Bench.Core.Configuration;
using Bench.Core.Metrics;
using Bench.Core.Planning;
using Bench.Core.Prompts;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Prompts;

/// <summary>Per-cell prompt sources (<c>cell_requests</c>): a cell takes the first entry naming it, fields left out stay
/// the scenario's request's; bad entries are file, path and reason before anything is sent; run.json keeps them.</summary>
public sealed class CellRequestsTests
{
    private const string Json = """
        { "models": ["gpt-4.1", "claude-sonnet-4.5"], "modes": ["streaming", "non-streaming"],
          "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ],
          "request": { "prompt_tokens": 300, "max_tokens": 150, "system_prompt": "Be brief." },
          "cell_requests": [
            { "cells": ["claude-*"], "request": { "shared_prefix": { "tokens": 1024, "groups": 2 }, "output_tokens": { "type": "fixed", "value": 40 } } },
            { "cells": ["*:non-streaming"], "request": { "max_tokens": 50, "dataset": { "path": "data/p.jsonl" } } }
          ] }
        """;

    [Fact]
    public void RequestFor_FirstEntryNamingTheCellWins_FieldsLeftOutStayTheScenarios()
    {
        var scenario = ScenarioLoader.Parse(Json, "s.json");

        var claudeStreaming = scenario.RequestFor(new CellKey("simulator", "claude-sonnet-4.5", Mode.Streaming, null));
        var claudeWhole = scenario.RequestFor(new CellKey("simulator", "claude-sonnet-4.5", Mode.NonStreaming, null));
        var gptWhole = scenario.RequestFor(new CellKey("simulator", "gpt-4.1", Mode.NonStreaming, null));
        var gptStreaming = scenario.RequestFor(new CellKey("simulator", "gpt-4.1", Mode.Streaming, null));

        Assert.Equal(new SharedPrefixSpec { Tokens = 1024, Groups = 2 }, claudeStreaming.SharedPrefix);
        Assert.Equal(40, claudeStreaming.OutputTokens!.Value);
        Assert.Equal((300, 150, "Be brief."), (claudeStreaming.PromptTokens, claudeStreaming.MaxTokens, claudeStreaming.SystemPrompt));
        Assert.Equal(claudeStreaming, claudeWhole); // the first entry names it; the second does not apply on top
        Assert.Equal((50, "data/p.jsonl", 300), (gptWhole.MaxTokens, gptWhole.Dataset!.Path, gptWhole.PromptTokens));
        Assert.Null(gptWhole.SharedPrefix);
        Assert.Same(scenario.Request, gptStreaming);
    }

    [Fact]
    public void Sources_EachCellDrawsFromItsOwn_TheOthersSendTheClassicRequest()
    {
        var scenario = ScenarioLoader.Parse(Json, "s.json") with { CellRequests = [ScenarioLoader.Parse(Json, "s.json").CellRequests[0]] };
        var sources = CellPromptSources.For(scenario);

        var claude = sources.For(new CellKey(null, "claude-sonnet-4.5", Mode.Streaming, null)).Source.Draw(7, "claude-sonnet-4.5");
        var gpt = sources.For(new CellKey(null, "gpt-4.1", Mode.Streaming, null)).Source.Draw(7, "gpt-4.1");

        Assert.NotNull(claude.PrefixGroup);
        Assert.Equal(40, claude.IntendedCompletionTokens);
        Assert.Equal(["system", "system", "user"], claude.Messages.Select(m => m.Role));
        Assert.Null(gpt.IntendedPromptTokens); // classic: exactly the request Bench always sent
        Assert.Equal(150, gpt.MaxTokens);
        Assert.Equal(2, sources.All.Count);
    }

    [Fact]
    public void Loader_BadEntries_AreFilePathAndReason()
    {
        var error = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse("""
            { "models": ["m"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ],
              "cell_requests": [
                { "cells": [], "request": { "max_tokens": 5 } },
                { "cells": ["m:streaming:"], "request": { } },
                { "cells": ["m"], "request": { "timeout_s": 5 } },
                { "cells": ["m"], "request": { "max_tokens": 0, "input_tokens": { "type": "uniform", "min": 9, "max": 3 } } }
              ] }
            """, "s.json"));

        var paths = error.Errors.Select(e => e.Path).ToList();
        Assert.Contains("$.cell_requests[0].cells", paths);
        Assert.Contains("$.cell_requests[1].cells[0]", paths);
        Assert.Contains(paths, p => p.StartsWith("$.cell_requests[2].request.timeout_s", StringComparison.Ordinal));
        Assert.Contains("$.cell_requests[3].request.max_tokens", paths);
        Assert.Contains(paths, p => p.StartsWith("$.cell_requests[3].request.input_tokens", StringComparison.Ordinal));
        Assert.All(error.Errors, e => Assert.Equal("s.json", e.File));
    }

    [Fact]
    public void Plan_ASelectorNamingNoCell_IsAnError()
    {
        var scenario = ScenarioLoader.Parse(Json, "s.json");

        var error = Assert.Throws<ConfigException>(() => Plan.Create(scenario, new PlanOverrides { Models = ["gpt-4.1"] }, "s.json"));

        var only = Assert.Single(error.Errors);
        Assert.Equal("$.cell_requests[0].cells[0]", only.Path);
        Assert.Contains("'claude-*' matches no cell of the plan", only.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ResolvesCellDatasets_FlagsWinOverCells_AndTheDescriptionNamesThem()
    {
        var scenarioFile = Path.Combine(Path.GetTempPath(), "bench-cells", "s.json");
        var scenario = ScenarioLoader.Parse(Json, scenarioFile);

        var plan = Plan.Create(scenario, PlanOverrides.None, scenarioFile);
        var flagged = Plan.Create(scenario, new PlanOverrides { MaxTokens = 77, Dataset = "mine.jsonl" }, scenarioFile);

        Assert.Equal(Path.Combine(Path.GetTempPath(), "bench-cells", "data", "p.jsonl"), plan.Scenario.CellRequests[1].Request.Dataset!.Path);
        Assert.Contains("; for claude-*: prompt 300 tokens behind a shared prefix of 1024 tokens (2 groups, 100 % of requests), answer lengths drawn (fixed)", plan.Description, StringComparison.Ordinal);
        Assert.Contains("; for *:non-streaming: prompts from p.jsonl, answer lengths from the dataset where it gives them, else max_tokens 50", plan.Description, StringComparison.Ordinal);
        var whole = flagged.Scenario.RequestFor(new CellKey("simulator", "gpt-4.1", Mode.NonStreaming, null));
        Assert.Equal((77, Path.GetFullPath("mine.jsonl")), (whole.MaxTokens, whole.Dataset!.Path));
    }

    [Fact]
    public void Writer_RoundTripsTheEntries_WithOnlyTheFieldsGiven()
    {
        var scenario = ScenarioLoader.Parse(Json, "s.json");

        var json = ScenarioWriter.ToJson(scenario);
        var again = ScenarioLoader.Parse(json.GetRawText(), "run.json");

        Assert.Equal(scenario.CellRequests.Count, again.CellRequests.Count);
        for (var i = 0; i < scenario.CellRequests.Count; i++)
        {
            Assert.Equal(scenario.CellRequests[i].Cells, again.CellRequests[i].Cells);
            Assert.Equal(scenario.CellRequests[i].Request, again.CellRequests[i].Request);
        }

        var first = json.GetProperty("cell_requests")[0].GetProperty("request");
        Assert.Equal(["shared_prefix", "output_tokens"], first.EnumerateObject().Select(p => p.Name).Order().Reverse());
        Assert.False(ScenarioWriter.ToJson(ScenarioLoader.Parse("""{ "models": ["m"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ] }""", "s.json"))
            .TryGetProperty("cell_requests", out _));
    }
}
