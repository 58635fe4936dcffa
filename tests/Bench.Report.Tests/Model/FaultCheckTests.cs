using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Statistics;
using Bench.Report.Model;

namespace Bench.Report.Tests.Model;

/// <summary>The fault check on hand-made records and injections: each injection joined to the record (or the attempt)
/// of the same request, counted per kind and mode against the expected outcome, mismatches listed in file order,
/// refused connections apart and placed in their cell by epoch; the taxonomy per cell against the declared constant
/// rates.</summary>
public sealed class FaultCheckTests
{
    private static RequestRecord Record(long id, Mode mode, Outcome outcome, string? policy = null, List<AttemptRecord>? attempts = null, string phase = Phases.Measure) => new()
    {
        Id = id,
        Model = "m",
        Mode = mode,
        Phase = phase,
        Outcome = outcome,
        Policy = policy,
        Attempts = attempts,
        SentMs = 0,
        EndMs = 10,
    };

    private static InjectionRecord Injected(string? id, int attempt, FaultKind kind, bool stream, int epoch = 1) => new()
    {
        Epoch = epoch,
        RequestId = id,
        Attempt = attempt,
        Model = id is null ? "" : "m",
        Stream = stream,
        Kind = kind,
    };

    private static FaultCheck Check(RunInfo run, IEnumerable<InjectionRecord> injections, IEnumerable<RequestRecord> records)
    {
        var builder = FaultCheckBuilder.Start(run, injections);
        foreach (var record in records)
        {
            builder.Add(record);
        }

        return builder.Build();
    }

    [Fact]
    public void Build_JoinsByRequestIdAndAttempt_PerKindAndMode_ListsMismatchesAndCountsRefusedApart()
    {
        var run = new RunInfo
        {
            FaultEpochs =
            [
                new CellEpoch { Model = "m", Mode = Mode.Streaming, Epoch = 1 },
                new CellEpoch { Model = "m", Mode = Mode.NonStreaming, Policy = "retries", Epoch = 2 },
            ],
        };
        InjectionRecord[] injections =
        [
            Injected("1", 1, FaultKind.RateLimited, stream: true),
            Injected("3", 1, FaultKind.Disconnect, stream: true),
            Injected("2", 1, FaultKind.ServerError, stream: false, epoch: 2),
            Injected(null, 1, FaultKind.ConnectionRefused, stream: false, epoch: 2),
            Injected("2", 3, FaultKind.ServerError, stream: false, epoch: 2),
            Injected("99", 1, FaultKind.ServerError, stream: true),
            Injected("4", 2, FaultKind.HangBeforeHeaders, stream: false, epoch: 2),
            Injected("3", 1, FaultKind.Disconnect, stream: true), // the same request sent again (keep-alive retry)
        ];
        RequestRecord[] records =
        [
            Record(1, Mode.Streaming, Outcome.RateLimited),
            // A retried request: its first attempt met the 500, its second succeeded.
            Record(2, Mode.NonStreaming, Outcome.Success, "retries",
                [new AttemptRecord { Number = 1, Outcome = Outcome.ServerError }, new AttemptRecord { Number = 2, Outcome = Outcome.Success }]),
            Record(3, Mode.Streaming, Outcome.Timeout),
            Record(4, Mode.NonStreaming, Outcome.Success, "retries",
                [new AttemptRecord { Number = 1, Outcome = Outcome.RateLimited }, new AttemptRecord { Number = 2, Outcome = Outcome.Timeout }, new AttemptRecord { Number = 3, Outcome = Outcome.Success }]),
        ];

        var check = Check(run, injections, records);

        Assert.Equal(8, check.Injections);
        Assert.Equal(
        [
            (FaultKind.RateLimited, Mode.Streaming, Outcome.RateLimited, 1L, 1L, 0L, 0L),
            (FaultKind.ServerError, Mode.NonStreaming, Outcome.ServerError, 2L, 1L, 0L, 1L),
            (FaultKind.ServerError, Mode.Streaming, Outcome.ServerError, 1L, 0L, 0L, 1L),
            (FaultKind.HangBeforeHeaders, Mode.NonStreaming, Outcome.Timeout, 1L, 1L, 0L, 0L),
            (FaultKind.Disconnect, Mode.Streaming, Outcome.StreamInterrupted, 2L, 0L, 2L, 0L),
        ], check.Joined.Select(r => (r.Kind, r.Mode, r.Expected, r.Injected, r.AsExpected, r.Otherwise, r.NotFound)));
        Assert.Equal(new Dictionary<Outcome, long> { [Outcome.Timeout] = 2 }, check.Joined.Single(r => r.Kind == FaultKind.Disconnect).OtherOutcomes);
        Assert.Equal(
        [
            new FaultMismatch("3", 1, FaultKind.Disconnect, Mode.Streaming, Outcome.StreamInterrupted, Outcome.Timeout),
            new FaultMismatch("2", 3, FaultKind.ServerError, Mode.NonStreaming, Outcome.ServerError, null),
            new FaultMismatch("99", 1, FaultKind.ServerError, Mode.Streaming, Outcome.ServerError, null),
        ], check.Mismatches);
        Assert.Equal(3, check.AsExpected);
        Assert.Equal(4, check.Unexplained);
        Assert.Equal(1, check.RepeatedSends); // listed once above
        Assert.Equal(1, check.RefusedConnections);
        Assert.Equal(new Dictionary<string, long> { ["m · non-streaming · retries"] = 1 }, check.RefusedByCell);
    }

    [Fact]
    public void Build_SingleAttemptRecord_JoinsOnlyAttemptOne()
    {
        var check = Check(new RunInfo(), [Injected("5", 2, FaultKind.ServerError, stream: true)], [Record(5, Mode.Streaming, Outcome.ServerError)]);

        Assert.Equal(1, check.Joined.Single().NotFound);
    }

    private static RunInfo Seed(params FaultRule[] extra) => new()
    {
        Faults =
        [
            new DeclaredFaults
            {
                Model = "m",
                Rules =
                [
                    new FaultRule { Kind = FaultKind.HangBeforeHeaders, Rate = 0.0031 },
                    new FaultRule { Kind = FaultKind.RateLimited, Rate = 0.0018 },
                    new FaultRule { Kind = FaultKind.ServerError, Rate = 0.0002, Status = 502 },
                    new FaultRule { Kind = FaultKind.Overloaded, Rate = 0.0002 },
                    new FaultRule { Kind = FaultKind.Disconnect, Rate = 0.0012, Modes = [Mode.Streaming] },
                    new FaultRule { Kind = FaultKind.Trickle, Rate = 0.01 }, // a success: no failure class
                    .. extra,
                ],
            },
        ],
    };

    /// <summary>10,000 measured attempts of one cell: the given failures, the rest successes (ids from <paramref name="from"/>).</summary>
    private static IEnumerable<RequestRecord> Cell(Mode mode, long from, params (Outcome Outcome, int Count)[] failures)
    {
        var id = from;
        foreach (var (outcome, count) in failures)
        {
            for (var i = 0; i < count; i++)
            {
                yield return Record(id++, mode, outcome);
            }
        }

        while (id < from + 10_000)
        {
            yield return Record(id++, mode, Outcome.Success);
        }

        // Warm-up and cancelled requests are not attempts of the measured cell.
        yield return Record(id++, mode, Outcome.RateLimited, phase: Phases.Warmup);
        yield return Record(id, mode, Outcome.Cancelled);
    }

    [Fact]
    public void Taxonomy_ObservedSharesAgainstDeclaredRates_PerCellAndClass_WithExactIntervals()
    {
        var records = Cell(Mode.Streaming, 0, (Outcome.Timeout, 31), (Outcome.RateLimited, 17), (Outcome.ServerError, 4), (Outcome.StreamInterrupted, 12))
            .Concat(Cell(Mode.NonStreaming, 20_000, (Outcome.Timeout, 28), (Outcome.RateLimited, 20), (Outcome.ServerError, 3)));

        var check = Check(Seed(), [], records);

        Assert.Equal(
        [
            ("m", Mode.Streaming, Outcome.Timeout, 31L, 0.0031),
            ("m", Mode.Streaming, Outcome.RateLimited, 17L, 0.0018),
            ("m", Mode.Streaming, Outcome.ServerError, 4L, 0.0004),
            ("m", Mode.Streaming, Outcome.StreamInterrupted, 12L, 0.0012),
            ("m", Mode.NonStreaming, Outcome.Timeout, 28L, 0.0031),
            ("m", Mode.NonStreaming, Outcome.RateLimited, 20L, 0.0018),
            ("m", Mode.NonStreaming, Outcome.ServerError, 3L, 0.0004),
        ], check.Taxonomy.Select(r => (r.Model, r.Mode, r.Class, r.Observed, Math.Round(r.DeclaredRate, 6))));
        Assert.All(check.Taxonomy, r => Assert.Equal(10_000, r.Attempts));
        var rateLimited = check.Taxonomy[1];
        Assert.Equal(BinomialInterval.ClopperPearson(17, 10_000), rateLimited.Interval);
        Assert.Equal(BinomialInterval.ClopperPearson(17, 10_000, 1 - (0.05 / 7)), rateLimited.FamilyInterval);
        Assert.Equal([FaultKind.ServerError, FaultKind.Overloaded], check.Taxonomy[2].Kinds);
        Assert.True(check.Reproduces);
    }

    [Fact]
    public void Taxonomy_BatchApiCell_NotJudgedAgainstTheDeclaredRates()
    {
        // Fault rules shape HTTP answers; a batch line is not one, so its expired lines are no "rate" to meet.
        var records = Cell(Mode.NonStreaming, 0, (Outcome.Timeout, 31), (Outcome.RateLimited, 17), (Outcome.ServerError, 4))
            .Concat(Cell(Mode.BatchApi, 20_000, (Outcome.Expired, 500), (Outcome.RateLimited, 900)));

        var check = Check(Seed(), [], records);

        Assert.DoesNotContain(check.Taxonomy, r => r.Mode == Mode.BatchApi);
        Assert.Equal(3, check.Taxonomy.Count);
        Assert.True(check.Reproduces);
    }

    [Fact]
    public void Taxonomy_ShareFarAboveTheDeclaredRate_DoesNotReproduce()
    {
        var check = Check(Seed(), [], Cell(Mode.NonStreaming, 0, (Outcome.Timeout, 31), (Outcome.RateLimited, 60), (Outcome.ServerError, 4)));

        var rateLimited = check.Taxonomy.Single(r => r.Class == Outcome.RateLimited);
        Assert.False(rateLimited.Within);
        Assert.False(rateLimited.WithinFamily);
        Assert.False(check.Reproduces);
    }

    [Fact]
    public void Taxonomy_WindowRateLimitsOrPerConnectionFault_NotCompared_SaysWhy()
    {
        var run = Seed(
            new FaultRule { Kind = FaultKind.ServerError, Status = 503, Rate = 0.5, FromS = 30, ToS = 45 },
            new FaultRule { Kind = FaultKind.ConnectionRefused, Rate = 0.01 });
        run.Faults![0].RateLimits = new RateLimitSpec { Rpm = 600 };

        var check = Check(run, [], Cell(Mode.NonStreaming, 0, (Outcome.ServerError, 300)));

        Assert.Equal(
        [
            (Outcome.Timeout, (string?)null),
            (Outcome.RateLimited, "the RPM/TPM buckets also answer 429"),
            (Outcome.ServerError, "a rule with a time window also produces it"),
            (Outcome.ConnectionError, "connection_refused is drawn per connection, not per request"),
        ], check.Taxonomy.Select(r => (r.Class, r.NotComparedBecause)));
        Assert.Single(check.Compared);
    }

    [Fact]
    public void Taxonomy_TooFewAttemptsToExpectOneFailure_NotTested_AndNoVerdict()
    {
        // The default run's cells: 64 attempts against 0.04–0.31 % rates expect 0.03–0.2 failures, so seeing none says
        // nothing; no rate is tested and the run gets no verdict either way.
        var records = Enumerable.Range(0, 64).Select(i => Record(i, Mode.NonStreaming, Outcome.Success));

        var check = Check(Seed(), [], records);

        Assert.All(check.Taxonomy, r => Assert.StartsWith(FaultCheckBuilder.TooFewAttempts, r.NotComparedBecause, StringComparison.Ordinal));
        Assert.Equal("too few attempts to test it: 64 attempts × 0.31 % = 0.2 expected",
            check.Taxonomy.Single(r => r.Class == Outcome.Timeout).NotComparedBecause);
        Assert.Empty(check.Compared);
        Assert.Null(check.Reproduces);
    }

    [Fact]
    public void Taxonomy_RetriedRequests_CountEveryAttempt_NotTheLogicalRequest()
    {
        var records = Enumerable.Range(0, 100).Select(i => Record(i, Mode.Streaming, Outcome.Success, "retries",
            i < 10 ? [new AttemptRecord { Number = 1, Outcome = Outcome.RateLimited }, new AttemptRecord { Number = 2, Outcome = Outcome.Success }] : null));

        var check = Check(Seed(), [], records);

        var rateLimited = check.Taxonomy.Single(r => r.Class == Outcome.RateLimited);
        Assert.Equal(("retries", 10L, 110L), (rateLimited.Policy!, rateLimited.Observed, rateLimited.Attempts));
    }
}
