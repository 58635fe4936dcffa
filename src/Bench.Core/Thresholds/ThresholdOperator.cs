namespace Bench.Core.Thresholds;

/// <summary>How a threshold compares a cell's figure with its limit (k6's threshold operators, without k6's
/// <c>===</c>: Bench's figures are numbers).</summary>
public enum ThresholdOperator
{
    /// <summary><c>&lt;</c>: the figure must be below the limit.</summary>
    Less,

    /// <summary><c>&lt;=</c>: at most the limit.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>: above the limit.</summary>
    Greater,

    /// <summary><c>&gt;=</c>: at least the limit.</summary>
    GreaterOrEqual,

    /// <summary><c>==</c>: exactly the limit (the figure as <c>summary.json</c> writes it, so rounded).</summary>
    Equal,

    /// <summary><c>!=</c>: anything but the limit.</summary>
    NotEqual,
}

/// <summary>The operators' symbols and their comparison.</summary>
public static class ThresholdOperators
{
    /// <summary>The symbols, two-character ones first (the order a parser tries them in).</summary>
    public static IReadOnlyList<(string Symbol, ThresholdOperator Operator)> Symbols { get; } =
    [
        ("<=", ThresholdOperator.LessOrEqual), (">=", ThresholdOperator.GreaterOrEqual), ("==", ThresholdOperator.Equal),
        ("!=", ThresholdOperator.NotEqual), ("<", ThresholdOperator.Less), (">", ThresholdOperator.Greater),
    ];

    /// <summary>The symbol of <paramref name="op"/> (<c>&lt;=</c>).</summary>
    public static string Symbol(this ThresholdOperator op) => Symbols.First(s => s.Operator == op).Symbol;

    /// <summary>Whether <paramref name="value"/> <paramref name="op"/> <paramref name="limit"/> holds (IEEE
    /// comparison; <c>==</c> is exact).</summary>
    public static bool Holds(this ThresholdOperator op, double value, double limit) => op switch
    {
        ThresholdOperator.Less => value < limit,
        ThresholdOperator.LessOrEqual => value <= limit,
        ThresholdOperator.Greater => value > limit,
        ThresholdOperator.GreaterOrEqual => value >= limit,
        ThresholdOperator.Equal => value == limit,
        ThresholdOperator.NotEqual => value != limit,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
