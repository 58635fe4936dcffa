namespace Bench.Report.Charts;

/// <summary>
/// The Pareto front of a set of options where lower is better on both axes (cost and latency): the options no other
/// option beats on one axis without losing on the other.
/// </summary>
public static class ParetoFront
{
    /// <summary>
    /// The non-dominated items, by rising cost (so by falling latency). An item is dominated when another costs no
    /// more and is no slower, and is strictly better on at least one axis; identical items are all on the front.
    /// Items with a non-finite cost or latency are ignored.
    /// </summary>
    public static IReadOnlyList<T> Of<T>(IEnumerable<T> items, Func<T, double> cost, Func<T, double> latency)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(latency);
        var front = new List<T>();
        var bestLatency = double.PositiveInfinity;
        var bestCost = double.NaN;
        foreach (var (item, c, l) in items
                     .Select(i => (Item: i, Cost: cost(i), Latency: latency(i)))
                     .Where(x => double.IsFinite(x.Cost) && double.IsFinite(x.Latency))
                     .OrderBy(x => x.Cost).ThenBy(x => x.Latency))
        {
            // Sorted by cost then latency: an item is dominated exactly when an earlier one is at least as fast,
            // unless that earlier one is the same point.
            if (l < bestLatency || (l == bestLatency && c == bestCost))
            {
                front.Add(item);
                bestLatency = l;
                bestCost = c;
            }
        }

        return front;
    }
}
