using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-report-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Report_FolderWithoutRecords_ExitsTwoSayingSo()
    {
        var (exit, output, error) = BenchCli.Run("report", _dir);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", output);
        Assert.Equal($"{_dir}: no records.jsonl here; give a results folder written by bench run.{Environment.NewLine}", error);
    }

    [Fact]
    public void Report_MissingPriceFile_ExitsTwoNamingIt()
    {
        File.WriteAllText(Path.Combine(_dir, "records.jsonl"), "");

        var (exit, _, error) = BenchCli.Run("report", _dir, "--prices", Path.Combine(_dir, "none.json"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("none.json", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "summary.csv")));
    }

    [Fact]
    public void Report_CurrentSpendWithoutItsRate_ExitsTwoWithTheFix_NothingWritten()
    {
        File.WriteAllText(Path.Combine(_dir, "records.jsonl"), "");

        var (exit, _, error) = BenchCli.Run("report", _dir, "--current", "80000CNY");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal($"--current 80000CNY: a spend in CNY needs its exchange rate; add --fx CNY=UNITS_PER_USD (e.g. --fx CNY=7.3).{Environment.NewLine}", error);
        Assert.False(File.Exists(Path.Combine(_dir, "summary.csv")));
    }

    [Theory]
    [InlineData(new[] { "--paper", "letter" }, "--paper: needs --pdf (it sets the paper of report.pdf).")]
    [InlineData(new[] { "--pdf", "--paper", "a3" }, "--paper: 'a3' is not a paper size; use a4 or letter.")]
    public void Report_PaperWithoutPdfOrUnknown_ExitsTwoBeforeAnythingIsWritten(string[] flags, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "records.jsonl"), "");

        var (exit, _, error) = BenchCli.Run([.. new[] { "report", _dir }, .. flags]);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "summary.csv")));
    }
}
