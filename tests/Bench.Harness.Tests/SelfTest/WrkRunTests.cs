using Bench.Harness.SelfTest;

namespace Bench.Harness.Tests.SelfTest;

public sealed class WrkRunTests
{
    // wrk 4.1.0 (Debian) with --latency, as printed on this machine.
    private const string Output = """
        Running 1s test @ http://127.0.0.1:41693/v1/chat/completions
          2 threads and 8 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   298.18ms  273.24ms 727.34ms   71.43%
            Req/Sec    25.33     18.15    44.00     50.00%
          Latency Distribution
             50%  127.26ms
             75%  719.37ms
             90%  727.33ms
             99%  727.34ms
          28 requests in 1.12s, 14.88KB read
          Socket errors: connect 0, read 2, write 0, timeout 1
          Non-2xx or 3xx responses: 3
        Requests/sec:     25.08
        Transfer/sec:     13.33KB
        """;

    [Fact]
    public void Parse_LatencyOutput_ReadsEveryFigure()
    {
        var result = WrkRun.Parse(Output, "wrk …", 8, 2, 1, 12.5, null);

        Assert.True(result.Ran);
        Assert.Equal(28, result.Requests);
        Assert.Equal(25.08, result.RequestsPerS);
        Assert.Equal(127.26, result.LatencyP50Ms);
        Assert.Equal(727.34, result.LatencyP99Ms);
        Assert.Equal(3, result.Non2xxResponses);
        Assert.Equal(3, result.SocketErrors);
        Assert.Equal(12.5, result.ServerCpuPercent);
    }

    [Theory]
    [InlineData("     50%  812.00us", 0.812)]
    [InlineData("     50%    1.50s", 1500)]
    [InlineData("     99%    2.00m", 120_000)]
    public void Percentile_Units_ConvertedToMilliseconds(string line, double expectedMs) =>
        Assert.Equal(expectedMs, WrkRun.Percentile(line, line.Contains("99%", StringComparison.Ordinal) ? "99" : "50")!.Value, 6);

    [Fact]
    public void LuaScript_PostsTheNonStreamingRequestBenchSends()
    {
        var script = WrkRun.LuaScript("sk-test", "request 0 \"quoted\" ]] text");

        Assert.Contains("wrk.method = \"POST\"", script, StringComparison.Ordinal);
        Assert.Contains("Bearer sk-test", script, StringComparison.Ordinal);
        Assert.Contains($"\"model\":\"{SelfTestProfiles.ZeroModel}\"", script, StringComparison.Ordinal);
        Assert.Contains("\"stream\":false", script, StringComparison.Ordinal);

        // The body sits in a Lua long bracket that the text's own "]]" cannot close early.
        Assert.Contains("wrk.body = [=[{", script, StringComparison.Ordinal);
        Assert.EndsWith("}]=]", script.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("request 0 \\\"quoted\\\" ]] text", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocateAsync_NotOnPathWithoutInstall_SaysWhySkipped()
    {
        var empty = Directory.CreateTempSubdirectory("bench-empty-path-").FullName;
        try
        {
            var (found, reason) = await WrkRun.LocateAsync(install: false, TextWriter.Null, CancellationToken.None, searchPath: empty);

            Assert.Null(found);
            Assert.Contains("--install-tools", reason, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
