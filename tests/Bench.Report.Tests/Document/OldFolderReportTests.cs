using System.Runtime.CompilerServices;
using Bench.Core.Results;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Document;

/// <summary>A results folder from before the Batch API (no batch-api cell, no <c>batches.jsonl</c>) gives the same
/// report as before: <c>Golden/standard-report-before-batches.md</c> is the <c>report.md</c> that commit b1035bd (the
/// branch's start) wrote for this folder, plus the 95 % intervals issue 13 added to the summary table (the only change).</summary>
public sealed class OldFolderReportTests
{
    private static string Golden([CallerFilePath] string source = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(source)!, "Golden", "standard-report-before-batches.md"));

    [Fact]
    public void ReportMd_FolderWithoutBatches_SameAsBeforeBatches()
    {
        using var run = TestRun.Standard(sweep: true, policies: true);
        run.Run.Report.Mixes = ["alpha-model:streaming=30%,beta-model=70%"];
        run.Save();
        Assert.False(File.Exists(Path.Combine(run.Directory, ResultsDirectory.BatchesFile)));

        ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);

        Assert.Equal(Golden().ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(run.Directory, "report.md")).ReplaceLineEndings("\n"));
    }
}
