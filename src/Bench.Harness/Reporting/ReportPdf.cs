using Bench.Report.Html;
using Bench.Report.Pdf;

namespace Bench.Harness.Reporting;

/// <summary>Prints a results folder's <c>report.html</c> to <c>report.pdf</c> for <c>bench report --pdf</c> and
/// <c>bench run --pdf</c>, after every other report file is written, and says what happened.</summary>
internal static class ReportPdf
{
    /// <summary>What the user is told after a failed print: nothing else was lost.</summary>
    public const string OthersWritten = "The other report files are written; report.html prints from a browser too.";

    /// <summary>Prints <c>report.html</c> of <paramref name="directory"/>; on success prints the PDF's path on
    /// <paramref name="output"/>, else the reason (no Chromium: what was looked for and how to install it; a crash, a
    /// timeout, a folder that cannot be written) on <paramref name="error"/>.</summary>
    /// <returns>Whether <c>report.pdf</c> was written.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (Chromium was killed;
    /// no <c>report.pdf</c> written).</exception>
    public static async Task<bool> PrintAsync(string directory, PdfRequest pdf, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var search = pdf.FindChromium();
        if (search.Path is not { } chromium)
        {
            await error.WriteLineAsync($"{search.NotFoundMessage} {OthersWritten}").ConfigureAwait(false);
            return false;
        }

        var target = Path.Combine(directory, PdfPrinter.FileName);
        try
        {
            var options = new PdfPrintOptions { Paper = pdf.Paper, Timeout = pdf.Timeout, TimeProvider = pdf.TimeProvider };
            var bytes = await PdfPrinter.PrintAsync(Path.Combine(directory, HtmlExporter.FileName), target, chromium, options, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"PDF ({pdf.Paper.Name()}, {bytes / 1024.0:N0} KiB): {target}").ConfigureAwait(false);
            return true;
        }
        catch (PdfPrintException e)
        {
            await error.WriteLineAsync($"{e.Message} {OthersWritten}").ConfigureAwait(false);
            return false;
        }
    }
}
