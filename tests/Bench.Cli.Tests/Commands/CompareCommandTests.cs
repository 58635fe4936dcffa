using System.Globalization;
using System.Text.Json;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

public sealed class CompareCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-compare-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A folder with one BenchmarkDotNet full report of one case (the fields bench compare reads).</summary>
    private string Micro(string name, double scale, long bytes)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, name, "results")).FullName;
        var values = string.Join(",", Enumerable.Range(0, 12).Select(i => ((100 + (i % 3)) * scale).ToString(CultureInfo.InvariantCulture)));
        File.WriteAllText(Path.Combine(dir, "Suite-report-full.json"),
            $$"""{ "Title": "t", "Benchmarks": [ { "FullName": "Suite.Case", "Statistics": { "OriginalValues": [{{values}}] }, "Memory": { "BytesAllocatedPerOperation": {{bytes}} } } ] }""");
        return Path.GetDirectoryName(dir)!;
    }

    [Fact]
    public void Compare_JsonToStandardOutput_FlagsBound_Exit1OnRegression()
    {
        var baseline = Micro("base", 1, 64);
        var current = Micro("slow", 1.5, 64);

        var (exit, output, error) = BenchCli.Run("compare", baseline, current, "--json", "-", "--threshold", "10%", "--fail-on", "time_ns");

        Assert.Equal(ExitCodes.MeasuredFailure, exit);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("fail", json.RootElement.GetProperty("result").GetString());
        Assert.Equal("10%", json.RootElement.GetProperty("settings").GetProperty("threshold").GetString());
        var time = json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("metric").GetString() == "time_ns");
        Assert.Equal("Slower", time.GetProperty("verdict").GetString());
        Assert.Equal("Suite.Case", time.GetProperty("benchmark").GetString());
    }

    [Fact]
    public void Compare_AllocationGrew_FailOnTimeOnly_Exit0()
    {
        var (exit, output, _) = BenchCli.Run("compare", Micro("a", 1, 64), Micro("b", 1, 96), "--fail-on", "time_ns");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("Slower (not fail-on)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_BadFlagAndMissingFolder_Exit2_BothNamed()
    {
        var (exit, output, error) = BenchCli.Run("compare", Path.Combine(_dir, "none"), Micro("x", 1, 1), "--noise", "loud");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", output);
        Assert.Contains("--noise: 'loud' is not a threshold", error, StringComparison.Ordinal);
        Assert.Contains("none: no such folder.", error, StringComparison.Ordinal);
    }
}
