using System.Globalization;

namespace Bench.Report.Document;

public static partial class ReportDocumentBuilder
{
    /// <summary>The call-out at the top of a merged run's report (<c>bench merge</c>, run.json's <c>shard</c> block with
    /// <c>merged</c>): the shards merged, each missing or failed one with why (then the figures do not cover the whole
    /// plan), and how ids were made unique when they were. <see langword="null"/> for a run that is not a merge.</summary>
    private static Quote? ShardCallout(Core.Results.RunInfo run)
    {
        if (run.Shard is not { Merged: { } merged } shard)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        List<Span> text = shard.Missing is [_, ..] missing
            ? [Strong(string.Create(inv, $"Shards missing or failed: {missing.Count} of {shard.Count}")),
                string.Create(inv, $" ({string.Join("; ", missing)}). Merged: shard(s) {string.Join(", ", merged)}; the figures cover only what those shards recorded (an interrupted shard's records up to its stop), not the whole plan.")]
            : [Strong(string.Create(inv, $"Merged from {shard.Count} shard(s)")), string.Create(inv, $" ({string.Join(", ", merged)}), every one complete: times on one clock, percentiles from all their records at once.")];
        if (shard.IdRule is { } rule)
        {
            text.Add($" Request ids: {rule}.");
        }

        return new Quote(text);
    }
}
