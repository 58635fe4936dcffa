using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

public sealed class ConversationSpecTests
{
    private static string Json(string conversation, string modes = """["streaming"]""") => $$"""
        {
          "name": "c",
          "target": { "simulator": true },
          "models": ["gpt-4.1"],
          "modes": {{modes}},
          "request": { "conversation": {{conversation}} },
          "workload": [ { "type": "iterations_for_constant", "copies": 2, "iterations": 8 } ]
        }
        """;

    [Fact]
    public void Parse_TurnsAndThinkTime_Read()
    {
        var scenario = ScenarioLoader.Parse(Json("""{ "turns": { "type": "uniform", "min": 2, "max": 4 }, "think_time_ms": { "type": "fixed", "value": 500 } }"""), "c.json");

        var conversation = Assert.IsType<ConversationSpec>(scenario.Request.Conversation);
        Assert.Equal(DistributionKind.Uniform, conversation.Turns!.Kind);
        Assert.Equal(500, conversation.ThinkTimeMs!.Value);
    }

    [Theory]
    [InlineData("""{ "turns": { "type": "fixed", "value": 0 } }""", "$.request.conversation.turns.value")]
    [InlineData("""{ "turns": { "type": "uniform", "min": 0, "max": 3 } }""", "$.request.conversation.turns.min")]
    [InlineData("""{ "turns": { "type": "fixed", "value": 1001 } }""", "$.request.conversation.turns.value")]
    [InlineData("""{ "turns": { "type": "histogram", "bins": [ { "from": 0, "to": 2, "weight": 1 } ] } }""", "$.request.conversation.turns.bins[0]")]
    [InlineData("""{ "turns": { "type": "fixed", "value": 2 }, "think_time_ms": { "type": "fixed", "value": -1 } }""", "$.request.conversation.think_time_ms.value")]
    [InlineData("""{ "turns": { "type": "fixed", "value": 2 }, "think_time_ms": { "type": "normal", "mean": 10, "stddev": 1, "min": -5 } }""", "$.request.conversation.think_time_ms.min")]
    public void Parse_TurnsBelowOneOrNegativeThinkTime_RefusedAtItsPath(string conversation, string path)
    {
        var error = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Json(conversation), "c.json"));

        Assert.Contains(error.Errors, e => e.Path == path && e.File == "c.json");
    }

    [Fact]
    public void Parse_ConversationWithBatchApi_RefusedWithTheReason()
    {
        var error = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Json("""{ "turns": { "type": "fixed", "value": 3 } }""", """["streaming", "batch-api"]"""), "c.json"));

        var problem = Assert.Single(error.Errors);
        Assert.Equal("$.request.conversation", problem.Path);
        Assert.Contains("batch", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_Conversation_RoundTripsForAResumedRun()
    {
        var scenario = ScenarioLoader.Parse(Json("""
            { "turns": { "type": "histogram", "bins": [ { "from": 1, "to": 3, "weight": 2 }, { "from": 3, "to": 6, "weight": 0.5 } ] },
              "think_time_ms": { "type": "log_normal", "median": 800, "sigma": 0.5, "max": 5000 } }
            """), "c.json");

        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(scenario).GetRawText(), "run.json");

        var conversation = again.Request.Conversation!;
        Assert.Equal(scenario.Request.Conversation!.Turns!.Bins, conversation.Turns!.Bins);
        Assert.Equal(DistributionKind.Histogram, conversation.Turns.Kind);
        Assert.Equal(scenario.Request.Conversation.ThinkTimeMs, conversation.ThinkTimeMs);
    }

    [Fact]
    public void ToJson_NoConversation_NoKey()
    {
        var scenario = ScenarioLoader.Parse(Json("""{ "turns": { "type": "fixed", "value": 2 } }"""), "c.json") with { Request = new RequestShape() };

        Assert.DoesNotContain("conversation", ScenarioWriter.ToJson(scenario).GetRawText(), StringComparison.Ordinal);
    }
}
