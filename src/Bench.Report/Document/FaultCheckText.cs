using System.Globalization;
using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Model;

namespace Bench.Report.Document;

/// <summary>
/// The report's words on the fault check (<see cref="FaultCheck"/>): how Bench recorded each fault the simulator
/// injected (joined by request id and attempt; refused connections apart; the injections not recorded as expected
/// listed), then per cell each failure class's observed share against its declared rate with an exact 95 % interval,
/// and whether the run reproduces the declared taxonomy within sampling error. Nothing when the report has no fault
/// check (a real endpoint, an old results folder). Invariant culture.
/// </summary>
public static class FaultCheckText
{
    /// <summary>The section's id (its HTML anchor).</summary>
    public const string Id = "fault-check";

    /// <summary>The section's title.</summary>
    public const string Title = "Fault check: injected against recorded";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The section of <paramref name="report"/>, or null when it has no fault check.</summary>
    public static Section? Section(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Faults is not { } check)
        {
            return null;
        }

        var blocks = new List<Block>();
        blocks.AddRange(Joined(check));
        blocks.AddRange(Taxonomy(check));
        return new Section(Id, Title, blocks);
    }

    /// <summary>Part (a): each injection against Bench's record of the same request and attempt.</summary>
    private static IEnumerable<Block> Joined(FaultCheck check)
    {
        var skipped = check.Read is { Skipped: > 0 } read
            ? string.Create(Inv, $" ({read.Skipped:N0} unreadable line(s) skipped: {string.Join(", ", read.SkippedLines.Take(5))}{(read.Skipped > 5 ? ", …" : "")})")
            : "";
        if (check.Injections == 0)
        {
            yield return new Paragraph(["The simulator recorded no injection in ", Code(ResultsDirectory.InjectionsFile), skipped,
                ": no request met a fault, so there is nothing to join to Bench's records."]);
            yield break;
        }

        var joinable = check.Joined.Sum(r => r.Injected);
        yield return new Paragraph([string.Create(Inv, $"The simulator injected {check.Injections:N0} fault(s) ("), Code(ResultsDirectory.InjectionsFile), skipped,
            string.Create(Inv, $"). Each one with a request id is joined to Bench's record of that request and attempt: {check.AsExpected:N0} of {joinable:N0} were recorded as the outcome the fault must produce"),
            check.Unexplained == 0 ? "." : string.Create(Inv, $"; {check.Unexplained:N0} were not (listed below).")]);
        if (check.Joined.Count > 0)
        {
            yield return new Table(["fault", "mode", "must be recorded as", "injected", "as expected", "recorded otherwise", "not found"],
                [Align.Left, Align.Left, Align.Left, Align.Right, Align.Right, Align.Right, Align.Right],
                [.. check.Joined.Select(r => (IReadOnlyList<IReadOnlyList<Span>>)
                [
                    [Code(KindName(r.Kind))], [Names.Of(r.Mode)], [Code(Names.Of(r.Expected))], [N(r.Injected)], [N(r.AsExpected)],
                    [r.Otherwise == 0 ? "0" : string.Create(Inv, $"{r.Otherwise:N0} ({string.Join(", ", r.OtherOutcomes.Select(o => string.Create(Inv, $"{Names.Of(o.Key)} ×{o.Value:N0}")))})")],
                    [N(r.NotFound)],
                ])]);
        }

        if (check.RepeatedSends > 0)
        {
            yield return new Paragraph([string.Create(Inv,
                $"{check.RepeatedSends:N0} request(s) met their fault twice or more under the same attempt number: the client sent them again after their connection failed before any response byte (the keep-alive retry, "),
                Code("connection_retried"), "), and the simulator, drawing with the same seed, injected the same fault; each injection is joined to the one record."]);
        }

        if (check.RefusedConnections > 0)
        {
            yield return new Paragraph([string.Create(Inv,
                $"{check.RefusedConnections:N0} connection(s) were refused before a request was read (connection_refused): they carry no request id, so they are counted apart"),
                check.RefusedByCell.Count > 0
                    ? string.Create(Inv, $" (by the cell whose fault epoch they fell in: {string.Join(", ", check.RefusedByCell.Select(c => string.Create(Inv, $"{c.Key} {c.Value:N0}")))}).")
                    : "."]);
        }

        if (check.Mismatches.Count > 0)
        {
            yield return new Paragraph([check.Unexplained > check.Mismatches.Count
                ? string.Create(Inv, $"The first {check.Mismatches.Count} injections not recorded as expected (look them up by id in ")
                : "Injections not recorded as expected (look them up by id in ", Code(ResultsDirectory.RecordsFile), "):"]);
            yield return new BulletList([.. check.Mismatches.Select(m => (IReadOnlyList<Span>)
            [
                string.Create(Inv, $"request {m.RequestId}, attempt {m.Attempt}: "), Code(KindName(m.Kind)), $" ({Names.Of(m.Mode)}) must be ",
                Code(Names.Of(m.Expected)), m.Recorded is { } recorded ? ", recorded as " : ": no record of that request and attempt",
                m.Recorded is { } shown ? Code(Names.Of(shown)) : "",
            ])]);
        }
    }

    /// <summary>Part (b): per cell, each declared failure class's observed share against its declared rate.</summary>
    private static IEnumerable<Block> Taxonomy(FaultCheck check)
    {
        if (check.Taxonomy.Count == 0)
        {
            yield break;
        }

        yield return new Paragraph(["Failure taxonomy: per cell, the share of attempts recorded in each failure class against the constant rate declared for it (",
            Code(ResultsDirectory.RunFile), ", ", Code("faults"), "), with the exact (Clopper–Pearson) 95 % interval of the observed share. Every attempt counts, retries included, since the simulator draws a fault for each request it receives."]);
        static bool TooFew(TaxonomyRow row) => row.NotComparedBecause?.StartsWith(FaultCheckBuilder.TooFewAttempts, StringComparison.Ordinal) == true;
        foreach (var cell in check.Taxonomy.Where(r => !TooFew(r)).GroupBy(r => FaultCheckBuilder.CellLabel(r)))
        {
            yield return new Paragraph([Strong(cell.Key)]);
            yield return new BulletList([.. cell.Select(Line)]);
        }

        if (check.Taxonomy.Where(TooFew).ToList() is { Count: > 0 } tooFew)
        {
            var example = tooFew.MaxBy(r => r.Attempts * r.DeclaredRate)!;
            yield return new Paragraph([string.Create(Inv,
                $"Not tested: {tooFew.Count} declared rate(s) in {tooFew.Select(r => FaultCheckBuilder.CellLabel(r)).Distinct().Count()} cell(s) whose attempts are too few to expect even one failure of the class (at most {example.Attempts:N0} × {Pct(example.DeclaredRate)} = {example.Attempts * example.DeclaredRate:0.##}); a run of at least {Math.Ceiling(FaultCheckBuilder.MinExpectedFailures / tooFew.Min(r => r.DeclaredRate)):N0} attempts per cell tests them all.")]);
        }

        if (check.Reproduces is not { } reproduces)
        {
            yield break;
        }

        var compared = check.Compared;
        var family = compared.Count == 1 ? "its 95 % interval"
            : string.Create(Inv, $"its interval at a family-wise 95 % for the {compared.Count} comparisons (Bonferroni: each at {100 * (1 - (0.05 / compared.Count)):0.##} %)");
        if (reproduces)
        {
            var outside = compared.Count(r => !r.Within);
            yield return new Paragraph([Strong("The run reproduces the declared taxonomy within sampling error"),
                string.Create(Inv, $": every declared rate lies within {family}"),
                outside == 0 ? "." : string.Create(Inv, $"; {outside} lie(s) outside their own 95 % interval, as about 1 comparison in 20 does by chance.")]);
        }
        else
        {
            var off = compared.Where(r => !r.WithinFamily).Select(r => string.Create(Inv, $"{ClassName(r.Class)} in {FaultCheckBuilder.CellLabel(r)}"));
            yield return new Paragraph([Strong("The run does not reproduce the declared taxonomy within sampling error"),
                string.Create(Inv, $": outside {family}: {string.Join("; ", off)}.")]);
        }
    }

    /// <summary>"429: 17 of 10,000 (0.17 %), declared 0.18 %, 95 % interval 0.10–0.27 %: within sampling error".</summary>
    private static IReadOnlyList<Span> Line(TaxonomyRow row)
    {
        var observed = string.Create(Inv, $"{ClassName(row.Class)}: {row.Observed:N0} of {row.Attempts:N0} ({Pct(row.ObservedRate)}), declared {Pct(row.DeclaredRate)}");
        if (!row.Comparable)
        {
            return [observed, $": not compared, {row.NotComparedBecause}."];
        }

        var interval = string.Create(Inv, $", 95 % interval {Number(row.Interval.Lower)}–{Pct(row.Interval.Upper)}");
        var verdict = row.Within ? "within sampling error"
            : row.WithinFamily ? "outside its 95 % interval, within the family-wise one"
            : row.DeclaredRate < row.Interval.Lower ? "more than declared, beyond sampling error"
            : "fewer than declared, beyond sampling error";
        return [observed, interval, ": ", row.Within ? verdict : Strong(verdict)];
    }

    /// <summary>The class as the articles name it: <c>429</c>, <c>5xx</c>, <c>timeout</c>, …, with the outcome.</summary>
    private static string ClassName(Outcome outcome) => outcome switch
    {
        Outcome.RateLimited => "429",
        Outcome.ServerError => "5xx",
        Outcome.Timeout => "timeout",
        Outcome.StreamInterrupted => "interrupted stream",
        _ => Names.Of(outcome),
    };

    private static string KindName(FaultKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static string Number(double share) => (share * 100).ToString("0.00", Inv);

    private static string Pct(double share) => Number(share) + " %";

    private static string N(long value) => value.ToString("N0", Inv);

    private static Span Code(string text) => new(SpanStyle.Code, text);

    private static Span Strong(string text) => new(SpanStyle.Strong, text);
}
