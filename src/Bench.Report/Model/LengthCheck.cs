using Bench.Core.Metrics;

namespace Bench.Report.Model;

/// <summary>How a cell's answers matched the lengths asked for (issue 15).</summary>
public enum LengthVerdict
{
    /// <summary>No intended answer length was recorded.</summary>
    NotAsked,

    /// <summary>The mean answer is within <see cref="LengthCheck.Tolerance"/> of the mean intended.</summary>
    AsAsked,

    /// <summary>The mean answer is shorter: the model stopped at its end-of-sequence token before the limit.</summary>
    Shorter,

    /// <summary>The mean answer is longer than asked (a server that ignores <c>max_tokens</c>, or counts otherwise).</summary>
    Longer,
}

/// <summary>One cell's intended against achieved lengths, judged.</summary>
/// <param name="Cell">The cell.</param>
/// <param name="Lengths">Its figures.</param>
/// <param name="Completion">How its answers matched the lengths asked.</param>
public sealed record LengthCheck(CellResult Cell, LengthComparison Lengths, LengthVerdict Completion)
{
    /// <summary>Relative difference of the mean answer from the mean intended within which answers are "as asked":
    /// 5 % (a tokenizer of another family, or an end-of-sequence token counted or not, moves it by a few per cent).</summary>
    public const double Tolerance = 0.05;

    /// <summary>The checks of every cell whose records carried intended lengths, in cell order; empty otherwise.</summary>
    public static IReadOnlyList<LengthCheck> Of(IEnumerable<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return [.. cells.Where(c => c.Summary.Lengths is not null).Select(c => new LengthCheck(c, c.Summary.Lengths!, Judge(c.Summary.Lengths!)))];
    }

    /// <summary>The verdict on the answers' lengths.</summary>
    public static LengthVerdict Judge(LengthComparison lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.IntendedCompletionMean is not { } intended || lengths.AchievedCompletionMean is not { } achieved || intended <= 0)
        {
            return LengthVerdict.NotAsked;
        }

        var relative = (achieved - intended) / intended;
        return relative < -Tolerance ? LengthVerdict.Shorter : relative > Tolerance ? LengthVerdict.Longer : LengthVerdict.AsAsked;
    }
}
