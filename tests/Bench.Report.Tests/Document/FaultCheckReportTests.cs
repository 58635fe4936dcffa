using Bench.Core.Faults;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Document;
using Bench.Report.Exporters;
using Bench.Report.Model;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Document;

/// <summary>The report's fault check section: shown only when the folder holds injections or run.json declares faults
/// (an old folder reports as before), in Markdown and HTML alike, in the words of the issue.</summary>
public sealed class FaultCheckReportTests
{
    [Fact]
    public void Write_OldFolder_NoFaultCheck_AndAnEmptyInjectionsFileChangesNothing()
    {
        using var run = TestRun.Standard().Save();

        ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);
        var before = File.ReadAllText(Path.Combine(run.Directory, MarkdownExporter.FileName));
        File.WriteAllText(Path.Combine(run.Directory, ResultsDirectory.InjectionsFile), "");
        var report = ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);
        var after = File.ReadAllText(Path.Combine(run.Directory, MarkdownExporter.FileName));

        Assert.Null(report.Faults);
        Assert.DoesNotContain("Fault check", before, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Write_WithInjections_ShowsTheSection_InMarkdownAndHtml()
    {
        using var run = TestRun.Standard().Save();
        var rateLimited = run.Records.Single(r => r.Outcome == Outcome.RateLimited);
        using (var writer = new InjectionsWriter(Path.Combine(run.Directory, ResultsDirectory.InjectionsFile)))
        {
            writer.Append(new InjectionRecord { Epoch = 3, RequestId = rateLimited.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Model = TestRun.Beta, Stream = true, Kind = FaultKind.RateLimited, Status = 429 });
        }

        var report = ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);
        var md = File.ReadAllText(Path.Combine(run.Directory, MarkdownExporter.FileName));
        var html = File.ReadAllText(Path.Combine(run.Directory, Bench.Report.Html.HtmlExporter.FileName));

        Assert.Equal(1, report.Faults!.AsExpected);
        Assert.Contains("## Fault check: injected against recorded", md, StringComparison.Ordinal);
        Assert.Contains("1 of 1 were recorded as the outcome the fault must produce.", md, StringComparison.Ordinal);
        Assert.Contains("| `rate_limited` | streaming | `rate_limited` | 1 | 1 | 0 | 0 |", md, StringComparison.Ordinal);
        Assert.Contains($"<h2 id=\"{FaultCheckText.Id}\">Fault check: injected against recorded</h2>", html, StringComparison.Ordinal);
    }

    private static RunReport Report(FaultCheck check) =>
        RunReport.Build(new RunInfo { RunId = "r", Scenario = "s" }, new RunAggregator(), new RecordsReadResult(), Bench.Core.Pricing.PriceCatalog.Create("none", []), faults: check);

    private static FaultCheck Taxonomy(int rateLimited, int timeouts)
    {
        var run = new RunInfo
        {
            Faults =
            [
                new DeclaredFaults
                {
                    Model = "seed-relay",
                    Rules = [new FaultRule { Kind = FaultKind.HangBeforeHeaders, Rate = 0.0031 }, new FaultRule { Kind = FaultKind.RateLimited, Rate = 0.0018 }],
                },
            ],
        };
        var builder = FaultCheckBuilder.Start(run, []);
        for (var i = 0; i < 10_000; i++)
        {
            builder.Add(new RequestRecord
            {
                Id = i,
                Model = "seed-relay",
                Mode = Mode.Streaming,
                Outcome = i < rateLimited ? Outcome.RateLimited : i < rateLimited + timeouts ? Outcome.Timeout : Outcome.Success,
            });
        }

        return builder.Build();
    }

    [Fact]
    public void Taxonomy_WithinSamplingError_SaysSoPerClassAndForTheRun()
    {
        var md = MarkdownExporter.Render(Report(Taxonomy(rateLimited: 17, timeouts: 31)));

        Assert.Contains("The simulator recorded no injection in `injections.jsonl`", md, StringComparison.Ordinal);
        Assert.Contains("**seed-relay · streaming**", md, StringComparison.Ordinal);
        Assert.Contains("- 429: 17 of 10,000 (0.17 %), declared 0.18 %, 95 % interval 0.10–0.27 %: within sampling error", md, StringComparison.Ordinal);
        Assert.Contains("- timeout: 31 of 10,000 (0.31 %), declared 0.31 %, 95 % interval 0.21–0.44 %: within sampling error", md, StringComparison.Ordinal);
        Assert.Contains("**The run reproduces the declared taxonomy within sampling error**: every declared rate lies within its interval at a family-wise 95 % for the 2 comparisons (Bonferroni: each at 97.5 %).", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Taxonomy_BeyondSamplingError_SaysWhichClassAndWhichWay()
    {
        var md = MarkdownExporter.Render(Report(Taxonomy(rateLimited: 60, timeouts: 31)));

        Assert.Contains("- 429: 60 of 10,000 (0.60 %), declared 0.18 %, 95 % interval 0.46–0.77 %: **more than declared, beyond sampling error**", md, StringComparison.Ordinal);
        Assert.Contains("**The run does not reproduce the declared taxonomy within sampling error**: outside its interval at a family-wise 95 % for the 2 comparisons (Bonferroni: each at 97.5 %): 429 in seed-relay · streaming.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Joined_RequestSentTwice_SaysWhyItMetItsFaultTwice_AndListsItOnce()
    {
        var resent = new InjectionRecord { RequestId = "7", Model = "m", Kind = FaultKind.ConnectionReset };
        var builder = FaultCheckBuilder.Start(new RunInfo(), [resent, resent]);
        builder.Add(new RequestRecord { Id = 7, Model = "m", Mode = Mode.NonStreaming, Outcome = Outcome.Timeout, ConnectionRetried = true });

        var md = MarkdownExporter.Render(Report(builder.Build()));

        Assert.Contains("1 request(s) met their fault twice or more under the same attempt number: the client sent them again after their connection failed before any response byte (the keep-alive retry, `connection_retried`), and the simulator, drawing with the same seed, injected the same fault; each injection is joined to the one record.", md, StringComparison.Ordinal);
        Assert.Single(md.Split('\n'), l => l.StartsWith("- request 7, attempt 1: `connection_reset` (non-streaming) must be `connection_error`, recorded as `timeout`", StringComparison.Ordinal));
    }
}
