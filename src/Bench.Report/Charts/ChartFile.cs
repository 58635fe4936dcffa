namespace Bench.Report.Charts;

/// <summary>Where a chart belongs in the report (the HTML places it in the matching section).</summary>
public enum ChartSection
{
    /// <summary>Latency distributions: box plots, CDFs, the ITL histogram.</summary>
    Distributions,

    /// <summary>Latency and throughput over the run's time.</summary>
    OverTime,

    /// <summary>Streaming against non-streaming, per model.</summary>
    Comparison,

    /// <summary>Sweep curves (offered rate → latency, goodput).</summary>
    Sweep,

    /// <summary>Cost against latency.</summary>
    Cost,

    /// <summary>Resilience policies side by side: success rate and E2E p95 per policy.</summary>
    Resilience,

    /// <summary>Money for the budget holder: monthly cost per option at the stated volume, and cost against monthly
    /// volume for the chosen plan and the current setup (the executive summary).</summary>
    Money,
}

/// <summary>One chart written to a results folder: the same figure as PNG and SVG under <c>charts/</c>.</summary>
/// <param name="Id">Stable id, also the file name without extension (<c>ttft-box</c>).</param>
/// <param name="Title">Title drawn on the chart.</param>
/// <param name="Caption">One or two sentences saying how to read it (what is plotted, what was left out).</param>
/// <param name="Section">Where it belongs in the report.</param>
/// <param name="PngPath">Full path of the PNG.</param>
/// <param name="SvgPath">Full path of the SVG (text drawn as outlines, ids prefixed with <paramref name="Id"/>).</param>
public sealed record ChartFile(string Id, string Title, string Caption, ChartSection Section, string PngPath, string SvgPath);
