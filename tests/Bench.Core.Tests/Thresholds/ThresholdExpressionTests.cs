using Bench.Core.Metrics;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Thresholds;

namespace Bench.Core.Tests.Thresholds;

public class ThresholdExpressionTests
{
    [Theory]
    [InlineData("ttft_ms_p95<500", "ttft_ms_p95", ThresholdOperator.Less, 500)]
    [InlineData("ttft_ms_p95<=500", "ttft_ms_p95", ThresholdOperator.LessOrEqual, 500)]
    [InlineData("success_rate>0.99", "success_rate", ThresholdOperator.Greater, 0.99)]
    [InlineData("success_rate>=0.99", "success_rate", ThresholdOperator.GreaterOrEqual, 0.99)]
    [InlineData("success_rate==1", "success_rate", ThresholdOperator.Equal, 1)]
    [InlineData("failed_timeout!=3", "failed_timeout", ThresholdOperator.NotEqual, 3)]
    [InlineData("  cost_usd_per_1k_requests   <   2  ", "cost_usd_per_1k_requests", ThresholdOperator.Less, 2)]
    [InlineData("e2e_ms_p99<1e3", "e2e_ms_p99", ThresholdOperator.Less, 1000)]
    [InlineData("output_tps > -0.5", "output_tps", ThresholdOperator.Greater, -0.5)]
    [InlineData("goodput_rps_interactive>=2", "goodput_rps_interactive", ThresholdOperator.GreaterOrEqual, 2)]
    [InlineData("slo_interactive_good_fraction>=0.95", "slo_interactive_good_fraction", ThresholdOperator.GreaterOrEqual, 0.95)]
    public void Parse_EveryOperatorAndSpacing_ReadsMetricOperatorAndLimit(string text, string metric, ThresholdOperator op, double limit)
    {
        var expression = ThresholdExpression.Parse(text);

        Assert.Equal(metric, expression.Metric.Id);
        Assert.Equal(op, expression.Operator);
        Assert.Equal(limit, expression.Limit);
        Assert.Empty(expression.Cells);
        Assert.Equal(text.Trim(), expression.Text);
    }

    [Fact]
    public void Parse_SelectorsInBraces_SplitModelModeAndPolicy_KeepingColonsInModelIds()
    {
        var expression = ThresholdExpression.Parse("e2e_ms_p99{gpt-4.1:streaming, *:non-streaming, llama3:8b:streaming:retries-3, openai/gpt-4o} < 3000");

        Assert.Equal(4, expression.Cells.Count);
        Assert.Equal(("gpt-4.1", "streaming", (string?)null), (expression.Cells[0].Model, expression.Cells[0].Mode, expression.Cells[0].Policy));
        Assert.Equal(("*", "non-streaming", (string?)null), (expression.Cells[1].Model, expression.Cells[1].Mode, expression.Cells[1].Policy));
        Assert.Equal(("llama3:8b", "streaming", "retries-3"), (expression.Cells[2].Model, expression.Cells[2].Mode, expression.Cells[2].Policy));
        Assert.Equal(("openai/gpt-4o", (string?)null, (string?)null), (expression.Cells[3].Model, expression.Cells[3].Mode, expression.Cells[3].Policy));
        Assert.Equal(3000, expression.Limit);
    }

    [Theory]
    [InlineData("", "the expression is empty")]
    [InlineData("<500", "does not start with a metric id")]
    [InlineData("ttft_ms_p95 500", "expected an operator after ttft_ms_p95 but found '500'")]
    [InlineData("ttft_ms_p95", "expected an operator after ttft_ms_p95 but found the end")]
    [InlineData("success_rate=1", "'=' is not an operator; use ==")]
    [InlineData("ttft_ms_p95<", "the number after < is missing")]
    [InlineData("ttft_ms_p95<500ms", "'500ms' is not a number")]
    [InlineData("ttft_ms_p95<0,5", "'0,5' is not a number")]
    [InlineData("ttft_ms_p95<NaN", "'NaN' is not a number")]
    [InlineData("ttft_ms_p95{gpt-4.1<500", "is not closed with '}'")]
    [InlineData("ttft_ms_p95{}<500", "a cell selector is empty")]
    [InlineData("ttft_ms_p95{:streaming}<500", "the model is missing")]
    [InlineData("ttft_ms_p96<500", "unknown metric 'ttft_ms_p96'; nearest known: ttft_ms_p90, ttft_ms_p95, ttft_ms_p99")]
    [InlineData("requests>10", "'requests' cannot be a threshold: it is a count or label with no better direction")]
    [InlineData("ttft_ms<500", "'ttft_ms' cannot be a threshold: it is a per-request value")]
    public void TryParse_Invalid_GivesTheReason(string text, string reason)
    {
        Assert.False(ThresholdExpression.TryParse(text, out var expression, out var error));
        Assert.Null(expression);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithTheReason()
    {
        var e = Assert.Throws<FormatException>(() => ThresholdExpression.Parse("ttft_ms_p95 ~ 5"));
        Assert.Contains("expected an operator", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ThresholdOperator.Less, 499.999, true)]
    [InlineData(ThresholdOperator.Less, 500, false)]
    [InlineData(ThresholdOperator.LessOrEqual, 500, true)]
    [InlineData(ThresholdOperator.LessOrEqual, 500.001, false)]
    [InlineData(ThresholdOperator.Greater, 500, false)]
    [InlineData(ThresholdOperator.GreaterOrEqual, 500, true)]
    [InlineData(ThresholdOperator.Equal, 500, true)]
    [InlineData(ThresholdOperator.Equal, 500.001, false)]
    [InlineData(ThresholdOperator.NotEqual, 500, false)]
    [InlineData(ThresholdOperator.NotEqual, 499, true)]
    public void Holds_AtAndAroundTheBoundary(ThresholdOperator op, double value, bool holds) => Assert.Equal(holds, op.Holds(value, 500));
}

public class CellSelectorTests
{
    private static readonly PlanCell Streaming = new("gpt-4.1", Mode.Streaming);
    private static readonly PlanCell NonStreaming = new("gpt-4.1", Mode.NonStreaming);
    private static readonly PlanCell Llama = new("llama3:8b", Mode.Streaming, "retries-3");
    private static readonly PlanCell Batch = new("deepseek-v3.2", Mode.BatchApi);

    [Theory]
    [InlineData("gpt-4.1", true, true, false, false)]
    [InlineData("gpt-4.1:streaming", true, false, false, false)]
    [InlineData("*:non-streaming", false, true, false, false)]
    [InlineData("gpt-*", true, true, false, false)]
    [InlineData("*", true, true, true, true)]
    [InlineData("*:*", true, true, true, true)]
    [InlineData("llama3:8b", false, false, true, false)]
    [InlineData("llama3:*", false, false, false, false)]
    [InlineData("llama3:8b:streaming:retries-*", false, false, true, false)]
    [InlineData("*:streaming:retries-3", false, false, true, false)]
    [InlineData("*:*:none", false, false, false, false)]
    [InlineData("*:BATCH-API", false, false, false, true)]
    public void Matches_ModelModePolicyGlobs(string text, bool streaming, bool nonStreaming, bool llama, bool batch)
    {
        Assert.True(CellSelector.TryParse(text, out var selector, out var error), error);

        Assert.Equal([streaming, nonStreaming, llama, batch], new[] { Streaming, NonStreaming, Llama, Batch }.Select(selector.Matches));
    }

    [Fact]
    public void TryParse_ModeSplitsModelFromPolicy_AndPolicyKeepsItsColons()
    {
        Assert.True(CellSelector.TryParse("a:b:c:non-streaming:p:q", out var selector, out _));

        Assert.Equal(("a:b:c", "non-streaming", "p:q"), (selector.Model, selector.Mode, selector.Policy));
    }

    [Theory]
    [InlineData("gpt-4.1:streaming:", "the policy after the mode is empty")]
    [InlineData("  ", "a cell selector is empty")]
    [InlineData("gpt{x}", "'{' is not allowed")]
    public void TryParse_Invalid_GivesTheReason(string text, string reason)
    {
        Assert.False(CellSelector.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpt-4.1@relay", true, false, false)]
    [InlineData("gpt-4.1:streaming@relay", true, false, false)]
    [InlineData("gpt-4.1:non-streaming@relay", false, false, false)]
    [InlineData("*@direct*", false, true, false)]
    [InlineData("gpt-4.1", true, true, true)]
    [InlineData("gpt-4.1@*", true, true, true)]
    [InlineData("*:*:*@relay", true, false, false)]
    [InlineData("gpt-4.1@nowhere", false, false, false)]
    public void Matches_TargetSuffix_NamesOnlyThatTargetsCells(string text, bool relay, bool direct, bool old)
    {
        var cells = new[]
        {
            new CellKey("relay", "gpt-4.1", Mode.Streaming, null),
            new CellKey("direct-api", "gpt-4.1", Mode.Streaming, null),
            new CellKey(null, "gpt-4.1", Mode.Streaming, null),
        };

        Assert.True(CellSelector.TryParse(text, out var selector, out var error), error);

        Assert.Equal([relay, direct, old], cells.Select(selector.Matches));
    }

    [Fact]
    public void TryParse_ModelWithAt_IsWrittenWithATarget()
    {
        Assert.True(CellSelector.TryParse("claude-3-5-sonnet@20240620:streaming@*", out var selector, out _));

        Assert.Equal(("claude-3-5-sonnet@20240620", "streaming", (string?)null), (selector.Model, selector.Mode, selector.Target));
    }

    [Theory]
    [InlineData("gpt-4.1@", "the target after '@' is empty")]
    [InlineData("@relay", "the model is missing before '@'")]
    public void TryParse_InvalidTarget_GivesTheReason(string text, string reason)
    {
        Assert.False(CellSelector.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoMatch_UnknownTarget_NamesTheTargets()
    {
        Assert.True(CellSelector.TryParse("gpt-4.1@relai", out var selector, out _));

        var message = selector.NoMatch([new CellKey("relay", "gpt-4.1", Mode.Streaming, null), new CellKey("direct", "gpt-4.1", Mode.Streaming, null)]);

        Assert.Contains("matches no cell of the plan (relay · gpt-4.1 · streaming, direct · gpt-4.1 · streaming)", message, StringComparison.Ordinal);
        Assert.EndsWith("no target is named 'relai' (targets: relay, direct)", message, StringComparison.Ordinal);
    }
}
