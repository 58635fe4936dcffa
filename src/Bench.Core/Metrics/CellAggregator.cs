using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Metrics;

/// <summary>
/// Folds the records of one cell (model × mode × resilience policy) into histograms and counters: memory stays constant however many
/// records pass through. Records of other phases (warm-up, by default sweep probes) are ignored. Not thread-safe.
/// </summary>
public sealed class CellAggregator
{
    private readonly LengthTally _lengths = new();
    private readonly Dictionary<string, LatencyHistogram> _latency = [];
    private readonly long[] _outcomes = new long[Enum.GetValues<Outcome>().Length];
    private long _requests;
    private long _successes;
    private double _firstSentMs = double.PositiveInfinity;
    private double _lastSentMs = double.NegativeInfinity;
    private double _lastEndMs = double.NegativeInfinity;
    private double _firstIntendedMs = double.PositiveInfinity;
    private double _lastIntendedMs = double.NegativeInfinity;
    private long _scheduled;
    private readonly Mean _decodeTps = new();

    // decode_tps (tokens/s) in a histogram built for milliseconds: the same 3 significant digits, for its median.
    private readonly LatencyHistogram _decodeTpsDistribution = new();
    private readonly Mean _prompt = new();
    private readonly Mean _completion = new();
    private readonly Mean _reasoning = new();
    private readonly Mean _cached = new();
    private long _successCompletionTokens;
    private long _tokenizerCompared;
    private long _comparedServerCompletion;
    private long _comparedTokenizerCompletion;
    private long _billedPrompt;
    private long _billedCached;
    private long _billedCacheWrite;
    private long _billedCompletion;
    private readonly Statistics.TokenMoments _tokenMoments = new();
    private long _withoutUsage;
    private readonly IReadOnlyList<SloSet> _slos;
    private readonly long[] _good;
    private long _goodInEverySet;

    private readonly string _phase;
    private readonly UsageFlags _usageFlags = new();
    private readonly FailureTally _failures = new();
    private readonly AttemptTally _attempts = new();

    /// <summary>Creates an aggregator for one cell, judging requests against <paramref name="slos"/> (may be empty).</summary>
    /// <param name="model">Model id.</param>
    /// <param name="mode">Mode.</param>
    /// <param name="slos">SLO sets to judge against.</param>
    /// <param name="phase">The phase whose records count (default <c>measure</c>; <c>sweep</c> for one probe).</param>
    /// <param name="policy">The resilience policy's name (<see cref="RequestRecord.Policy"/>), or null for none: only
    /// records run under it count.</param>
    /// <param name="target">The target's name (<see cref="RequestRecord.Target"/>), or null for records without one:
    /// only records sent to it count.</param>
    public CellAggregator(string model, Mode mode, IReadOnlyList<SloSet>? slos = null, string phase = Phases.Measure, string? policy = null, string? target = null)
    {
        Target = target;
        Model = model;
        Mode = mode;
        Policy = policy;
        _phase = phase;
        _slos = slos ?? [];
        _good = new long[_slos.Count];
    }

    /// <summary>The target's name, or null for records written before targets existed.</summary>
    public string? Target { get; }

    /// <summary>Model id.</summary>
    public string Model { get; }

    /// <summary>Mode.</summary>
    public Mode Mode { get; }

    /// <summary>The resilience policy's name, or null for none (the raw endpoint).</summary>
    public string? Policy { get; }

    /// <summary>Adds one record; ignores records of other cells (target, model, mode, policy) or other phases.</summary>
    public void Add(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Phase != _phase || r.Mode != Mode || r.Model != Model || r.Policy != Policy || r.Target != Target)
        {
            return;
        }

        _outcomes[(int)r.Outcome]++;
        if (r.IntendedMs is { } intended)
        {
            // Every arrival of the schedule, a dropped one included: intended_rps is the rate the schedule asked for,
            // so a client that dropped most arrivals shows as sending far less than it was asked to.
            _scheduled++;
            _firstIntendedMs = Math.Min(_firstIntendedMs, intended);
            _lastIntendedMs = Math.Max(_lastIntendedMs, intended);
        }

        if (!r.Outcome.IsAttempt())
        {
            // Dropped by the client or cancelled by an interrupt: counted apart, in no other rate, latency or cost.
            return;
        }

        _requests++;
        _firstSentMs = Math.Min(_firstSentMs, r.SentMs);
        _lastSentMs = Math.Max(_lastSentMs, r.SentMs);
        _lastEndMs = Math.Max(_lastEndMs, r.EndMs);

        // Usage that cannot be believed is counted and never billed (UsageCheck); failures are tallied for the report.
        var billable = _usageFlags.Add(r);
        _failures.Add(r);
        _attempts.Add(r);
        if (!billable || (r.PromptTokens is null && r.CompletionTokens is null))
        {
            _withoutUsage++;
        }

        if (billable)
        {
            _billedPrompt += r.PromptTokens ?? 0;
            _billedCached += r.CachedTokens ?? 0;
            _billedCacheWrite += r.CacheWriteTokens ?? 0;
            _billedCompletion += r.CompletionTokens ?? 0;
        }

        // Per-request billed counts and success, for the cost intervals (cost is linear in the counts).
        _tokenMoments.Add(billable ? r.PromptTokens ?? 0 : 0, billable ? r.CachedTokens ?? 0 : 0, billable ? r.CompletionTokens ?? 0 : 0, r.Outcome == Outcome.Success,
            billable ? r.CacheWriteTokens ?? 0 : 0);

        // Queue and response time describe the schedule, so they count for every attempted request.
        Record(Metric.Queue, r);
        Record(Metric.Response, r);

        if (r.Outcome != Outcome.Success)
        {
            return;
        }

        if (billable)
        {
            _lengths.Add(r);
        }

        _successes++;
        var goodInEverySet = _slos.Count > 0;
        for (var i = 0; i < _slos.Count; i++)
        {
            if (SloEvaluator.IsGood(r, _slos[i]))
            {
                _good[i]++;
            }
            else
            {
                goodInEverySet = false;
            }
        }

        if (goodInEverySet)
        {
            _goodInEverySet++;
        }

        Record(Metric.Ttfb, r);
        Record(Metric.Ttft, r);
        Record(Metric.Ttfo, r);
        Record(Metric.Tpot, r);
        Record(Metric.E2e, r);
        // ITL has no per-request formula of one value, so the batch rule (Metric.HasRequestLatency) is applied here;
        // every other distribution applies it in its descriptor.
        foreach (var gap in Metric.HasRequestLatency(r.Mode) ? RequestMetrics.ItlMs(r) : [])
        {
            Record(Metric.Itl, gap);
        }

        var decodeTps = Metric.DecodeTps.PerRequest!(r);
        _decodeTps.Add(decodeTps);
        if (decodeTps is { } tps)
        {
            _decodeTpsDistribution.Record(tps);
        }
        if (!billable)
        {
            return;
        }

        _prompt.Add(r.PromptTokens);
        _completion.Add(r.CompletionTokens);
        _reasoning.Add(r.ReasoningTokens);
        _cached.Add(r.CachedTokens);
        _successCompletionTokens += r.CompletionTokens ?? 0;

        // Server usage beside the local count of the text it sent: where a relay's counts disagree with its text.
        if (r.TokensSource == TokenSources.Usage && r.CompletionTokens is { } server && r.TokenizerCompletionTokens is { } local and >= 0)
        {
            _tokenizerCompared++;
            _comparedServerCompletion += server;
            _comparedTokenizerCompletion += local;
        }
    }

    /// <summary>Records a request's value of a distribution, computed as the catalogue declares it
    /// (<see cref="MetricDescriptor.PerRequest"/>).</summary>
    private void Record(MetricDescriptor metric, RequestRecord r) => Record(metric, metric.PerRequest!(r));

    private void Record(MetricDescriptor metric, double? value)
    {
        if (value is not { } v)
        {
            return;
        }

        if (!_latency.TryGetValue(metric.Id, out var histogram))
        {
            histogram = new LatencyHistogram();
            _latency.Add(metric.Id, histogram);
        }

        histogram.Record(v);
    }

    /// <summary>The histogram of a metric, or null when it has no samples (for <c>.hlog</c> export).</summary>
    public LatencyHistogram? Histogram(MetricDescriptor metric) => _latency.GetValueOrDefault(metric.Id);

    /// <summary>The cell's summary so far.</summary>
    public CellSummary Summarize()
    {
        var duration = _requests == 0 ? 0 : (_lastEndMs - _firstSentMs) / 1000.0;
        var outcomes = new Dictionary<Outcome, long>();
        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            outcomes[outcome] = _outcomes[(int)outcome];
        }

        var latency = new Dictionary<string, MetricStats>();
        foreach (var metric in Metric.Latencies)
        {
            if (_latency.GetValueOrDefault(metric.Id)?.ToStats() is { } stats)
            {
                latency[metric.Id] = stats;
            }
        }

        var latencyCi = new Dictionary<string, Statistics.QuantileIntervals>();
        foreach (var metric in Metric.Latencies)
        {
            if (_latency.GetValueOrDefault(metric.Id)?.ToQuantileIntervals() is { } intervals)
            {
                latencyCi[metric.Id] = intervals;
            }
        }

        var successRate = _requests == 0 ? 0 : (double)_successes / _requests;
        var slos = new List<SloResult>(_slos.Count);
        for (var i = 0; i < _slos.Count; i++)
        {
            slos.Add(Judge(_slos[i], _good[i], successRate, duration));
        }

        return new CellSummary
        {
            Slos = slos,
            Target = Target,
            Model = Model,
            Mode = Mode,
            Policy = Policy,
            Requests = _requests,
            Successes = _successes,
            Outcomes = outcomes,
            Latency = latency,
            DecodeTpsMean = _decodeTps.Value,
            DecodeTpsP50 = _decodeTpsDistribution.ToStats()?.P50,
            PromptTokensMean = _prompt.Value,
            CompletionTokensMean = _completion.Value,
            ReasoningTokensMean = _reasoning.Value,
            CachedTokensMean = _cached.Value,
            TokenizerComparedRequests = _tokenizerCompared,
            ComparedServerCompletionTokens = _comparedServerCompletion,
            ComparedTokenizerCompletionTokens = _comparedTokenizerCompletion,
            // A logical request is billed for every attempt: the ending attempt's tokens (the record's) plus the others'.
            BilledTokens = new TokenCounts(_billedPrompt + _attempts.RetryTokens.PromptTokens, _billedCached + _attempts.RetryTokens.CachedTokens,
                _billedCompletion + _attempts.RetryTokens.CompletionTokens, CacheWriteTokens: _billedCacheWrite),
            RetryBilledTokens = _attempts.RetryTokens,
            BilledTokenMoments = _tokenMoments.Snapshot(),
            LatencyCi = latencyCi,
            Attempts = _attempts.Sent,
            AttemptSuccesses = _attempts.SentSuccesses,
            AttemptOutcomes = _attempts.Outcomes,
            FirstAttemptSuccesses = _attempts.FirstAttemptSuccesses,
            RetriedRequests = _attempts.Retried,
            HedgedRequests = _attempts.Hedged,
            RetryAddedMs = _attempts.RetryAdded(),
            BackoffMsTotal = _attempts.BackoffMs,
            RateLimitedMsTotal = _attempts.RateLimitedMs,
            RequestsWithoutUsage = _withoutUsage,
            UsageFlagged = _usageFlags.Count,
            Lengths = _lengths.ToComparison(),
            UsageFlaggedUnpriced = _usageFlags.Unpriced,
            UsageIssueKinds = _usageFlags.Kinds,
            UsageFlaggedExampleIds = [.. _usageFlags.ExampleIds],
            FailureGroups = _failures.Groups(),
            DurationS = duration,
            IntendedRatePerS = Rate(_scheduled, _firstIntendedMs, _lastIntendedMs),
            AchievedSendRatePerS = _scheduled > 0 ? Rate(_requests, _firstSentMs, _lastSentMs) : null,
            OutputTps = duration > 0 ? _successCompletionTokens / duration : 0,
            GoodputRps = _slos.Count == 0 ? null : duration > 0 ? _goodInEverySet / duration : 0,
        };
    }

    /// <summary>Requests per second between the first and last of <paramref name="count"/> instants: (n − 1) / span.</summary>
    private static double? Rate(long count, double firstMs, double lastMs) =>
        count >= 2 && lastMs > firstMs ? (count - 1) / ((lastMs - firstMs) / 1000.0) : null;

    private SloResult Judge(SloSet slo, long good, double successRate, double durationS)
    {
        var fraction = _requests == 0 ? 0 : (double)good / _requests;
        var goodput = durationS > 0 ? good / durationS : 0;
        var reasons = new List<string>();
        if (_requests == 0)
        {
            reasons.Add("no requests");
        }
        else if (slo.MaxMs.Count > 0 && !Metric.HasRequestLatency(Mode))
        {
            reasons.Add("a batch-api line has no latency of its own (its batch's turnaround is its latency), so no line meets a latency limit");
        }
        else if (slo.MaxMs.Count > 0 && fraction * 100 < slo.Percentile)
        {
            var limits = string.Join(" and ", slo.MaxMs.Select(kv => FormattableString.Invariant($"{kv.Key} ≤ {kv.Value:0.###}")));
            reasons.Add(FormattableString.Invariant($"only {fraction * 100:0.#} % of requests succeeded with {limits} (needs {slo.Percentile:0.#} %)"));
        }

        if (slo.MinSuccessRate is { } min && successRate < min)
        {
            reasons.Add(FormattableString.Invariant($"success rate {successRate * 100:0.##} % is below {min * 100:0.##} %"));
        }

        return new SloResult(slo.Name, good, fraction, goodput, reasons.Count == 0, reasons.Count == 0 ? null : string.Join("; ", reasons))
        {
            Evidence = SloEvaluator.Evidence(slo, good, _successes, _requests, Metric.HasRequestLatency(Mode)),
            Attempted = _requests,
            GoodFractionLower = _requests == 0 ? 0 : Statistics.ProportionBound.Lower(good, _requests, SloEvaluator.Confidence),
        };
    }

    /// <summary>An exact mean of the values that are present.</summary>
    private sealed class Mean
    {
        private double _sum;
        private long _count;

        public double? Value => _count == 0 ? null : _sum / _count;

        public void Add(double? value)
        {
            if (value is { } v)
            {
                _sum += v;
                _count++;
            }
        }
    }
}
