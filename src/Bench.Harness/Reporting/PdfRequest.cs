using Bench.Report.Pdf;

namespace Bench.Harness.Reporting;

/// <summary>A request for <c>report.pdf</c> (<c>--pdf</c>, <c>--paper</c>): printed after every other report file.</summary>
public sealed record PdfRequest
{
    /// <summary>The paper (<c>--paper a4|letter</c>); A4 by default.</summary>
    public PaperSize Paper { get; init; } = PaperSize.A4;

    /// <summary>How long Chromium may take to print before it is killed.</summary>
    public TimeSpan Timeout { get; init; } = PdfPrintOptions.DefaultTimeout;

    /// <summary>The clock of <see cref="Timeout"/>; <see cref="TimeProvider.System"/> unless a test gives another.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Reads an environment variable (<c>BENCH_CHROMIUM</c>, <c>PATH</c>) to find Chromium;
    /// <see cref="Environment.GetEnvironmentVariable(string)"/> unless a test gives another.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Finds Chromium (see <see cref="ChromiumLocator"/>).</summary>
    public ChromiumSearch FindChromium() => ChromiumLocator.Find(Environment);
}
