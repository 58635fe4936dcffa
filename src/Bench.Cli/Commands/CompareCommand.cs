using System.CommandLine;
using Bench.Cli.Options;
using Bench.Harness.Comparing;

namespace Bench.Cli.Commands;

/// <summary><c>bench compare BASELINE CURRENT</c>: calls <see cref="CompareHarness.Compare"/>.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var baseline = new Argument<string>("baseline") { Description = "The baseline: a results folder (records.jsonl) or a folder of BenchmarkDotNet *-report-full.json." };
        var current = new Argument<string>("current") { Description = "The current side, of the same kind." };
        var threshold = new Option<string?>("--threshold") { Description = "Practical threshold: relative (5%) or absolute (20ms, 0.5s, a bare number in the metric's unit). Default 5% over replicates, 10% over per-request samples." };
        var noise = new Option<string?>("--noise") { Description = "Noise floor: a change below it is Same (default 5ms on time metrics, 0 on others)." };
        var rate = new Option<string?>("--rate-threshold") { Description = "Margin for success rates, in percentage points (default 1pp)." };
        var alpha = new Option<double?>("--alpha") { Description = "Significance level of each one-sided test (default 0.01)." };
        var failOn = new Option<string[]>("--fail-on") { Description = "Metric ids or globs whose Slower fails the build (ttft_ms_*,success_rate); default every metric.", AllowMultipleArgumentsPerToken = true };
        var markdown = new Option<string?>("--markdown") { Description = "Write GitHub-flavoured Markdown here (a PR comment, $GITHUB_STEP_SUMMARY)." };
        var json = new Option<string?>("--json") { Description = "Write every row as JSON here (- for standard output)." };
        var junit = new Option<string?>("--junit") { Description = "Write JUnit XML here (one test case per metric, regressions as failures)." };
        var all = new Option<bool>("--all") { Description = "List every row in the console table, not only the changes." };
        var prices = SharedOptions.Prices();
        var command = new Command("compare", "Compare two results folders (or two BenchmarkDotNet result folders): Faster / Slower / Same / Unknown per cell and metric; exit 1 on a regression.")
        {
            baseline, current, threshold, noise, rate, alpha, failOn, markdown, json, junit, all, prices,
        };
        command.SetAction(parse => CompareHarness.Compare(parse.GetValue(baseline)!, parse.GetValue(current)!, new CompareRequest
        {
            Threshold = parse.GetValue(threshold),
            Noise = parse.GetValue(noise),
            RateThreshold = parse.GetValue(rate),
            Alpha = parse.GetValue(alpha),
            FailOn = parse.GetValue(failOn) ?? [],
            Markdown = parse.GetValue(markdown),
            Json = parse.GetValue(json),
            Junit = parse.GetValue(junit),
            All = parse.GetValue(all),
            PricesFile = parse.GetValue(prices),
        }, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
