using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Core.Results;
using Bench.Report.Charts;
using Bench.Report.Document;
using Bench.Report.Model;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Document;

/// <summary>
/// The report's resilience section: shown only when a cell ran under a policy, its verdict in plain words against the
/// first attempts or the run's no-policy cell, the policies described from <c>run.json</c>, and a run without
/// policies reading exactly as before.
/// </summary>
public class ResilienceSectionTests
{
    private const string Model = "m";

    private static readonly ResiliencePolicy Retries3 = new() { Name = "retries-3", Retry = new RetrySpec { MaxRetries = 3 } };

    private static readonly PriceCatalog Prices = PriceCatalog.Create("test", [new ModelPrice(Model, 2m, null, 8m, null, null, "test")]);

    private static RequestRecord Success(long id, double sentMs) => new()
    {
        Id = id, Model = Model, Mode = Mode.NonStreaming, Policy = Retries3.Name, SentMs = sentMs, FirstByteMs = sentMs + 480, EndMs = sentMs + 500, HttpStatus = 200,
        Outcome = Outcome.Success, PromptTokens = 100, CompletionTokens = 20, TokensSource = TokenSources.Usage,
    };

    /// <summary>Ten requests under 3 retries: eight first-attempt successes, one success after a 429 and a 1,070 ms
    /// server-asked wait (1,100 ms added), one that failed all its attempts, the first of which was a stream cut
    /// after 10 billed tokens.</summary>
    private static RunReport FirstAttemptBaselineReport()
    {
        var run = new RunInfo { RunId = "r", Scenario = "s", Target = "t", Resilience = [Retries3] };
        var aggregator = new RunAggregator();
        for (var i = 0; i < 8; i++)
        {
            aggregator.Add(Success(i, i * 1000));
        }

        var retried = Success(8, 8000);
        retried.EndMs = 8000 + 1100 + 500;
        retried.FirstByteMs = retried.EndMs - 20;
        retried.BackoffMs = 1070;
        retried.Attempts =
        [
            new AttemptRecord { Number = 1, SentMs = 8000, EndMs = 8030, HttpStatus = 429, Outcome = Outcome.RateLimited },
            new AttemptRecord { Number = 2, BackoffMs = 1070, ServerDelay = true, SentMs = 9100, EndMs = 9600, HttpStatus = 200, Outcome = Outcome.Success, PromptTokens = 100, CompletionTokens = 20 },
        ];
        aggregator.Add(retried);
        aggregator.Add(new RequestRecord
        {
            Id = 9, Model = Model, Mode = Mode.NonStreaming, Policy = Retries3.Name, SentMs = 10_000, EndMs = 13_100, HttpStatus = 429, Outcome = Outcome.RateLimited, BackoffMs = 3000,
            Attempts =
            [
                new AttemptRecord { Number = 1, SentMs = 10_000, EndMs = 10_040, HttpStatus = 200, Outcome = Outcome.StreamInterrupted, PromptTokens = 100, CompletionTokens = 10 },
                new AttemptRecord { Number = 2, BackoffMs = 1000, SentMs = 11_040, EndMs = 11_060, HttpStatus = 429, Outcome = Outcome.RateLimited },
                new AttemptRecord { Number = 3, BackoffMs = 2000, SentMs = 13_060, EndMs = 13_100, HttpStatus = 429, Outcome = Outcome.RateLimited },
            ],
        });
        return RunReport.Build(run, aggregator, new RecordsReadResult { Records = 10 }, Prices);
    }

    [Fact]
    public void Verdict_WithoutANoPolicyCell_ComparesWithFirstAttempts_InPlainWords()
    {
        var report = FirstAttemptBaselineReport();

        var verdict = Assert.Single(report.Resilience);

        Assert.Equal(ResilienceBaseline.FirstAttempt, verdict.Baseline);
        Assert.Equal(0.8, verdict.WithoutSuccessRate, 12);
        Assert.Equal(0.9, verdict.WithSuccessRate, 12);
        // Retries billed 100 × $2/1M + 10 × $8/1M = $0.00028 on top of 9 × $0.00036 = $0.00324.
        Assert.Equal(0.00028m, verdict.Cell.Cost.RetryCostUsd);
        Assert.Equal(0.00028m / 0.00324m * 100m, verdict.CostIncreasePercent);
        Assert.Equal(
            "With 3 retries honouring Retry-After, m · non-streaming goes from 80.0 % (first attempts) to 90.0 % success at +1.1 s p95 added by retries and +8.6 % cost (1.44 attempts per success).",
            ReportDocumentBuilder.ResilienceVerdictText(verdict));
    }

    [Fact]
    public void Section_WithPolicies_HasPoliciesInWords_TheTable_TheVerdicts_AndTheChartSlot()
    {
        var report = FirstAttemptBaselineReport();

        var section = Assert.Single(ReportDocumentBuilder.Build(report).Sections, s => s.Id == ReportDocumentBuilder.Ids.Resilience);
        var text = Text(section);

        Assert.Contains("retries-3: 3 retries, exponential back-off from 1 s (at most 60 s) with jitter, honouring Retry-After and the rate-limit reset headers.", text, StringComparison.Ordinal);
        var table = Assert.Single(section.Blocks.OfType<Table>());
        var row = Assert.Single(table.Rows).Select(cell => string.Concat(cell.Select(span => span.Text))).ToList();
        // No no-policy cell in this run: no column for one.
        Assert.Equal(["model", "mode", "policy", "success without (first attempt)", "with policy: success / E2E p95 (ms)", "attempts per success",
            "added by retries p50 / p95 (ms)", "retry tokens in / out", "retries $ per 1k requests (% of cost)", "time rate-limited"], table.Headers);
        // E2E p95 and added p95 are the retried request's 1,600 and 1,100 ms (HdrHistogram: 3 significant digits).
        Assert.StartsWith("90.0 % / 1,60", row[4], StringComparison.Ordinal);
        Assert.StartsWith("0 / 1,10", row[6], StringComparison.Ordinal);
        Assert.Equal(["m", "non-streaming", "retries-3", "80.0 %", "1.44", "100 / 10", "$0.0280 (7.95 %)", "1.1 s"], [.. row[..4], row[5], .. row[7..]]);
        Assert.Contains("With 3 retries honouring Retry-After", text, StringComparison.Ordinal);
        Assert.Contains(section.Blocks, b => b is ChartSlot { Charts: ChartSection.Resilience });
    }

    [Fact]
    public void Verdict_WithANoPolicyCell_ComparesWithIt_AndSaysSo()
    {
        using var run = TestRun.Standard(policies: true);

        var report = run.Report();

        Assert.Equal(2, report.Resilience.Count);
        Assert.All(report.Resilience, v =>
        {
            Assert.Equal(ResilienceBaseline.NoPolicyCell, v.Baseline);
            Assert.Null(v.NoPolicy!.Summary.Policy);
            Assert.Equal(v.Cell.Summary.Mode, v.NoPolicy.Summary.Mode);
            Assert.Equal(TestRun.Alpha, v.NoPolicy.Summary.Model);
            var words = ReportDocumentBuilder.ResilienceVerdictText(v);
            Assert.Contains("stays at 100 % success (as its no-policy cell)", words, StringComparison.Ordinal);
            Assert.Contains("E2E p95 against the no-policy cell", words, StringComparison.Ordinal);
        });
        // Every third request waited 1 s for the server: the policy's p95 is about a second above the no-policy cell's.
        Assert.All(report.Resilience, v => Assert.InRange(v.AddedP95Ms!.Value, 900, 1200));
    }

    [Fact]
    public void Verdict_NamedPolicyThatDoesNothing_IsTheBaseline_NotJudged()
    {
        using var run = TestRun.Standard(perCell: 6);
        run.Run.Resilience = [new ResiliencePolicy { Name = "none" }];
        for (var i = 0; i < 6; i++)
        {
            run.Add(TestRun.Alpha, Mode.NonStreaming, 60_000 + (i * 180), Phases.Measure, i).Policy = "none";
        }

        var words = ReportDocumentBuilder.ResilienceVerdictText(Assert.Single(run.Report().Resilience));

        Assert.StartsWith($"`none` is the raw endpoint (no policy): {TestRun.Alpha} · non-streaming at 100 % success, E2E p95 ", words, StringComparison.Ordinal);
        Assert.EndsWith(" ms — the baseline.", words, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_WithPolicies_NameThePolicyBesideTheMode_AndShowTheNoPolicyCell()
    {
        using var run = TestRun.Standard(policies: true);

        var document = ReportDocumentBuilder.Build(run.Report());
        var summary = document.Sections.Single(s => s.Id == ReportDocumentBuilder.Ids.Summary).Blocks.OfType<Table>().Single();
        var resilience = document.Sections.Single(s => s.Id == ReportDocumentBuilder.Ids.Resilience).Blocks.OfType<Table>().Single();

        Assert.Equal("no-policy cell: success / E2E p95 (ms)", resilience.Headers[4]);
        Assert.All(resilience.Rows, r => Assert.StartsWith("100 % / ", string.Concat(r[4].Select(s => s.Text)), StringComparison.Ordinal));

        Assert.Equal("mode · policy", summary.Headers[1]);
        Assert.Contains(summary.Rows, r => string.Concat(r[1].Select(s => s.Text)) == "streaming · retries-3");
        Assert.Contains(summary.Rows, r => string.Concat(r[1].Select(s => s.Text)) == "streaming");
    }

    [Fact]
    public void Report_WithoutPolicies_HasNoResilienceSection_NoResilienceChart_AndTheModeColumnAsBefore()
    {
        using var run = TestRun.Standard(sweep: true).Save();

        var report = run.Report();
        var document = ReportDocumentBuilder.Build(report);
        var charts = ChartBuilder.Write(report, run.Directory);

        Assert.Empty(report.Resilience);
        Assert.DoesNotContain(document.Sections, s => s.Id == ReportDocumentBuilder.Ids.Resilience);
        Assert.DoesNotContain(charts, c => c.Section == ChartSection.Resilience);
        Assert.Equal("mode", document.Sections.Single(s => s.Id == ReportDocumentBuilder.Ids.Summary).Blocks.OfType<Table>().Single().Headers[1]);
        Assert.DoesNotContain("policy", string.Concat(document.Sections.SelectMany(s => s.Blocks.OfType<Table>()).SelectMany(t => t.Headers)), StringComparison.Ordinal);
    }

    [Fact]
    public void DescribePolicy_EveryPart_InWords()
    {
        var policy = new ResiliencePolicy
        {
            Name = "all",
            Retry = new RetrySpec { MaxRetries = 2, BaseDelayMs = 500, Jitter = false, HonourRetryAfter = false },
            AttemptTimeoutS = 10,
            TotalTimeoutS = 30,
            CircuitBreaker = new CircuitBreakerSpec(),
            RateLimiter = new ClientRateLimitSpec { Rpm = 600, Tpm = 90_000 },
            Hedging = new HedgingSpec { DelayMs = 1500 },
        };

        Assert.Equal(
            "2 retries, exponential back-off from 500 ms (at most 60 s), ignoring Retry-After; each attempt cut after 10 s; a request given up after 30 s in all; "
            + "circuit breaker at 50 % failures over 10 s (at least 20 requests), open 5 s; client rate limiter at 600 RPM and 90,000 TPM (queue 10,000); "
            + "hedging after 1.5 s (1 hedged attempt, non-streaming only)",
            ReportDocumentBuilder.DescribePolicy(policy));
        Assert.Equal("no policy: one attempt per request, the raw endpoint", ReportDocumentBuilder.DescribePolicy(new ResiliencePolicy { Name = "raw" }));
    }

    [Fact]
    public void RunInfo_Resilience_RoundTripsThroughRunJson()
    {
        using var run = TestRun.Standard(policies: true).Save();

        var read = ResultsDirectory.ReadRunInfo(run.Directory)!;

        var policy = Assert.Single(read.Resilience);
        Assert.Equal(TestRun.Retries, policy.Name);
        Assert.Equal(3, policy.Retry!.MaxRetries);
        Assert.Equal(RetrySpec.DefaultRetryOn, policy.Retry.RetryOn);
    }

    private static string Text(Section section) => string.Join("\n", section.Blocks.SelectMany(b => b switch
    {
        Paragraph p => [string.Concat(p.Text.Select(s => s.Text))],
        BulletList l => l.Items.Select(i => string.Concat(i.Select(s => s.Text))),
        Quote q => [string.Concat(q.Text.Select(s => s.Text))],
        _ => [],
    }));
}
