namespace Bench.Core.Statistics;

/// <summary>
/// First and second moments of the billed token counts of attempted requests (prompt, cached, completion) and of the
/// success indicator, accumulated as sums so a cell keeps no samples. Cost is linear in the counts
/// (cost = a·prompt + b·cached + c·completion for a price's per-token rates), so the per-request cost's variance is
/// wᵀΣw and its covariance with success wᵀΣ_s (see <see cref="CostIntervals"/>). Retries' extra tokens are not in these
/// moments (they are billed to the cell, not to a request), so the intervals' centres may sit slightly below a cell's
/// cost when it retried.
/// </summary>
public sealed class TokenMoments
{
    private const int Vars = 5; // prompt, cached, completion, success (0/1), cache write
    private readonly double[] _sum = new double[Vars];
    private readonly double[,] _cross = new double[Vars, Vars];

    /// <summary>A copy that later <see cref="Add"/> calls on this one do not change (a summary's snapshot).</summary>
    public TokenMoments Snapshot()
    {
        var copy = new TokenMoments { Count = Count };
        Array.Copy(_sum, copy._sum, Vars);
        Array.Copy(_cross, copy._cross, Vars * Vars);
        return copy;
    }

    /// <summary>Requests added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one attempted request's billed counts (0 when not billed) and whether it succeeded;
    /// <paramref name="cacheWrite"/> is the part of <paramref name="prompt"/> written to the prompt cache.</summary>
    public void Add(long prompt, long cached, long completion, bool success, long cacheWrite = 0)
    {
        Span<double> x = [prompt, cached, completion, success ? 1 : 0, cacheWrite];
        Count++;
        for (var i = 0; i < Vars; i++)
        {
            _sum[i] += x[i];
            for (var j = 0; j < Vars; j++)
            {
                _cross[i, j] += x[i] * x[j];
            }
        }
    }

    /// <summary>The 95 % (by default) intervals of the mean cost per attempted request and of cost per successful
    /// request (delta method, <see cref="MeanInterval.Ratio"/>), in USD, for per-token rates
    /// <paramref name="promptUsd"/>, <paramref name="cachedUsd"/> (the change a cached token makes to a prompt token's
    /// price), <paramref name="completionUsd"/> and <paramref name="cacheWriteUsd"/> (the change a cache-write token makes
    /// to a prompt token's price); nulls when fewer than 2 requests (or no success).</summary>
    public (Interval? PerRequest, Interval? PerSuccess) CostIntervals(double promptUsd, double cachedUsd, double completionUsd, double confidence = 0.95, double cacheWriteUsd = 0)
    {
        if (Count < 2)
        {
            return (null, null);
        }

        double[] w = [promptUsd, cachedUsd, completionUsd, 0, cacheWriteUsd];
        double[] s = [0, 0, 0, 1, 0];
        var meanY = Dot(w, Mean());
        var meanS = _sum[3] / Count;
        var varY = Cov(w, w);
        var perRequest = MeanInterval.Mean(Count, meanY, varY, confidence);
        var perSuccess = MeanInterval.Ratio(Count, meanY, meanS, varY, Cov(s, s), Cov(w, s), confidence);
        return (perRequest, perSuccess);
    }

    private double[] Mean() => [.. _sum.Select(v => v / Count)];

    /// <summary>Sample covariance (n − 1) of the linear combinations aᵀx and bᵀx.</summary>
    private double Cov(double[] a, double[] b)
    {
        double total = 0;
        for (var i = 0; i < Vars; i++)
        {
            for (var j = 0; j < Vars; j++)
            {
                total += a[i] * b[j] * (_cross[i, j] - (_sum[i] * _sum[j] / Count));
            }
        }

        return total / (Count - 1);
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
