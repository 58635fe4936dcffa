using Bench.Core.Statistics;
using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Core.Results;

namespace Bench.Report.Model;

/// <summary>
/// What the simulator injected against what Bench recorded (the report's fault check), for a run on the embedded
/// simulator: (a) each injection of <c>injections.jsonl</c> joined to Bench's record of the same request and attempt,
/// per fault kind and mode, against the outcome Bench must record for it (<see cref="FaultKinds.ExpectedOutcome"/>);
/// (b) per cell, the observed share of each failure class against the constant rate declared in <c>run.json</c>
/// (<see cref="RunInfo.Faults"/>), with an exact 95 % interval. Built by <see cref="FaultCheckBuilder"/>.
/// </summary>
/// <param name="Injections">Injections read from <c>injections.jsonl</c> (0 when the file is missing or empty).</param>
/// <param name="Read">What reading <c>injections.jsonl</c> found (lines skipped); null when there was no file.</param>
/// <param name="Joined">Per fault kind and mode, in kind then mode order: injections with a request id and how Bench
/// recorded them.</param>
/// <param name="RefusedConnections">Refused connections (no request id: the connection was closed before a request was
/// read), counted apart; per cell when <see cref="RunInfo.FaultEpochs"/> names the cell of their epoch.</param>
/// <param name="RefusedByCell">Refused connections per cell label (<c>model · mode[ · policy]</c>), by epoch.</param>
/// <param name="Mismatches">The first <see cref="FaultCheckBuilder.MaxMismatches"/> injections recorded otherwise or
/// not found, in file order, each request and attempt once.</param>
/// <param name="Taxonomy">Per cell and failure class with a declared constant rate: observed against declared.</param>
/// <param name="RepeatedSends">Request and attempt pairs with more than one injection: the same request reached the
/// simulator again (the client's keep-alive retry resends a request whose connection failed before any response
/// byte, <c>connection_retried</c>) and, drawn with the same seed, met the same fault.</param>
public sealed record FaultCheck(
    long Injections,
    RecordsReadResult? Read,
    IReadOnlyList<FaultJoinRow> Joined,
    long RefusedConnections,
    IReadOnlyDictionary<string, long> RefusedByCell,
    IReadOnlyList<FaultMismatch> Mismatches,
    IReadOnlyList<TaxonomyRow> Taxonomy,
    long RepeatedSends = 0)
{
    /// <summary>The confidence of each row's interval: 0.95.</summary>
    public const double Confidence = 0.95;

    /// <summary>Injections recorded as their expected outcome, over all kinds.</summary>
    public long AsExpected => Joined.Sum(r => r.AsExpected);

    /// <summary>Injections with a request id recorded as another outcome or not found.</summary>
    public long Unexplained => Joined.Sum(r => r.Otherwise + r.NotFound);

    /// <summary>The rows compared (those with a verdict).</summary>
    public IReadOnlyList<TaxonomyRow> Compared => [.. Taxonomy.Where(r => r.Comparable)];

    /// <summary>True when every compared declared rate lies within its family-wise interval (each at
    /// 1 − 0.05 / m for m comparisons, Bonferroni): the run reproduces the declared taxonomy within sampling error as a
    /// whole, at 95 % for the family. Null when nothing was compared.</summary>
    public bool? Reproduces => Compared.Count == 0 ? null : Compared.All(r => r.WithinFamily);
}

/// <summary>One fault kind in one mode: how Bench recorded the requests the simulator injected it into.</summary>
/// <param name="Kind">The fault.</param>
/// <param name="Mode">The mode of the requests.</param>
/// <param name="Expected">The outcome Bench must record (<see cref="FaultKinds.ExpectedOutcome"/>).</param>
/// <param name="Injected">Injections of this kind in this mode with a request id.</param>
/// <param name="AsExpected">Joined to an attempt recorded as <paramref name="Expected"/>.</param>
/// <param name="Otherwise">Joined to an attempt recorded as another outcome.</param>
/// <param name="OtherOutcomes">Those other outcomes and how often each was seen.</param>
/// <param name="NotFound">No record (or no attempt of that number) for the injection's request id.</param>
public sealed record FaultJoinRow(FaultKind Kind, Mode Mode, Outcome Expected, long Injected, long AsExpected, long Otherwise,
    IReadOnlyDictionary<Outcome, long> OtherOutcomes, long NotFound);

/// <summary>An injection Bench did not record as expected.</summary>
/// <param name="RequestId">The request id (the record's <c>id</c>).</param>
/// <param name="Attempt">The attempt.</param>
/// <param name="Kind">The fault injected.</param>
/// <param name="Mode">The request's mode.</param>
/// <param name="Expected">The outcome expected.</param>
/// <param name="Recorded">The outcome recorded; null when no record was found.</param>
public sealed record FaultMismatch(string RequestId, int Attempt, FaultKind Kind, Mode Mode, Outcome Expected, Outcome? Recorded);

/// <summary>One failure class in one cell: the observed share of attempts against the declared constant rate.</summary>
/// <param name="Model">The cell's model.</param>
/// <param name="Mode">The cell's mode.</param>
/// <param name="Policy">The cell's resilience policy; null for none.</param>
/// <param name="Class">The failure class (the outcome Bench records for it).</param>
/// <param name="Kinds">The fault kinds that produce it in this cell.</param>
/// <param name="Observed">Attempts recorded with this outcome (measure phase; every attempt of a logical request).</param>
/// <param name="Attempts">Attempts sent in the cell's measure phase (neither dropped, cancelled nor refused by the
/// client's own policy).</param>
/// <param name="DeclaredRate">The sum of the constant rates (no window) declared for the class, each as the share of the
/// unit interval the simulator gives it (rules walked in order, first hit injected).</param>
/// <param name="Interval">The exact 95 % interval of the observed share; default when there was no attempt.</param>
/// <param name="FamilyInterval">The exact interval at 1 − 0.05 / m (Bonferroni over the m rows compared).</param>
/// <param name="NotComparedBecause">Why no verdict is given (a window or rate limits also produce the class, the fault
/// is drawn per connection, no attempt); null when compared.</param>
public sealed record TaxonomyRow(string Model, Mode Mode, string? Policy, Outcome Class, IReadOnlyList<FaultKind> Kinds, long Observed, long Attempts,
    double DeclaredRate, BinomialInterval Interval, BinomialInterval FamilyInterval, string? NotComparedBecause)
{
    /// <summary>The cell's target, or null for records without one.</summary>
    public string? Target { get; init; }

    /// <summary>True when a verdict is given.</summary>
    public bool Comparable => NotComparedBecause is null;

    /// <summary>The observed share, 0–1 (0 without attempts).</summary>
    public double ObservedRate => Attempts == 0 ? 0 : (double)Observed / Attempts;

    /// <summary>True when the declared rate lies within the 95 % interval.</summary>
    public bool Within => Comparable && Interval.Contains(DeclaredRate);

    /// <summary>True when the declared rate lies within the family-wise interval.</summary>
    public bool WithinFamily => Comparable && FamilyInterval.Contains(DeclaredRate);
}
