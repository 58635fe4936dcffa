using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

/// <summary>The scenario's caps on what is read of a response: <c>request.max_response_bytes</c> and
/// <c>request.max_event_bytes</c>.</summary>
public class ResponseCapFieldsTests
{
    private static string Scenario(string request) =>
        $$"""{ "models": ["a"], "request": {{{request}}}, "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ] }""";

    [Fact]
    public void Parse_NoCaps_Defaults16MiBAnd8MiB()
    {
        var s = ScenarioLoader.Parse(Scenario(""), "s.json");

        Assert.Equal((16 * 1024 * 1024, 8 * 1024 * 1024), (s.Request.MaxResponseBytes, s.Request.MaxEventBytes));
    }

    [Fact]
    public void Parse_Caps_ReadAndWrittenBack()
    {
        var s = ScenarioLoader.Parse(Scenario("\"max_response_bytes\": 1048576, \"max_event_bytes\": 65536"), "s.json");
        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(s).GetRawText(), "again.json");

        Assert.Equal((1048576, 65536), (s.Request.MaxResponseBytes, s.Request.MaxEventBytes));
        Assert.Equal(s.Request, again.Request);
    }

    [Fact]
    public void Writer_DefaultCaps_NotWritten()
    {
        var json = ScenarioWriter.ToJson(ScenarioLoader.Parse(Scenario(""), "s.json")).GetRawText();

        Assert.DoesNotContain("max_response_bytes", json, StringComparison.Ordinal);
        Assert.DoesNotContain("max_event_bytes", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max_response_bytes", "1023")]
    [InlineData("max_response_bytes", "1073741825")]
    [InlineData("max_event_bytes", "0")]
    [InlineData("max_event_bytes", "-5")]
    public void Parse_CapOutOfRange_RefusedWithPathAndReason(string field, string value)
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Scenario($"\"{field}\": {value}"), "s.json"));

        var error = Assert.Single(e.Errors);
        Assert.Equal($"$.request.{field}", error.Path);
        Assert.Contains("must be from 1024 (1 KiB) to 1073741824 (1 GiB) bytes", error.Reason, StringComparison.Ordinal);
    }
}
