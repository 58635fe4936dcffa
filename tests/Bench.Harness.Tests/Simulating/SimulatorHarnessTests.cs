using Bench.Harness.Simulating;

namespace Bench.Harness.Tests.Simulating;

public sealed class SimulatorHarnessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-simulate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ServeAsync_MissingProfilesFolder_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(_dir, "no-profiles");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await SimulatorHarness.ServeAsync(0, missing, null, 42, output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", output.ToString());
        Assert.Contains("no-profiles", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_EmptyProfilesFolder_ExitsTwoSayingSo()
    {
        var error = new StringWriter();

        var exit = await SimulatorHarness.ServeAsync(0, _dir, null, 42, new StringWriter(), error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("no profile files (*.json) in the directory", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-600)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task ServeAsync_BadBatchTimeScale_ExitsTwoNamingTheFlag(double scale)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await SimulatorHarness.ServeAsync(0, _dir, null, 42, output, error, CancellationToken.None, scale);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", output.ToString());
        Assert.StartsWith("--batch-time-scale: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_Profiles_SaysWhereItListensUntilCancelled()
    {
        File.WriteAllText(Path.Combine(_dir, "m.json"), """{ "model": "m", "ttft_ms": { "fixed": 10 }, "decode_tokens_per_s": 200, "output_tokens": { "mean": 5, "sd": 0 } }""");
        var output = new FirstLineWriter();
        var error = new StringWriter();
        using var cts = new CancellationTokenSource();

        var serving = SimulatorHarness.ServeAsync(0, _dir, null, 42, output, error, cts.Token);
        var line = await Task.WhenAny(output.FirstLine, serving) == serving ? $"ended: {error}" : await output.FirstLine;
        await cts.CancelAsync();

        Assert.Equal(ExitCodes.Success, await serving);
        Assert.Matches(@"^Simulator listening on http://127\.0\.0\.1:\d+/v1/ with models: m\. Ctrl\+C to stop\.$", line);
    }

    /// <summary>Hands over the first line written, so the test waits for the server instead of for a fixed time.</summary>
    private sealed class FirstLineWriter : StringWriter
    {
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstLine => _first.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            _first.TrySetResult(value ?? "");
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
