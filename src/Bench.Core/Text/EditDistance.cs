namespace Bench.Core.Text;

/// <summary>The Levenshtein distance (insertions, deletions and substitutions of one character each cost 1), for "did
/// you mean" suggestions: an unknown model in a price lookup, an unknown metric id in a threshold.</summary>
public static class EditDistance
{
    /// <summary>The Levenshtein distance between <paramref name="a"/> and <paramref name="b"/> (ordinal characters),
    /// computed with two rows (Wagner–Fischer).</summary>
    public static int Levenshtein(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
