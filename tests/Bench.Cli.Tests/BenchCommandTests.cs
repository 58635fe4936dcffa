using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests;

public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("run", "scenario.json", "--no-such-flag")]
    [InlineData("cost", "--no-such-flag")]
    [InlineData("report")]
    [InlineData("compare", "only-one-folder")]
    [InlineData("inspect")]
    [InlineData("no-such-verb")]
    [InlineData("kube", "render")]
    [InlineData("run", "scenario.json", "unexpected")]
    public void Invoke_CommandLineThatDoesNotParse_ExitsTwo(params string[] args)
    {
        var (exit, _, error) = BenchCli.Run(args);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.NotEqual("", error);
    }

    [Fact]
    public void Invoke_UnknownFlag_NamesItOnStandardError()
    {
        var (_, _, error) = BenchCli.Run("cost", "--no-such-flag");

        Assert.Contains("Unrecognized command or argument '--no-such-flag'.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("report")]
    [InlineData("compare")]
    [InlineData("cost")]
    [InlineData("inspect")]
    [InlineData("selftest")]
    [InlineData("simulate")]
    [InlineData("kube")]
    public void Invoke_Help_ExitsZeroWritingToTheInjectedOutput(string verb)
    {
        var (exit, output, error) = BenchCli.Run(verb, "--help");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains($" {verb} ", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("report")]
    [InlineData("cost")]
    public void Help_SharedFlags_OneGrammarInEveryVerb(string verb)
    {
        var (_, output, _) = BenchCli.Run(verb, "--help");

        Assert.Contains("--fx <LABEL=RATE>", output, StringComparison.Ordinal);
        Assert.Contains("--mix <MODEL[:MODE]=PCT%,...>", output, StringComparison.Ordinal);
        Assert.Contains("--prices <FILE>", output, StringComparison.Ordinal);
    }
}
