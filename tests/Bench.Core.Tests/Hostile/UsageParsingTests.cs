using System.Text;
using Bench.Core.Records;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Hostile;

/// <summary>Reading usage never fails the response: a count that is no 32-bit integer, or a usage that is not an
/// object, is noted with its raw text and the payload stays well-formed (these used to mark it malformed).</summary>
public class UsageParsingTests
{
    [Theory]
    [InlineData("""{"usage":"many"}""", "not_an_object: usage = many")]
    [InlineData("""{"usage":[1]}""", "not_an_object: usage is an array")]
    [InlineData("""{"usage":{"prompt_tokens":"3"}}""", "not_a_number: usage.prompt_tokens = 3")]
    [InlineData("""{"usage":{"prompt_tokens":true}}""", "not_a_number: usage.prompt_tokens = true")]
    [InlineData("""{"usage":{"completion_tokens":1.5}}""", "not_integer: usage.completion_tokens = 1.5 is not a whole number")]
    [InlineData("""{"usage":{"completion_tokens":12.50}}""", "not_integer: usage.completion_tokens = 12.50 is not a whole number")]
    [InlineData("""{"usage":{"completion_tokens":3000000000}}""", "overflow: usage.completion_tokens = 3000000000 does not fit a 32-bit count")]
    [InlineData("""{"usage":{"completion_tokens":1e30}}""", "overflow: usage.completion_tokens = 1e30 does not fit a 32-bit count")]
    [InlineData("""{"usage":{"completion_tokens":-1e400}}""", "overflow: usage.completion_tokens = -1e400 does not fit a 32-bit count")]
    [InlineData("""{"usage":{"prompt_tokens_details":7}}""", "not_an_object: usage.prompt_tokens_details = 7")]
    [InlineData("""{"usage":{"completion_tokens_details":{"reasoning_tokens":0.5}}}""", "not_integer: usage.completion_tokens_details.reasoning_tokens = 0.5 is not a whole number")]
    public void Parse_UnreadableUsage_NotesTheRawValue_NotMalformed(string json, string issue)
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse(Encoding.UTF8.GetBytes(json), accumulator);

        Assert.False(accumulator.Malformed, accumulator.MalformedReason);
        Assert.Equal(issue, accumulator.UsageIssue);
    }

    [Theory]
    [InlineData("5.0", 5)]
    [InlineData("5e2", 500)]
    public void Parse_WholeNumberWrittenOtherwise_IsTheCount(string value, int count)
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse(Encoding.UTF8.GetBytes("{\"usage\":{\"completion_tokens\":" + value + "}}"), accumulator);

        Assert.Null(accumulator.UsageIssue);
        Assert.Equal(count, accumulator.CompletionTokens);
    }

    [Fact]
    public void Parse_NegativeCount_IsStoredForTheCheckToJudge()
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse("""{"usage":{"prompt_tokens":-3,"completion_tokens":4}}"""u8, accumulator);

        Assert.False(accumulator.Malformed);
        Assert.Null(accumulator.UsageIssue);
        Assert.Equal(-3, accumulator.PromptTokens);
    }

    [Fact]
    public void Parse_HugeRawValue_IsQuotedCut()
    {
        var accumulator = new StreamAccumulator();
        var digits = new string('9', 5000);

        ChunkParser.Parse(Encoding.UTF8.GetBytes("{\"usage\":{\"completion_tokens\":" + digits + "}}"), accumulator);

        Assert.False(accumulator.Malformed);
        Assert.StartsWith("overflow: usage.completion_tokens = 9999", accumulator.UsageIssue, StringComparison.Ordinal);
        Assert.True(accumulator.UsageIssue!.Length < 120, accumulator.UsageIssue);
    }

    [Fact]
    public void Parse_ThousandsOfBadFields_IssueStaysBounded()
    {
        var accumulator = new StreamAccumulator();
        var fields = string.Join(",", Enumerable.Repeat("\"prompt_tokens\":\"x\"", 20_000));

        ChunkParser.Parse(Encoding.UTF8.GetBytes("{\"usage\":{" + fields + "}}"), accumulator);

        Assert.False(accumulator.Malformed);
        Assert.InRange(accumulator.UsageIssue!.Length, UsageCheck.MaxIssueChars, UsageCheck.MaxIssueChars + 100);
    }

    [Fact]
    public void Parse_ALaterCleanUsage_ClearsTheEarlierIssue()
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse("""{"usage":{"completion_tokens":1.5}}"""u8, accumulator);
        ChunkParser.Parse("""{"usage":{"prompt_tokens":2,"completion_tokens":3}}"""u8, accumulator);

        Assert.Null(accumulator.UsageIssue);
        Assert.Equal(3, accumulator.CompletionTokens);
    }
}
