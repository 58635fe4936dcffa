using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Statistics;
using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.SignificanceTesting;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;
using Pragmastat.Metrology;

namespace Bench.Report.Comparison;

/// <summary>
/// Judges a current side against a baseline, after dotnet/performance's ResultsComparer (<c>TwoInputsComparer</c>): a
/// two-sided equivalence test at a practical threshold (Perfolizer's <c>SimpleEquivalenceTest</c> over a one-sided
/// Mann–Whitney U test; Mann &amp; Whitney, Ann. Math. Stat. 18, 1947), then the same test at a noise floor; a verdict
/// other than Same needs both to say "not the same". Success rates are judged by Newcombe's hybrid score interval for
/// the difference of two proportions (<see cref="ProportionDifference"/>) at the 1 − 2α level against a margin (a TOST
/// on the interval, Schuirmann 1987).
/// </summary>
public static class Comparer
{
    /// <summary>The success-rate figures judged as proportions, with their success and trial counts.</summary>
    private static readonly Dictionary<string, Func<CellSummary, (long Successes, long Trials)>> Proportions = new(StringComparer.Ordinal)
    {
        [MetricCatalog.SuccessRate.Id] = s => (s.Successes, s.Requests),
        [MetricCatalog.AttemptSuccessRate.Id] = s => (s.AttemptSuccesses, s.Attempts),
        [MetricCatalog.FirstAttemptSuccessRate.Id] = s => (s.FirstAttemptSuccesses, s.Requests),
    };

    /// <summary>Id of a benchmark's time per operation (ns) in rows.</summary>
    public const string MicroTimeId = "time_ns";

    /// <summary>Id of a benchmark's allocated bytes per operation in rows.</summary>
    public const string MicroAllocatedId = "allocated_bytes";

    /// <summary>Compares two loaded sides of the same kind.</summary>
    /// <exception cref="ArgumentException">The sides are of different kinds.</exception>
    public static Comparison Compare(ComparisonSide baseline, ComparisonSide current, ComparisonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(settings);
        if (baseline.Kind != current.Kind)
        {
            throw new ArgumentException("The two sides are of different kinds.", nameof(current));
        }

        return baseline.Kind == SideKind.Micro ? CompareMicro(baseline, current, settings) : CompareRuns(baseline, current, settings);
    }

    /// <summary>
    /// How the cells of two runs are paired: by target × model × mode × policy; but when each side has exactly one
    /// target, by model × mode × policy alone, so a folder written before targets (no target) or a run against one
    /// renamed target still compares with a one-target run. Two runs of several targets pair only same-named targets.
    /// </summary>
    /// <returns>The key of a cell on either side.</returns>
    public static Func<SideCell, CellKey> MatchKey(ComparisonSide baseline, ComparisonSide current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        return baseline.Targets.Count <= 1 && current.Targets.Count <= 1 ? c => c.Key.WithoutTarget : c => c.Key;
    }

    private static Comparison CompareRuns(ComparisonSide baseline, ComparisonSide current, ComparisonSettings settings)
    {
        var rows = new List<ComparisonRow>();
        var key = MatchKey(baseline, current);
        var currentCells = current.Cells.ToDictionary(key);
        var sloNames = baseline.SloNames.Intersect(current.SloNames, StringComparer.Ordinal).ToList();
        // Counts (successes, failed_<outcome>, dropped, retry tokens …) grow with the run's length: the rates that
        // normalise them (success_rate, attempt_success_rate, attempts_per_request) are what is compared. Interval
        // bounds (success_rate_ci_low …) describe a sample, not the system: the figure they bound is judged instead.
        var metrics = MetricCatalog.All.Where(m => m.ThresholdEligible && !m.IsIntervalBound && m.Format != NumberFormat.Integer).Concat(sloNames.SelectMany(n => new[]
        {
            MetricCatalog.SloGoodFraction.For(n), MetricCatalog.SloGoodputRps.For(n),
        })).ToList();
        foreach (var b in baseline.Cells)
        {
            if (!currentCells.TryGetValue(key(b), out var c))
            {
                continue;
            }

            foreach (var metric in metrics)
            {
                if (metric.Value(b.Combined) is not { } bv || metric.Value(c.Combined) is not { } cv || !double.IsFinite(bv) || !double.IsFinite(cv))
                {
                    continue;
                }

                var row = new ComparisonRow
                {
                    Cell = c.Name, Target = c.Target, Model = b.Model, Mode = Names.Of(b.Mode), Policy = b.Policy, MetricId = metric.Id, Unit = metric.Unit,
                    Direction = metric.Direction, Baseline = bv, Current = cv, FailOn = settings.Fails(metric.Id),
                };
                rows.Add(Judge(row, metric, b, c, settings));
            }
        }

        var baseKeys = baseline.Cells.Select(key).ToHashSet();
        return new Comparison
        {
            Baseline = baseline.Path, Current = current.Path, Kind = SideKind.Run, Rows = rows, Settings = settings,
            OnlyInBaseline = [.. baseline.Cells.Where(x => !currentCells.ContainsKey(key(x))).Select(x => x.Name)],
            OnlyInCurrent = [.. current.Cells.Where(x => !baseKeys.Contains(key(x))).Select(x => x.Name)],
        };
    }

    private static ComparisonRow Judge(ComparisonRow row, MetricDefinition metric, SideCell b, SideCell c, ComparisonSettings settings)
    {
        if (ProportionCounts(metric, b.Combined.Summary) is { } bc && ProportionCounts(metric, c.Combined.Summary) is { } cc)
        {
            return JudgeProportion(row, bc, cc, settings);
        }

        if (ThinTail(metric, b, c) is { } thin)
        {
            return row with { Verdict = Verdict.Unknown, Method = ComparisonMethod.None, Note = thin };
        }

        var bReplicates = b.Replicates.Select(metric.Value).OfType<double>().Where(double.IsFinite).ToArray();
        var cReplicates = c.Replicates.Select(metric.Value).OfType<double>().Where(double.IsFinite).ToArray();
        if (b.Replicates.Count >= 2 && c.Replicates.Count >= 2)
        {
            return bReplicates.Length >= 2 && cReplicates.Length >= 2
                ? JudgeSamples(row, bReplicates, cReplicates, ComparisonMethod.Replicates, settings)
                : row with { Verdict = Verdict.Unknown, Method = ComparisonMethod.None, Note = "fewer than 2 replicates have this figure on a side" };
        }

        if (metric.Distribution is { } distribution && b.Samples.TryGetValue(distribution.Id, out var bs) && c.Samples.TryGetValue(distribution.Id, out var cs)
            && bs.Length > 0 && cs.Length > 0)
        {
            return JudgeSamples(row, bs, cs, ComparisonMethod.Requests, settings);
        }

        return row with
        {
            Verdict = Verdict.Unknown, Method = ComparisonMethod.None,
            Note = metric.Distribution?.PerRequest is null ? "needs replicates on both sides (--repeat N)" : "no per-request samples on a side",
        };
    }

    /// <summary>Fewest requests that must lie beyond a tail statistic (p90 … p99.9, min, max) in each sample it is read
    /// from — each replicate's successful requests, or each side's per-request values — for the statistic to be
    /// compared: with fewer it is a handful of extreme values (the p99 of 32 requests is their maximum), which differ
    /// between two runs of the same system far more than a threshold allows. Measured (eng/gate-check, five replicates
    /// of 32 requests a cell): the false alarms of same-against-same comparisons were all tails — TPOT's p99, p99.9 and
    /// max, then ITL's p90–p99 while ITL's gaps, which share their request's decode speed, were counted as samples.</summary>
    public const int MinSamplesBeyondTail = 5;

    /// <summary>Why a tail statistic cannot be compared (too few samples beyond it on a side), or null when it can or is
    /// not a tail statistic.</summary>
    internal static string? ThinTail(MetricDefinition metric, SideCell b, SideCell c)
    {
        if (metric.TailShare is not { } share || metric.Distribution is not { } distribution)
        {
            return null;
        }

        // The independent units are requests: ITL's many gaps per request share that request's decode speed, so a
        // tail of ITL rests on as few requests as TTFT's does. Count successful requests, never gaps.
        var replicated = b.Replicates.Count >= 2 && c.Replicates.Count >= 2;
        var fewest = replicated
            ? b.Replicates.Concat(c.Replicates).Select(r => (double)r.Summary.Successes).Min()
            : Math.Min(b.Samples.GetValueOrDefault(distribution.Id)?.Length ?? 0, c.Samples.GetValueOrDefault(distribution.Id)?.Length ?? 0);
        if (share == 0)
        {
            return "an extreme (one sample): shown, never judged";
        }

        var needed = (int)Math.Ceiling(MinSamplesBeyondTail / share);
        return fewest * share >= MinSamplesBeyondTail
            ? null
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"too few samples beyond this tail to judge it: {fewest:N0} per {(replicated ? "replicate" : "side")}, {needed:N0} needed");
    }

    private static (long Successes, long Trials)? ProportionCounts(MetricDefinition metric, CellSummary s)
    {
        if (Proportions.TryGetValue(metric.Id, out var read))
        {
            return read(s);
        }

        return MetricCatalog.SloGoodFraction.TryMatch(metric.Id, out var name) && s.Slos.FirstOrDefault(x => x.Name == name) is { } slo
            ? (slo.GoodRequests, s.Requests)
            : null;
    }

    private static ComparisonRow JudgeProportion(ComparisonRow row, (long Successes, long Trials) b, (long Successes, long Trials) c, ComparisonSettings settings)
    {
        var margin = settings.RateMargin;
        row = row with
        {
            Method = ComparisonMethod.Proportions, BaselineSamples = b.Trials, CurrentSamples = c.Trials,
            Threshold = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{margin * 100:0.##}pp"),
        };
        if (b.Trials == 0 || c.Trials == 0)
        {
            return row with { Verdict = Verdict.Unknown, Note = "no requests on a side" };
        }

        var interval = ProportionDifference.Newcombe(c.Successes, c.Trials, b.Successes, b.Trials, 1 - (2 * settings.Alpha));
        var higherIsBetter = row.Direction == MetricDirection.HigherIsBetter;
        var verdict = interval.Upper < -margin ? (higherIsBetter ? Verdict.Slower : Verdict.Faster)
            : interval.Lower > margin ? (higherIsBetter ? Verdict.Faster : Verdict.Slower)
            : Verdict.Same;
        // Same is the verdict whenever the interval does not lie wholly past the margin (the brief's TOST reading);
        // when it also reaches past the margin, the samples could not show equivalence either, and the row says so.
        var inconclusive = verdict == Verdict.Same && (interval.Lower < -margin || interval.Upper > margin);
        return row with
        {
            Verdict = verdict, IntervalLower = interval.Lower, IntervalUpper = interval.Upper,
            Note = inconclusive ? "inconclusive: the interval reaches past the margin; more requests would narrow it" : null,
        };
    }

    /// <summary>ResultsComparer's two steps over two samples, in the row's direction.</summary>
    internal static ComparisonRow JudgeSamples(ComparisonRow row, double[] baseline, double[] current, ComparisonMethod method, ComparisonSettings settings)
    {
        var threshold = settings.ThresholdFor(row.Unit, method);
        var noise = settings.NoiseFor(row.Unit);
        row = row with
        {
            Method = method, BaselineSamples = baseline.Length, CurrentSamples = current.Length, Threshold = threshold.Text, Noise = noise.Text,
        };
        if (baseline.Length < 1 || current.Length < 1 || (baseline.Length <= 1 && current.Length <= 1))
        {
            return row with { Verdict = Verdict.Unknown, Note = "too few samples" };
        }

        var x = new Sample(current);
        var y = new Sample(baseline);
        var alpha = new SignificanceLevel(settings.Alpha);
        var perfolizerThreshold = ToPerfolizer(threshold, row.Unit);
        var test = new SimpleEquivalenceTest(MannWhitneyTest.Instance);
        var result = test.Perform(x, y, perfolizerThreshold, alpha);
        var greater = MannWhitneyTest.Instance.GetPValue(x, y, AlternativeHypothesis.Greater, perfolizerThreshold).Value;
        var lesser = MannWhitneyTest.Instance.GetPValue(y, x, AlternativeHypothesis.Greater, perfolizerThreshold).Value;
        row = row with { PValueGreater = greater, PValueLesser = lesser };
        if (result == ComparisonResult.Unknown)
        {
            return row with { Verdict = Verdict.Unknown, Note = "too few samples" };
        }

        var shortcut = Math.Min(greater, lesser) >= settings.Alpha && result != ComparisonResult.Indistinguishable;
        if (result == ComparisonResult.Indistinguishable)
        {
            // The exact one-sided Mann–Whitney p-value can be no smaller than 1 / C(n + m, n): below that many samples
            // the test cannot reject at α, and "Same" would claim what it cannot see.
            return SmallestPValue(baseline.Length, current.Length) >= settings.Alpha
                ? row with { Verdict = Verdict.Unknown, Note = $"too few samples to show a change at alpha {settings.Alpha} (need about {MinSamplesPerSide(settings.Alpha)} a side)" }
                : row with { Verdict = Verdict.Same };
        }

        // Step two: the noise floor. A difference smaller than it is Same whatever the threshold test said.
        var noiseResult = test.Perform(x, y, ToPerfolizer(noise, row.Unit), alpha);
        if (noiseResult is ComparisonResult.Indistinguishable or ComparisonResult.Unknown || noiseResult != result)
        {
            return row with { Verdict = Verdict.Same, Note = $"within the noise floor ({noise.Text})" };
        }

        var currentHigher = result == ComparisonResult.Greater;
        var better = currentHigher == (row.Direction == MetricDirection.HigherIsBetter);
        return row with
        {
            Verdict = better ? Verdict.Faster : Verdict.Slower,
            Note = shortcut ? "shift beyond 10x the threshold (Perfolizer's practical-significance rule)" : null,
        };
    }

    /// <summary>A Bench threshold as Perfolizer's: a percentage, or an absolute shift in the samples' unit.</summary>
    private static Threshold ToPerfolizer(CompareThreshold threshold, string unit)
    {
        if (threshold.Relative)
        {
            return threshold.Value == 0 ? Threshold.Zero : new Threshold(new Measurement(threshold.Value * 100, PercentUnit.Instance));
        }

        var amount = threshold.AbsoluteIn(unit) ?? 0;
        return amount == 0 ? Threshold.Zero : new Threshold(new Measurement(amount, NumberUnit.Instance));
    }

    /// <summary>1 / C(n + m, n): the smallest one-sided exact Mann–Whitney p-value for sample sizes n and m.</summary>
    internal static double SmallestPValue(int n, int m)
    {
        var p = 1.0;
        for (var i = 1; i <= Math.Min(n, m); i++)
        {
            p *= (double)i / (Math.Max(n, m) + i);
        }

        return p;
    }

    /// <summary>The fewest samples a side (equal sizes) at which the test can reject at <paramref name="alpha"/>.</summary>
    internal static int MinSamplesPerSide(double alpha)
    {
        var n = 2;
        while (SmallestPValue(n, n) >= alpha && n < 1000)
        {
            n++;
        }

        return n;
    }

    private static Comparison CompareMicro(ComparisonSide baseline, ComparisonSide current, ComparisonSettings settings)
    {
        var rows = new List<ComparisonRow>();
        var currentCases = current.Cases.ToDictionary(c => c.FullName, StringComparer.Ordinal);
        foreach (var b in baseline.Cases)
        {
            if (!currentCases.TryGetValue(b.FullName, out var c))
            {
                continue;
            }

            if (b.TimesNs.Length > 0 && c.TimesNs.Length > 0)
            {
                var time = new ComparisonRow
                {
                    Cell = b.FullName, MetricId = MicroTimeId, Unit = "ns", Direction = MetricDirection.LowerIsBetter,
                    Baseline = Median(b.TimesNs), Current = Median(c.TimesNs), FailOn = settings.Fails(MicroTimeId),
                };
                rows.Add(JudgeSamples(time, b.TimesNs, c.TimesNs, ComparisonMethod.Iterations, settings));
            }

            if (b.AllocatedBytes is { } ba && c.AllocatedBytes is { } ca)
            {
                var noise = settings.NoiseFor("B");
                var floor = noise.Relative ? noise.Value * ba : noise.AbsoluteIn("B") ?? 0;
                var verdict = ca - ba > floor ? Verdict.Slower : ba - ca > floor ? Verdict.Faster : Verdict.Same;
                rows.Add(new ComparisonRow
                {
                    Cell = b.FullName, MetricId = MicroAllocatedId, Unit = "B", Direction = MetricDirection.LowerIsBetter, Baseline = ba, Current = ca,
                    Verdict = verdict, Method = ComparisonMethod.Exact, BaselineSamples = 1, CurrentSamples = 1, Noise = noise.Text,
                    FailOn = settings.Fails(MicroAllocatedId),
                });
            }
        }

        var baseNames = baseline.Cases.Select(x => x.FullName).ToHashSet(StringComparer.Ordinal);
        return new Comparison
        {
            Baseline = baseline.Path, Current = current.Path, Kind = SideKind.Micro, Rows = rows, Settings = settings,
            OnlyInBaseline = [.. baseline.Cases.Where(x => !currentCases.ContainsKey(x.FullName)).Select(x => x.FullName)],
            OnlyInCurrent = [.. current.Cases.Where(x => !baseNames.Contains(x.FullName)).Select(x => x.FullName)],
        };
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
