using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

/// <summary>The request's connect, first-byte and idle timeouts (issue 10 §6): defaults, reading, and refusal of values
/// no timer can run (not positive, or past <see cref="int.MaxValue"/> milliseconds).</summary>
public class ScenarioTimeoutsTests
{
    private static string Scenario(string request) => $$"""
        {
          "name": "t",
          "models": ["m"],
          "request": {{request}},
          "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ]
        }
        """;

    [Fact]
    public void Parse_NoTimeoutsGiven_ConnectTenSecondsOthersUnset()
    {
        var s = ScenarioLoader.Parse(Scenario("{}"), "t.json");

        Assert.Equal(120, s.Request.TimeoutS);
        Assert.Equal(10, s.Request.ConnectTimeoutS);
        Assert.Null(s.Request.FirstByteTimeoutS);
        Assert.Null(s.Request.IdleTimeoutS);
    }

    [Fact]
    public void Parse_TimeoutsGiven_ReadAndWrittenBack()
    {
        var s = ScenarioLoader.Parse(Scenario("""{ "connect_timeout_s": 2.5, "first_byte_timeout_s": 30, "idle_timeout_s": 0.25 }"""), "t.json");
        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(s).GetRawText(), "again.json");

        Assert.Equal((2.5, 30.0, 0.25), (s.Request.ConnectTimeoutS, s.Request.FirstByteTimeoutS, s.Request.IdleTimeoutS));
        Assert.Equal(s.Request, again.Request);
    }

    [Theory]
    [InlineData("connect_timeout_s", "0")]
    [InlineData("first_byte_timeout_s", "-1")]
    [InlineData("idle_timeout_s", "2147484")]
    [InlineData("connect_timeout_s", "1e308")]
    public void Parse_TimeoutOutOfRange_RefusedWithFieldAndReason(string field, string value)
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Scenario($$"""{ "{{field}}": {{value}} }"""), "t.json"));

        var error = Assert.Single(e.Errors);
        Assert.Equal($"$.request.{field}", error.Path);
        Assert.StartsWith("must be greater than 0 and at most 2147483.647", error.Reason, StringComparison.Ordinal);
    }
}
