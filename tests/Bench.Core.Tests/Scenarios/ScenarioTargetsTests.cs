using Bench.Core.Configuration;
using Bench.Core.Scenarios;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Scenarios;

/// <summary>Scenario <c>targets</c>: several named targets, their fields, and the rules across them.</summary>
public class ScenarioTargetsTests
{
    private const string Workload = """ "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 2 } ] """;

    private static Scenario Parse(string targets, string extra = "") => ScenarioLoader.Parse(
        $$"""{ "targets": {{targets}}, "models": ["gpt-4o", "claude"], {{extra}} {{Workload}} }""", "t.json");

    private static ConfigError SingleError(string json)
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(json, "t.json"));
        return Assert.Single(e.Errors);
    }

    [Fact]
    public void Parse_EveryField_Read()
    {
        var scenario = Parse("""
            [
              { "name": "direct", "simulator": true },
              { "name": "relay", "base_url": "https://relay.example/v1", "protocol": "anthropic-messages",
                "api_key_file": "key.txt", "headers": { "x-relay": "1" }, "query": { "api-version": "2024-10-21" },
                "body": { "provider": { "order": ["a"] }, "top_k": 3 }, "model_map": { "claude": "anthropic/claude" },
                "billing": { "currency": "CNY", "units_per_list_usd": 1, "market_units_per_usd": 7.1 }, "models": ["claude"] }
            ]
            """);

        Assert.Equal(["direct", "relay"], scenario.EffectiveTargets.Select(t => t.Name));
        var relay = scenario.Targets[1];
        Assert.Equal(WireProtocol.AnthropicMessages, relay.Protocol);
        Assert.Equal("ANTHROPIC_API_KEY", relay.ApiKeyEnv);
        Assert.Equal("1", relay.Headers["x-relay"]);
        Assert.Equal("2024-10-21", relay.Query["api-version"]);
        Assert.Equal(3, relay.Body["top_k"].GetInt32());
        Assert.Equal("a", relay.Body["provider"].GetProperty("order")[0].GetString());
        Assert.Equal("anthropic/claude", relay.ModelMap["claude"]);
        Assert.Equal(1m, relay.Billing!.UnitsPerListUsd);
        Assert.True(relay.Serves("claude"));
        Assert.False(relay.Serves("gpt-4o"));
        Assert.True(scenario.Targets[0].Serves("gpt-4o"));
    }

    [Theory]
    [InlineData("openai-chat", "OPENAI_API_KEY")]
    [InlineData("openai-responses", "OPENAI_API_KEY")]
    [InlineData("anthropic-messages", "ANTHROPIC_API_KEY")]
    [InlineData("gemini", "GEMINI_API_KEY")]
    public void ApiKeyEnv_NotGiven_DefaultsByProtocol(string protocol, string expected) =>
        Assert.Equal(expected, Parse($$"""[ { "name": "t", "base_url": "https://x.example/v1", "protocol": "{{protocol}}" } ]""").Targets[0].ApiKeyEnv);

    [Fact]
    public void ApiKeyEnv_Given_Kept() =>
        Assert.Equal("MY_KEY", Parse("""[ { "name": "t", "base_url": "https://x.example/v1", "protocol": "gemini", "api_key_env": "MY_KEY" } ]""").Targets[0].ApiKeyEnv);

    [Theory]
    [InlineData(null, "simulator")]
    [InlineData("https://api.openai.com/v1", "api.openai.com")]
    public void EffectiveTargets_SingleForm_NamedBySimulatorOrHost(string? url, string expected)
    {
        var target = url is null ? """{ "simulator": true }""" : $$"""{ "base_url": "{{url}}" }""";

        var scenario = ScenarioLoader.Parse($$"""{ "target": {{target}}, "models": ["m"], {{Workload}} }""", "t.json");

        Assert.Equal(expected, Assert.Single(scenario.EffectiveTargets).Name);
    }

    [Fact]
    public void EffectiveTargets_SingleFormWithName_KeepsIt() =>
        Assert.Equal("mine", Assert.Single(ScenarioLoader.Parse($$"""{ "target": { "name": "mine" }, "models": ["m"], {{Workload}} }""", "t.json").EffectiveTargets).Name);

    [Fact]
    public void Validate_BothForms_ErrorNamesBoth()
    {
        var error = SingleError($$"""{ "target": { "simulator": true }, "targets": [ { "name": "a" } ], "models": ["m"], {{Workload}} }""");

        Assert.Contains("target", error.Reason, StringComparison.Ordinal);
        Assert.Contains("targets", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateNames_ErrorAtTheSecond() =>
        Assert.Equal("$.targets[1].name", SingleError($$"""{ "targets": [ { "name": "a" }, { "name": "a" } ], "models": ["m"], {{Workload}} }""").Path);

    [Fact]
    public void Validate_UnnamedInList_Error() =>
        Assert.Equal("$.targets[0].name", SingleError($$"""{ "targets": [ { "simulator": true } ], "models": ["m"], {{Workload}} }""").Path);

    [Fact]
    public void Validate_BadName_Error() =>
        Assert.Equal("$.targets[0].name", SingleError($$"""{ "targets": [ { "name": "a b" } ], "models": ["m"], {{Workload}} }""").Path);

    [Fact]
    public void Validate_ModelMapKeyNotAModel_Error() =>
        Assert.Equal("$.targets[0].model_map.nope",
            SingleError($$"""{ "targets": [ { "name": "a", "model_map": { "nope": "x" } } ], "models": ["m"], {{Workload}} }""").Path);

    [Fact]
    public void Validate_ServedModelNotAModel_Error() =>
        Assert.Equal("$.targets[0].models[0]",
            SingleError($$"""{ "targets": [ { "name": "a", "models": ["nope"] } ], "models": ["m"], {{Workload}} }""").Path);

    [Fact]
    public void Validate_BatchApiOnAnthropicTarget_Error()
    {
        var error = SingleError($$"""
            { "targets": [ { "name": "b", "protocol": "anthropic-messages" } ], "models": ["m"],
              "modes": ["batch-api"], {{Workload}} }
            """);

        Assert.Equal("$.targets[0].protocol", error.Path);
        Assert.Contains("openai-chat", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BatchApiWithTwoTargets_Error() =>
        Assert.Equal("$.modes", SingleError($$"""{ "targets": [ { "name": "a" }, { "name": "b" } ], "models": ["m"], "modes": ["batch-api"], {{Workload}} }""").Path);

    [Fact]
    public void Validate_AddedLatencyOnRealTarget_Error() =>
        Assert.Equal("$.targets[0].added_latency_ms",
            SingleError($$"""{ "targets": [ { "name": "a", "base_url": "https://x.example/v1", "added_latency_ms": 40 } ], "models": ["m"], {{Workload}} }""").Path);

    [Fact]
    public void Validate_KeylessWithKeyFile_Error() =>
        Assert.Equal("$.targets[0].api_key_file",
            SingleError($$"""{ "targets": [ { "name": "a", "base_url": "http://127.0.0.1:8000/v1", "keyless": true, "api_key_file": "k" } ], "models": ["m"], {{Workload}} }""").Path);

    [Fact]
    public void Validate_FaultsWithOneSimulatorTarget_Accepted() =>
        Assert.Single(Parse("""[ { "name": "sim" }, { "name": "real", "base_url": "https://x.example/v1" } ]""",
            """ "faults": [ { "kind": "rate_limited", "rate": 0.1 } ], """).Faults);

    [Fact]
    public void Validate_FaultsWithoutSimulatorTarget_Error() =>
        Assert.Equal("$.faults", SingleError($$"""
            { "targets": [ { "name": "real", "base_url": "https://x.example/v1" } ], "models": ["m"],
              "faults": [ { "kind": "rate_limited", "rate": 0.1 } ], {{Workload}} }
            """).Path);

    [Fact]
    public void Writer_Targets_RoundTrip()
    {
        var original = Parse("""[ { "name": "a", "added_latency_ms": 40, "body": { "k": [1, 2] } }, { "name": "b", "keyless": true, "base_url": "http://127.0.0.1:9/v1" } ]""");

        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(original).GetRawText(), "again.json");

        Assert.Equal(["a", "b"], again.Targets.Select(t => t.Name));
        Assert.Equal(40, again.Targets[0].AddedLatencyMs);
        Assert.Equal(2, again.Targets[0].Body["k"][1].GetInt32());
        Assert.True(again.Targets[1].Keyless);
    }
}
