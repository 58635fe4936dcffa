using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

public sealed class SelftestCommandTests
{
    [Theory]
    [InlineData("soon")]
    [InlineData("0s")]
    public void Selftest_BadDuration_ExitsWith2(string duration)
    {
        var (exit, output, error) = BenchCli.Run("selftest", "--duration", duration);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"--duration: '{duration}' is not a positive duration such as 30s, 2m or 500ms.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Bench self-test", output, StringComparison.Ordinal);
    }
}
