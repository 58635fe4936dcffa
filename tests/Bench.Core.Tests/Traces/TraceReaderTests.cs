using Bench.Core.Configuration;
using Bench.Core.Traces;

namespace Bench.Core.Tests.Traces;

public class TraceReaderTests
{
    private static TraceFile Parse(string text, string? format = null) => TraceReader.Parse(text.Split('\n'), "t.jsonl", format);

    private static ConfigError Refused(string text, string? format = null) =>
        Assert.Single(Assert.Throws<ConfigException>(() => Parse(text, format)).Errors);

    [Fact]
    public void Mooncake_IsRecognised_AndReadWhole()
    {
        // Two lines of the FAST'25 release's README (kvcache-ai/Mooncake, FAST25-release/README.md).
        var trace = Parse("""
            {"timestamp": 27482, "input_length": 6955, "output_length": 52, "hash_ids": [46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 2353, 2354]}
            {"timestamp": 30535, "input_length": 6472, "output_length": 26, "hash_ids": [46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 2366]}
            """);
        Assert.Equal(TraceFormat.Mooncake, trace.Format);
        Assert.Equal(2, trace.Lines.Count);
        var second = trace.Lines[1];
        Assert.Equal((1L, 2, 30535.0, (int?)6472, 26), (second.Index, second.LineNumber, second.TimestampMs, second.InputLength, second.OutputLength));
        Assert.Equal(13, second.HashIds!.Count);
        Assert.Equal(27482, trace.FirstTimestampMs);
        Assert.Equal(3053, trace.SpanMs);
        Assert.Equal((30535 - 27482) / 2.0, trace.OffsetMs(second, 2));
    }

    [Fact]
    public void Bench_TakesLengthsPromptsMessagesAndSessions_SkippingBlankLines()
    {
        var trace = Parse("""
            {"timestamp": 0, "input_length": 100, "output_length": 20, "session_id": "a"}

            {"timestamp": 10.5, "prompt": "Say hello.", "output_length": 5, "session_id": 7}
            {"timestamp": 10.5, "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}], "output_length": 9}
            """);
        Assert.Equal(TraceFormat.Bench, trace.Format);
        Assert.Equal([0L, 1, 2], trace.Lines.Select(l => l.Index));
        Assert.Equal([1, 3, 4], trace.Lines.Select(l => l.LineNumber));
        Assert.Equal(["a", "7", null], trace.Lines.Select(l => l.SessionId));
        Assert.Equal("Say hello.", trace.Lines[1].Prompt);
        Assert.Equal(["system", "user"], trace.Lines[2].Messages!.Select(m => m.Role));
    }

    [Fact]
    public void ABenchTrace_MayMixMooncakeLinesWithOthers()
    {
        var trace = Parse("""
            {"timestamp": 0, "input_length": 600, "output_length": 5, "hash_ids": [1, 2]}
            {"timestamp": 5, "prompt": "Hi", "output_length": 5}
            """);
        Assert.Equal(TraceFormat.Bench, trace.Format);
        Assert.Equal([1L, 2], trace.Lines[0].HashIds);
    }

    [Theory]
    [InlineData("not json", "line 1", "not JSON")]
    [InlineData("[1, 2]", "line 1", "a trace line is a JSON object, not an array")]
    [InlineData("""{"input_length": 5, "output_length": 5}""", "line 1", "no timestamp (milliseconds)")]
    [InlineData("""{"timestamp": -1, "input_length": 5, "output_length": 5}""", "line 1", "timestamp must be a number of milliseconds ≥ 0, not -1")]
    [InlineData("""{"timestamp": "soon", "input_length": 5, "output_length": 5}""", "line 1", "timestamp must be a number of milliseconds ≥ 0, not \"soon\"")]
    [InlineData("""{"timestamp": 1, "input_length": 0, "output_length": 5}""", "line 1", "input_length must be a whole number of tokens from 1 to 16,777,216, not 0")]
    [InlineData("""{"timestamp": 1, "input_length": 5}""", "line 1", "no output_length (tokens)")]
    [InlineData("""{"timestamp": 1, "output_length": 5}""", "line 1", "needs one of input_length (tokens), prompt (text) or messages (a conversation)")]
    [InlineData("""{"timestamp": 1, "input_length": 5, "prompt": "x", "output_length": 5}""", "line 1", "gives more than one of input_length, prompt and messages; give one")]
    [InlineData("""{"timestamp": 1, "messages": [{"role": "user"}], "output_length": 5}""", "line 1", "messages[0] must be {\"role\": string, \"content\": string}")]
    [InlineData("""{"timestamp": 1, "input_length": 600, "output_length": 5, "hash_ids": [1, 2, 3]}""", "line 1", "3 hash_ids name more 512-token blocks than input_length 600 fills (2)")]
    [InlineData("{\"timestamp\": 9, \"input_length\": 5, \"output_length\": 5}\n{\"timestamp\": 3, \"input_length\": 5, \"output_length\": 5}", "line 2",
        "timestamp 3 is before the previous line's (9): a trace is replayed in file order; sort it by timestamp")]
    [InlineData("\n\n", "$", "the trace has no lines")]
    public void BadLines_AreRefused_WithTheirLineNumber(string text, string path, string reason)
    {
        var error = Refused(text);
        Assert.Equal("t.jsonl", error.File);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Mooncake_GivenExplicitly_NeedsHashIds()
    {
        var error = Refused("""{"timestamp": 1, "input_length": 5, "output_length": 5}""", "mooncake");
        Assert.Equal(("line 1", "no hash_ids (a Mooncake line names its prompt's 512-token blocks)"), (error.Path, error.Reason));
    }

    [Fact]
    public void EveryBadLine_IsListed_UpToALimit()
    {
        var text = string.Join('\n', Enumerable.Range(0, 30).Select(_ => "oops"));
        var errors = Assert.Throws<ConfigException>(() => Parse(text)).Errors;
        Assert.Equal(TraceReader.MaxErrors + 1, errors.Count);
        Assert.Equal("line 3", errors[2].Path);
        Assert.Equal("stopped reading after 20 errors", errors[^1].Reason);
    }

    [Fact]
    public void Load_AMissingFile_IsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-no-trace-{Guid.NewGuid():N}.jsonl");
        var error = Assert.Single(Assert.Throws<ConfigException>(() => TraceReader.Load(path)).Errors);
        Assert.Equal((path, "the trace file does not exist"), (error.File, error.Reason));
    }
}
