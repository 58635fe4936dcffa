using System.Diagnostics;
using System.Text;
using Bench.Report.Html;

namespace Bench.Report.Pdf;

/// <summary>
/// Prints <c>report.html</c> to <c>report.pdf</c> with headless Chromium's own printer
/// (<c>chromium --headless --print-to-pdf</c>, which prints once the page has loaded). The page size comes from CSS:
/// a copy of the page with <see cref="PrintStylesheet.PageSize"/> added is printed from a temporary folder, so
/// <c>report.html</c> itself stays paper-neutral. Page numbers are CSS margin boxes (<see cref="PrintStylesheet"/>),
/// with Chromium's own header and footer (date, file URL) turned off.
/// </summary>
/// <remarks>
/// Why not Playwright's <c>Page.PdfAsync</c>: it needs Playwright's Node.js driver beside <c>bench</c>, which made the
/// published CLI 136 MB larger (linux-x64: 32 → 168 MB), for what one command line of the same browser does.
/// The browser runs under a deadline on <see cref="PdfPrintOptions.TimeProvider"/>; when it passes, or the caller
/// cancels, Chromium and every process it started are killed before this returns, so the browser never outlives the
/// command. The PDF is checked (it starts with <c>%PDF-</c>) and moved into place in one rename: a failed print never
/// leaves a half-written <c>report.pdf</c>, and an earlier one stays as it was.
/// </remarks>
public static class PdfPrinter
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "report.pdf";

    /// <summary>Chromium's flags besides the page and the output: headless, no sandbox (it fails as root and in most
    /// containers; the page is Bench's own, without script, and its Content-Security-Policy forbids every fetch), no
    /// GPU, no network of its own, a throw-away profile, no header or footer of Chromium's.</summary>
    public static IReadOnlyList<string> Flags { get; } =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--no-first-run", "--no-default-browser-check", "--mute-audio",
        "--no-pdf-header-footer",
    ];

    /// <summary>Prints <paramref name="htmlPath"/> to <paramref name="pdfPath"/> with the Chromium at
    /// <paramref name="chromium"/>.</summary>
    /// <returns>The size of the PDF written, in bytes.</returns>
    /// <exception cref="PdfPrintException">Chromium could not be started, exited with an error, wrote no PDF, or did not
    /// finish within <see cref="PdfPrintOptions.Timeout"/>; or <paramref name="pdfPath"/>'s folder cannot be written.
    /// The message says which, with Chromium's last lines of standard error.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (Chromium was
    /// killed).</exception>
    public static async Task<long> PrintAsync(string htmlPath, string pdfPath, string chromium, PdfPrintOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(htmlPath);
        ArgumentNullException.ThrowIfNull(pdfPath);
        ArgumentNullException.ThrowIfNull(chromium);
        ArgumentNullException.ThrowIfNull(options);
        var work = Directory.CreateTempSubdirectory("bench-pdf-");
        try
        {
            var page = Path.Combine(work.FullName, HtmlExporter.FileName);
            var printed = Path.Combine(work.FullName, FileName);
            try
            {
                var html = await File.ReadAllTextAsync(htmlPath, cancellationToken).ConfigureAwait(false);
                await File.WriteAllTextAsync(page, PrintStylesheet.ForPrint(html, options.Paper), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                throw new PdfPrintException($"No PDF: cannot read {htmlPath}: {e.Message}");
            }

            await RunChromiumAsync(chromium, page, printed, Path.Combine(work.FullName, "profile"), options, cancellationToken).ConfigureAwait(false);
            var size = CheckPdf(printed);
            MoveIntoPlace(printed, Path.GetFullPath(pdfPath));
            return size;
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A temporary folder left behind is not worth failing the print for.
            }
        }
    }

    private static async Task RunChromiumAsync(string chromium, string page, string printed, string profile, PdfPrintOptions options, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(chromium)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var flag in Flags)
        {
            start.ArgumentList.Add(flag);
        }

        start.ArgumentList.Add("--user-data-dir=" + profile);
        start.ArgumentList.Add("--print-to-pdf=" + printed);
        start.ArgumentList.Add(new Uri(page).AbsoluteUri);
        var errors = new StandardErrorTail();
        using var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => errors.Add(e.Data);
        process.OutputDataReceived += (_, _) => { };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new PdfPrintException($"No PDF: could not start {chromium}: {e.Message}");
        }

        try
        {
            process.StandardInput.Close();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            using var deadline = new CancellationTokenSource(options.Timeout, options.TimeProvider);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            try
            {
                await process.WaitForExitAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Kill(process);
                throw new PdfPrintException(
                    $"No PDF: Chromium ({chromium}) did not finish printing within {options.Timeout.TotalSeconds:0.#} s; it was stopped.{errors.Describe()}");
            }

            if (process.ExitCode != 0)
            {
                throw new PdfPrintException($"No PDF: Chromium ({chromium}) exited with code {process.ExitCode}.{errors.Describe()}");
            }

            if (!File.Exists(printed))
            {
                throw new PdfPrintException($"No PDF: Chromium ({chromium}) exited without writing one.{errors.Describe()}");
            }
        }
        finally
        {
            Kill(process);
        }
    }

    /// <summary>Kills the process and everything it started, if it still runs, and reaps it.</summary>
    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            // Bounded: a killed process is gone at once; this only reaps it (the streams' end is not awaited).
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private static long CheckPdf(string printed)
    {
        var header = new byte[5];
        using (var file = File.OpenRead(printed))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !"%PDF-"u8.SequenceEqual(header))
            {
                throw new PdfPrintException($"No PDF: Chromium wrote {file.Length:N0} bytes that are not a PDF.");
            }

            return file.Length;
        }
    }

    /// <summary>Copies the PDF beside <paramref name="target"/> under a temporary name, then renames it over the
    /// target: readers see the old file or the whole new one, never part of it.</summary>
    private static void MoveIntoPlace(string printed, string target)
    {
        var folder = Path.GetDirectoryName(target) ?? ".";
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.Copy(printed, temporary);
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing was written there, or nothing can be.
            }

            throw new PdfPrintException($"No PDF: cannot write {target}: {e.Message}");
        }
    }

    /// <summary>The last lines Chromium wrote to standard error, without its routine noise about D-Bus (absent in
    /// containers and harmless).</summary>
    private sealed class StandardErrorTail
    {
        private const int Kept = 6;
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (string.IsNullOrWhiteSpace(line) || line.Contains("dbus", StringComparison.OrdinalIgnoreCase) || line.Contains("unexpected operator", StringComparison.Ordinal))
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line.Length > 300 ? line[..300] + "…" : line);
                while (_lines.Count > Kept)
                {
                    _lines.Dequeue();
                }
            }
        }

        public string Describe()
        {
            lock (_lines)
            {
                return _lines.Count == 0 ? "" : " Its last words: " + string.Join(" | ", _lines);
            }
        }
    }
}

/// <summary>How <see cref="PdfPrinter"/> prints.</summary>
public sealed record PdfPrintOptions
{
    /// <summary>The default deadline for Chromium to print: generous for a busy two-core machine (a report prints in
    /// about 3 s on an idle one).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The paper (<c>--paper</c>); A4 by default.</summary>
    public PaperSize Paper { get; init; } = PaperSize.A4;

    /// <summary>How long Chromium may take from its start to its exit; then it is killed.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The clock of <see cref="Timeout"/>; <see cref="TimeProvider.System"/> unless a test gives another.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>A PDF could not be printed; the message says why, in words for the user.</summary>
public sealed class PdfPrintException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public PdfPrintException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PdfPrintException()
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public PdfPrintException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
