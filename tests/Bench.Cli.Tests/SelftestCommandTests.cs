using System.CommandLine;
using Bench.Cli.Commands;

namespace Bench.Cli.Tests.SelfTest;

public sealed class SelftestCommandTests
{
    [Theory]
    [InlineData("soon")]
    [InlineData("0s")]
    public async Task Selftest_BadDuration_ExitsWith2(string duration)
    {
        var exit = await new RootCommand { SelftestCommand.Create() }.Parse(["selftest", "--duration", duration]).InvokeAsync();

        Assert.Equal(2, exit);
    }
}
