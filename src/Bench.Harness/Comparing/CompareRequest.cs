namespace Bench.Harness.Comparing;

/// <summary>The flags of <c>bench compare</c>, as given (parsed and checked by <see cref="CompareHarness.Compare"/>).</summary>
public sealed record CompareRequest
{
    /// <summary><c>--threshold</c> (<c>5%</c>, <c>20ms</c>, <c>0.5s</c>, a bare number), or null for the defaults
    /// (5 % over replicates and iterations, 10 % over per-request samples).</summary>
    public string? Threshold { get; init; }

    /// <summary><c>--noise</c>, or null for 5 ms on time metrics and 0 on the others.</summary>
    public string? Noise { get; init; }

    /// <summary><c>--rate-threshold</c> (<c>1pp</c>, <c>0.5%</c>…), or null for 1 percentage point.</summary>
    public string? RateThreshold { get; init; }

    /// <summary><c>--alpha</c>, or null for 0.01.</summary>
    public double? Alpha { get; init; }

    /// <summary><c>--fail-on</c> globs (comma-separated lists allowed); empty for every metric.</summary>
    public IReadOnlyList<string> FailOn { get; init; } = [];

    /// <summary><c>--prices FILE</c>: one price catalogue for both sides.</summary>
    public string? PricesFile { get; init; }

    /// <summary><c>--markdown FILE</c>.</summary>
    public string? Markdown { get; init; }

    /// <summary><c>--json FILE</c> (<c>-</c>: standard output, and the console table is not printed).</summary>
    public string? Json { get; init; }

    /// <summary><c>--junit FILE</c>.</summary>
    public string? Junit { get; init; }

    /// <summary><c>--all</c>: every row in the console table.</summary>
    public bool All { get; init; }
}
