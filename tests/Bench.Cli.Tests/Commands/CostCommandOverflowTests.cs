using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

/// <summary>Amounts past what exact decimal money holds end in exit code 2 naming the flag or file, never an
/// <see cref="OverflowException"/> stack trace.</summary>
public sealed class CostCommandOverflowTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-cost-overflow-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(new[] { "--models", "gpt-4.1", "--output-tokens", "79228162514264337593543950335" },
        "bench cost: --output-tokens: 79228162514264337593543950335 is more than 1000000000000000000 (10^18) tokens a month")]
    [InlineData(new[] { "--models", "gpt-4.1", "--requests", "1T", "--output-tokens-per-request", "1T" },
        "bench cost: --requests × --output-tokens-per-request: ")]
    [InlineData(new[] { "--models", "gpt-4.1", "--output-tokens", "10M", "--fx", "CNY=79228162514264337593543950335" },
        "lower the --fx rate (largest: CNY=79228162514264337593543950335)")]
    [InlineData(new[] { "--models", "gpt-4.1", "--output-tokens", "10M", "--fx", "CNY=79228162514264337593543950335", "--json" },
        "lower the --fx rate (largest: CNY=79228162514264337593543950335)")]
    public void Cost_AmountTooLarge_ExitsTwoNamingTheFlag(string[] args, string expected)
    {
        var (exit, output, error) = BenchCli.Run(["cost", .. args]);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public void Cost_PriceFileWithHugePrices_ExitsTwoNamingTheFile()
    {
        var prices = Path.Combine(_dir, "prices.json");
        File.WriteAllText(prices, """{"models":[{"model":"x","input":79228162514264337593543950335,"output":79228162514264337593543950335,"source":"t"}]}""");

        var (exit, output, error) = BenchCli.Run("cost", "--models", "x", "--output-tokens", "10M", "--prices", prices);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"the prices in --prices {prices}", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }
}
