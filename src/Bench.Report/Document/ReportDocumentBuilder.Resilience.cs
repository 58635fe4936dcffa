using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Report.Charts;
using Bench.Report.Model;

namespace Bench.Report.Document;

/// <summary>The resilience section's words (<see cref="ResilienceVerdict"/>): which policies ran, in words; per cell
/// the success rate without → with its policy, attempts per success, latency added by retries, what retries cost and
/// the time spent rate-limited; and one plain sentence per cell. Absent when no cell ran under a policy, so a run
/// without policies reads as before.</summary>
public static partial class ReportDocumentBuilder
{
    private static Section? ResilienceSection(RunReport report)
    {
        if (report.Resilience.Count == 0)
        {
            return null;
        }

        var blocks = new List<Block>
        {
            Para("Each policy ran as its own cells, against the same endpoint. A request is what the user saw (its outcome after every retry); an attempt is one send to the endpoint. ",
                Strong("Without"), " is the share of requests whose first attempt succeeded (what the same requests would have got with no retry or hedge); when the run also has a cell of the same model and mode without a policy, its success rate and E2E p95 are shown too, and the verdict compares with that cell (it says which it used). ",
                Code("retry_added_ms"), " is what earlier attempts and waits added before the attempt that succeeded (0 for a first-attempt success). Retries cost what their attempts were billed; rate-limited time is the waits the server asked for plus the client limiter's."),
        };
        var policies = report.Run.Resilience;
        if (policies.Count > 0)
        {
            blocks.Add(Para(Strong("Policies used:")));
            blocks.Add(new BulletList([.. policies.Select(p => (IReadOnlyList<Span>)[Code(p.Name), ": " + DescribePolicy(p) + "."])]));
        }

        // "Without" is always the cell's own first attempts; the no-policy cell's figures join when the run has one.
        var baselines = report.Resilience.Any(v => v.NoPolicy is not null);
        var rows = report.Resilience.Select(v =>
        {
            var s = v.Cell.Summary;
            var noPolicy = v.NoPolicy?.Summary;
            List<object> row =
            [
                .. HasTargets(report) ? [s.Target ?? ""] : Array.Empty<object>(),
                s.Model, Names.Of(s.Mode), Code(v.PolicyName), Pct(s.FirstAttemptSuccessRate),
            ];
            if (baselines)
            {
                row.Add(noPolicy is null ? "–" : $"{Pct(noPolicy.SuccessRate)} / {Ms(noPolicy.Get(Metric.E2e)?.P95)}");
            }

            row.AddRange(
            [
                $"{Pct(s.SuccessRate)} / {Ms(s.Get(Metric.E2e)?.P95)}",
                s.AttemptsPerSuccess is { } aps ? aps.ToString("0.00", Inv) : "–",
                s.RetryAddedMs is { } added ? $"{Ms(added.P50)} / {Ms(added.P95)}" : "–",
                string.Create(Inv, $"{s.RetryBilledTokens.PromptTokens:N0} / {s.RetryBilledTokens.CompletionTokens:N0}"),
                v.Cell.Cost.RetryCostUsdPer1kRequests is { } per1k
                    ? $"{Usd(per1k)} ({(v.Cell.Cost.RetryCostPercent is { } share ? share.ToString("0.0#", Inv) + " %" : "–")})"
                    : v.Cell.Price is null ? "not priced" : "–",
                Seconds(s.RateLimitedMsTotal),
            ]);
            return Row(row);
        });
        string[] headers =
        [
            .. HasTargets(report) ? [MetricCatalog.Target.DisplayName] : Array.Empty<string>(),
            "model", "mode", "policy", "success without (first attempt)", .. baselines ? ["no-policy cell: success / E2E p95 (ms)"] : Array.Empty<string>(),
            "with policy: success / E2E p95 (ms)", "attempts per success", "added by retries p50 / p95 (ms)", "retry tokens in / out", "retries $ per 1k requests (% of cost)", "time rate-limited",
        ];
        blocks.Add(Table(headers, (HasTargets(report) ? "L" : "") + "LLLR" + (baselines ? "R" : "") + "RRRRRR", rows));
        blocks.Add(new BulletList([.. report.Resilience.Select(v => (IReadOnlyList<Span>)[ResilienceVerdictText(v)])]));
        blocks.Add(new ChartSlot(ChartSection.Resilience));
        return new Section(Ids.Resilience, "Resilience", blocks);
    }

    /// <summary>The verdict of one cell in plain words, e.g. "with 3 retries honouring Retry-After, gemini-2.5-flash ·
    /// streaming goes from 98.4 % (first attempt) to 99.96 % success at +1,100 ms p95 and +0.4 % cost".</summary>
    public static string ResilienceVerdictText(ResilienceVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var s = verdict.Cell.Summary;
        if (verdict.Policy is { IsNone: true })
        {
            // The raw endpoint under a name: the baseline the other policies are compared with, not a policy to judge.
            var p95 = verdict.E2eP95Ms is { } e2e ? string.Create(Inv, $", E2E p95 {e2e:N0} ms") : "";
            return $"`{verdict.PolicyName}` is the raw endpoint (no policy): {CellKey.Label(s.Target, s.Model, s.Mode, null)} at {Pct(verdict.WithSuccessRate)} success{p95} — the baseline.";
        }

        var how = verdict.Policy is { } policy ? ShortPolicy(policy) : $"policy {verdict.PolicyName}";
        var from = verdict.Baseline == ResilienceBaseline.NoPolicyCell
            ? $"{Pct(verdict.WithoutSuccessRate)} (its no-policy cell)"
            : $"{Pct(verdict.WithoutSuccessRate)} (first attempts)";
        var move = verdict.SuccessGain switch
        {
            > 0 => $"goes from {from} to {Pct(verdict.WithSuccessRate)} success",
            < 0 => $"falls from {from} to {Pct(verdict.WithSuccessRate)} success",
            _ => $"stays at {Pct(verdict.WithSuccessRate)} success (as {(verdict.Baseline == ResilienceBaseline.NoPolicyCell ? "its no-policy cell" : "its first attempts")})",
        };
        var latency = verdict.AddedP95Ms is { } added
            ? verdict.Baseline == ResilienceBaseline.NoPolicyCell
                ? $"{SignedMs(added)} E2E p95 against the no-policy cell"
                : $"{SignedMs(added)} p95 added by retries"
            : "no latency to compare (no success)";
        var cost = verdict.CostIncreasePercent is { } percent
            ? $"{(percent >= 0 ? "+" : "−")}{Math.Abs(percent).ToString(percent != 0 && Math.Abs(percent) < 0.1m ? "0.00" : "0.0", Inv)} % cost"
            : verdict.Cell.Price is null ? "cost not priced" : "no cost to compare";
        var attempts = s.AttemptsPerSuccess is { } aps ? string.Create(Inv, $" ({aps:0.00} attempts per success)") : "";
        return $"With {how}, {CellKey.Label(s.Target, s.Model, s.Mode, null)} {move} at {latency} and {cost}{attempts}.";
    }

    /// <summary>A policy in words, every part: "3 retries, exponential back-off from 1 s (at most 60 s) with jitter,
    /// honouring Retry-After; circuit breaker at 50 % failures over 10 s (at least 20 requests), open 5 s".</summary>
    public static string DescribePolicy(ResiliencePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.IsNone)
        {
            return "no policy: one attempt per request, the raw endpoint";
        }

        var parts = new List<string>();
        if (policy.Retry is { } r)
        {
            parts.Add(r.MaxRetries == 0
                ? "no retries"
                : $"{Retries(r.MaxRetries)}, exponential back-off from {Duration(r.BaseDelayMs)} (at most {Duration(r.MaxDelayMs)}){(r.Jitter ? " with jitter" : "")}, "
                    + (r.HonourRetryAfter ? "honouring Retry-After and the rate-limit reset headers" : "ignoring Retry-After")
                    + (r.RetryOn.SequenceEqual(RetrySpec.DefaultRetryOn) ? "" : $", retrying {string.Join(", ", r.RetryOn.Select(Names.Of))}"));
        }

        if (policy.AttemptTimeoutS is { } attempt)
        {
            parts.Add($"each attempt cut after {Duration(attempt * 1000)}");
        }

        if (policy.TotalTimeoutS is { } total)
        {
            parts.Add($"a request given up after {Duration(total * 1000)} in all");
        }

        if (policy.CircuitBreaker is { } b)
        {
            parts.Add(string.Create(Inv, $"circuit breaker at {b.FailureRatio * 100:0.#} % failures over {Duration(b.SamplingS * 1000)} (at least {b.MinimumThroughput:N0} requests), open {Duration(b.BreakS * 1000)}"));
        }

        if (policy.RateLimiter is { } l)
        {
            var limits = new List<string>();
            if (l.Rpm is { } rpm)
            {
                limits.Add(string.Create(Inv, $"{rpm:N0} RPM"));
            }

            if (l.Tpm is { } tpm)
            {
                limits.Add(string.Create(Inv, $"{tpm:N0} TPM"));
            }

            parts.Add(string.Create(Inv, $"client rate limiter at {string.Join(" and ", limits)} (queue {l.Queue:N0})"));
        }

        if (policy.Hedging is { } h)
        {
            parts.Add(string.Create(Inv, $"hedging after {Duration(h.DelayMs)} ({h.MaxHedgedAttempts} hedged attempt{(h.MaxHedgedAttempts == 1 ? "" : "s")}, non-streaming only)"));
        }

        return string.Join("; ", parts);
    }

    /// <summary>A policy in a few words for a sentence: "3 retries honouring Retry-After and a circuit breaker".</summary>
    private static string ShortPolicy(ResiliencePolicy policy)
    {
        if (policy.IsNone)
        {
            return "no policy";
        }

        var parts = new List<string>();
        if (policy.Retry is { } r)
        {
            parts.Add(r.MaxRetries == 0 ? "no retries" : Retries(r.MaxRetries) + (r.HonourRetryAfter ? " honouring Retry-After" : ""));
        }

        if (policy.AttemptTimeoutS is not null || policy.TotalTimeoutS is not null)
        {
            parts.Add("timeouts");
        }

        if (policy.CircuitBreaker is not null)
        {
            parts.Add("a circuit breaker");
        }

        if (policy.RateLimiter is not null)
        {
            parts.Add("a client rate limiter");
        }

        if (policy.Hedging is not null)
        {
            parts.Add("hedging");
        }

        return parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];
    }

    private static string Retries(int n) => n == 1 ? "1 retry" : string.Create(Inv, $"{n} retries");

    /// <summary>Milliseconds as words: "250 ms", "1 s", "1.5 s", "2 min".</summary>
    private static string Duration(double ms) => ms switch
    {
        < 1000 => string.Create(Inv, $"{ms:0.#} ms"),
        < 120_000 => string.Create(Inv, $"{ms / 1000:0.##} s"),
        _ => string.Create(Inv, $"{ms / 60_000:0.#} min"),
    };

    private static string SignedMs(double ms) => (ms >= 0 ? "+" : "−") + Math.Abs(ms) switch
    {
        < 1000 => string.Create(Inv, $"{Math.Abs(ms):0} ms"),
        var a => string.Create(Inv, $"{a / 1000:0.0#} s"),
    };

    private static string Seconds(double ms) => ms == 0 ? "0 s" : string.Create(Inv, $"{ms / 1000:N1} s");
}
