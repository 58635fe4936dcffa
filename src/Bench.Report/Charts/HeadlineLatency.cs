using Bench.Core.Metrics;
using Bench.Core.Records;

namespace Bench.Report.Charts;

/// <summary>
/// The latency a user waits before seeing output, per mode: TTFT as <see cref="Metric.JudgedAs"/> judges it — TTFT
/// when streaming, E2E when not (the whole response is the first output). Cost and sweep charts put both modes on one
/// axis with it.
/// </summary>
internal static class HeadlineLatency
{
    /// <summary>The metric that stands for a mode.</summary>
    public static MetricDescriptor MetricOf(Mode mode) => Metric.JudgedAs(Metric.Ttft, mode);

    /// <summary>The cell's headline distribution, or null when it has no samples.</summary>
    public static MetricStats? Of(CellSummary summary) => summary.Get(MetricOf(summary.Mode));

    /// <summary>Axis label for charts that mix the two modes.</summary>
    public const string AxisNote = "TTFT streaming, E2E non-streaming";

    /// <summary>What the headline latency is for the modes a chart shows: "TTFT" (streaming only), "E2E"
    /// (non-streaming only) or <see cref="AxisNote"/> (both).</summary>
    public static string NoteFor(IEnumerable<Mode> modes)
    {
        var distinct = modes.Distinct().ToList();
        return distinct.Count == 1 ? MetricOf(distinct[0]).DisplayName : AxisNote;
    }
}
