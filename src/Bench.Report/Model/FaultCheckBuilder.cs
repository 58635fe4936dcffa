using Bench.Core.Metrics;
using Bench.Core.Statistics;
using System.Globalization;
using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Core.Results;

namespace Bench.Report.Model;

/// <summary>
/// Builds a <see cref="FaultCheck"/> in the report's one pass over <c>records.jsonl</c>: <see cref="Start(string, RunInfo)"/> reads
/// <c>injections.jsonl</c> (a small file: one line per injected fault) and indexes it by request id and attempt;
/// <see cref="Add"/> joins each record's attempts to it and counts each cell's attempts by outcome; <see cref="Build"/>
/// gives the result. Memory grows with the injections and the cells, not with the records.
/// </summary>
/// <remarks>
/// An injection is joined to the record whose <c>id</c> is its <c>request_id</c>: to the attempt of its
/// <c>attempt</c> number when the record lists <see cref="RequestRecord.Attempts"/>, otherwise (a single attempt, which
/// is the record itself) when its attempt is 1.
/// </remarks>
public sealed class FaultCheckBuilder
{
    /// <summary>Most mismatches listed: 20.</summary>
    public const int MaxMismatches = 20;

    /// <summary>The reason a declared rate is not tested when its cell had too few attempts to expect even one failure of
    /// the class: observing none then says nothing (a 64-request cell and a 0.18 % rate expect 0.12).</summary>
    public const string TooFewAttempts = "too few attempts to test it";

    /// <summary>The fewest failures a cell must expect (attempts × declared rate) for its rate to be tested.</summary>
    public const double MinExpectedFailures = 1;

    private readonly RunInfo _run;
    private readonly RecordsReadResult? _read;
    private readonly List<InjectionRecord> _joinable = [];
    private readonly List<InjectionRecord> _refused = [];
    private readonly Dictionary<(long Id, int Attempt), List<int>> _byKey = [];
    private readonly Outcome?[] _recorded;
    private readonly Dictionary<CellKey, CellTally> _cells = [];
    private readonly List<CellKey> _cellOrder = [];

    private FaultCheckBuilder(RunInfo run, RecordsReadResult? read, List<InjectionRecord> injections)
    {
        _run = run;
        _read = read;
        foreach (var injection in injections)
        {
            if (injection.RequestId is null)
            {
                _refused.Add(injection);
                continue;
            }

            var index = _joinable.Count;
            _joinable.Add(injection);
            if (long.TryParse(injection.RequestId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                var key = (id, injection.Attempt);
                if (!_byKey.TryGetValue(key, out var list))
                {
                    _byKey[key] = list = [];
                }

                list.Add(index);
            }
        }

        _recorded = new Outcome?[_joinable.Count];
    }

    /// <summary>Starts a check for the results folder <paramref name="directory"/>: reads its <c>injections.jsonl</c>
    /// when present (skipping lines that are not injections). Null when there is nothing to check: no injection read
    /// and no fault declared in <paramref name="run"/> (a real endpoint, or a folder written before Bench injected
    /// faults), so such a report is as before.</summary>
    public static FaultCheckBuilder? Start(string directory, RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var path = Path.Combine(directory, ResultsDirectory.InjectionsFile);
        var injections = new List<InjectionRecord>();
        RecordsReadResult? read = null;
        if (File.Exists(path))
        {
            read = InjectionsReader.Read(path, injections.Add);
        }

        return injections.Count == 0 && run.Faults is not { Count: > 0 } ? null : new FaultCheckBuilder(run, read, injections);
    }

    /// <summary>Starts a check from injections already read (tests, and callers holding them).</summary>
    public static FaultCheckBuilder Start(RunInfo run, IEnumerable<InjectionRecord> injections)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(injections);
        return new FaultCheckBuilder(run, null, [.. injections]);
    }

    /// <summary>Joins <paramref name="record"/>'s attempts to the injections and counts its cell's attempts (measure
    /// phase) by outcome.</summary>
    public void Add(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var measured = record.Phase == Phases.Measure;
        CellTally? tally = null;
        if (measured)
        {
            var cell = CellKey.Of(record);
            if (!_cells.TryGetValue(cell, out tally))
            {
                _cells[cell] = tally = new CellTally();
                _cellOrder.Add(cell);
            }
        }

        if (record.Attempts is { Count: > 0 } attempts)
        {
            foreach (var attempt in attempts)
            {
                Join(record.Id, attempt.Number, attempt.Outcome);
                tally?.Count(attempt.Outcome);
            }
        }
        else
        {
            Join(record.Id, 1, record.Outcome);
            tally?.Count(record.Outcome);
        }
    }

    private void Join(long id, int attempt, Outcome outcome)
    {
        if (_byKey.TryGetValue((id, attempt), out var indices))
        {
            foreach (var index in indices)
            {
                _recorded[index] = outcome;
            }
        }
    }

    /// <summary>The check.</summary>
    public FaultCheck Build()
    {
        var rows = new List<FaultJoinRow>();
        var mismatches = new List<FaultMismatch>();
        var groups = _joinable.Select((injection, index) => (injection, index))
            .GroupBy(x => (x.injection.Kind, Mode: ModeOf(x.injection)))
            .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Mode);
        foreach (var group in groups)
        {
            var expected = FaultKinds.ExpectedOutcome(group.Key.Kind, group.Key.Mode);
            long asExpected = 0, otherwise = 0, notFound = 0;
            var others = new SortedDictionary<Outcome, long>();
            foreach (var (_, index) in group)
            {
                var recorded = _recorded[index];
                if (recorded == expected)
                {
                    asExpected++;
                    continue;
                }

                if (recorded is { } other)
                {
                    otherwise++;
                    others[other] = others.GetValueOrDefault(other) + 1;
                }
                else
                {
                    notFound++;
                }
            }

            rows.Add(new FaultJoinRow(group.Key.Kind, group.Key.Mode, expected, group.LongCount(), asExpected, otherwise, others, notFound));
        }

        var listed = new HashSet<(string, int, FaultKind)>();
        for (var i = 0; i < _joinable.Count && mismatches.Count < MaxMismatches; i++)
        {
            var injection = _joinable[i];
            var mode = ModeOf(injection);
            var expected = FaultKinds.ExpectedOutcome(injection.Kind, mode);
            if (_recorded[i] != expected && listed.Add((injection.RequestId!, injection.Attempt, injection.Kind)))
            {
                mismatches.Add(new FaultMismatch(injection.RequestId!, injection.Attempt, injection.Kind, mode, expected, _recorded[i]));
            }
        }

        var labels = (_run.FaultEpochs ?? []).GroupBy(e => e.Epoch).ToDictionary(g => g.Key, g => CellLabel(g.First().Model, g.First().Mode, g.First().Policy));
        var refusedByCell = _refused.GroupBy(r => labels.GetValueOrDefault(r.Epoch) ?? string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch}"))
            .ToDictionary(g => g.Key, g => g.LongCount(), StringComparer.Ordinal);
        var repeated = _byKey.Values.LongCount(indices => indices.Count > 1);
        return new FaultCheck(_joinable.Count + _refused.Count, _read, rows, _refused.Count, refusedByCell, mismatches, Taxonomy(), repeated);
    }

    /// <summary>A cell as the report names it: <c>model · mode</c>, with <c> · policy</c> when it has one, prefixed by
    /// <c>target · </c> when it has a target (<see cref="CellKey.Label"/>).</summary>
    public static string CellLabel(string model, Mode mode, string? policy, string? target = null) => CellKey.Label(target, model, mode, policy);

    /// <summary>The label of a taxonomy row's cell.</summary>
    public static string CellLabel(TaxonomyRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return CellLabel(row.Model, row.Mode, row.Policy, row.Target);
    }

    private static Mode ModeOf(InjectionRecord injection) => injection.Stream ? Mode.Streaming : Mode.NonStreaming;

    private List<TaxonomyRow> Taxonomy()
    {
        var pending = new List<(CellKey Cell, Outcome Class, List<FaultKind> Kinds, long Observed, long Attempts, double Declared, string? Why)>();
        foreach (var cell in _cellOrder)
        {
            // Fault rules shape the HTTP answers to requests Bench sends; a batch line is not one (its failures are the
            // batch's), so a batch-api cell is not judged against the declared rates.
            if (cell.Mode == Mode.BatchApi || _run.Faults?.FirstOrDefault(f => f.Model == cell.Model) is not { } declared)
            {
                continue;
            }

            var tally = _cells[cell];
            var rates = new SortedDictionary<Outcome, (double Rate, List<FaultKind> Kinds)>();
            var windowed = new HashSet<Outcome>();
            var taken = 0.0;
            foreach (var rule in declared.Rules.Where(r => r.Modes.Count == 0 || r.Modes.Contains(cell.Mode)))
            {
                var @class = FaultKinds.ExpectedOutcome(rule.Kind, cell.Mode);
                if (rule.FromS is not null || rule.ToS is not null)
                {
                    windowed.Add(@class);
                    continue;
                }

                // The simulator walks the rules in order, each taking its rate of the unit interval: what lies past 1 is
                // never reached.
                var share = Math.Max(0, Math.Min(rule.Rate, 1 - taken));
                taken += rule.Rate;
                if (@class == Outcome.Success)
                {
                    continue;
                }

                var (rate, kinds) = rates.GetValueOrDefault(@class, (0, []));
                if (!kinds.Contains(rule.Kind))
                {
                    kinds.Add(rule.Kind);
                }

                rates[@class] = (rate + share, kinds);
            }

            foreach (var (@class, (rate, kinds)) in rates)
            {
                var why = tally.Attempts == 0 ? "no attempt was measured"
                    : windowed.Contains(@class) ? "a rule with a time window also produces it"
                    : @class == Outcome.RateLimited && declared.RateLimits is not null ? "the RPM/TPM buckets also answer 429"
                    : kinds.Contains(FaultKind.ConnectionRefused) ? "connection_refused is drawn per connection, not per request"
                    : tally.Attempts * rate < MinExpectedFailures ? string.Create(CultureInfo.InvariantCulture,
                        $"{TooFewAttempts}: {tally.Attempts:N0} attempts × {rate * 100:0.###} % = {tally.Attempts * rate:0.##} expected")
                    : null;
                pending.Add((cell, @class, kinds, tally.Outcomes.GetValueOrDefault(@class), tally.Attempts, rate, why));
            }
        }

        var compared = pending.Count(p => p.Why is null);
        var familyConfidence = compared == 0 ? FaultCheck.Confidence : 1 - ((1 - FaultCheck.Confidence) / compared);
        return [.. pending.Select(p => new TaxonomyRow(p.Cell.Model, p.Cell.Mode, p.Cell.Policy, p.Class, p.Kinds, p.Observed, p.Attempts, p.Declared,
            p.Attempts == 0 ? default : BinomialInterval.ClopperPearson(p.Observed, p.Attempts, FaultCheck.Confidence),
            p.Attempts == 0 ? default : BinomialInterval.ClopperPearson(p.Observed, p.Attempts, familyConfidence),
            p.Why) { Target = p.Cell.Target })];
    }

    /// <summary>One cell's measured attempts by outcome.</summary>
    private sealed class CellTally
    {
        public long Attempts { get; private set; }

        public Dictionary<Outcome, long> Outcomes { get; } = [];

        /// <summary>Counts an attempt the endpoint saw: not dropped or cancelled (<see cref="Bench.Core.Records.Outcomes.IsAttempt"/>),
        /// not refused by the client's own policy.</summary>
        public void Count(Outcome outcome)
        {
            if (!Bench.Core.Records.Outcomes.IsAttempt(outcome) || outcome == Outcome.ClientRejected)
            {
                return;
            }

            Attempts++;
            Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
        }
    }
}
