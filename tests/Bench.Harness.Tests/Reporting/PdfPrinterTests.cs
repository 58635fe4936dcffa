using Bench.Report.Pdf;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Harness.Tests.Reporting;

/// <summary>
/// <see cref="PdfPrinter"/>'s failures, with shell scripts standing in for Chromium (each receives Chromium's command
/// line; <c>--print-to-pdf=PATH</c> says where to write): a browser that hangs is killed with every process it started
/// when the deadline passes on the injected clock, one that crashes or writes no PDF is reported with its last words,
/// and a folder that cannot be written gets no half-written <c>report.pdf</c> — an earlier one stays as it was.
/// </summary>
public sealed class PdfPrinterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-pdf-printer-").FullName;

    public PdfPrinterTests() => File.WriteAllText(Html, "<!DOCTYPE html><html><head><title>t</title></head><body><h1>t</h1></body></html>");

    private string Html => Path.Combine(_dir, "report.html");

    private string Pdf => Path.Combine(_dir, PdfPrinter.FileName);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A fake Chromium: <paramref name="body"/> runs with <c>$out</c> set to the <c>--print-to-pdf</c> path.</summary>
    private string Script(string body)
    {
        var path = Path.Combine(_dir, "fake-chromium");
        File.WriteAllText(path, "#!/bin/sh\nout=''\nfor a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${a#--print-to-pdf=}\";; esac; done\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Fact]
    public async Task Print_FakeChromiumWritesAPdf_MovesItIntoPlace_WithThePaperInThePage()
    {
        var chromium = Script("grep -o '@page { size: [A-Za-z0-9]*; }' \"$(echo \"$@\" | tr ' ' '\\n' | grep '^file://' | sed 's|^file://||')\" > \"$out.css\"; cp \"$out.css\" '" + _dir + "/seen.css'; printf '%%PDF-1.4\\n%%%%EOF\\n' > \"$out\"");

        var bytes = await PdfPrinter.PrintAsync(Html, Pdf, chromium, new PdfPrintOptions { Paper = PaperSize.Letter });

        Assert.Equal("%PDF-1.4\n%%EOF\n", File.ReadAllText(Pdf));
        Assert.Equal(new FileInfo(Pdf).Length, bytes);
        Assert.Equal("@page { size: letter; }", File.ReadAllText(Path.Combine(_dir, "seen.css")).Trim());
        Assert.Equal("<!DOCTYPE html><html><head><title>t</title></head><body><h1>t</h1></body></html>", File.ReadAllText(Html)); // report.html untouched
        Assert.Empty(Directory.GetFiles(_dir, ".report.pdf.*"));
    }

    [Fact]
    public async Task Print_ChromiumHangs_DeadlinePassesOnTheInjectedClock_KillsItAndItsChildren_KeepsTheEarlierPdf()
    {
        // The script starts a child, writes both process ids, then waits for ever.
        var pids = Path.Combine(_dir, "pids");
        var chromium = Script($"sleep 600 &\necho \"$$ $!\" > '{pids}.tmp' && mv '{pids}.tmp' '{pids}'\nwait");
        File.WriteAllText(Pdf, "earlier");
        var clock = new FakeTimeProvider();

        var printing = PdfPrinter.PrintAsync(Html, Pdf, chromium, new PdfPrintOptions { Timeout = TimeSpan.FromSeconds(30), TimeProvider = clock });
        var started = await WhenExists(pids, printing);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(printing.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<PdfPrintException>(() => printing);

        Assert.Contains("did not finish printing within 30 s; it was stopped.", e.Message, StringComparison.Ordinal);
        Assert.All(started, pid => Assert.True(Dies(pid), $"process {pid} outlived the print"));
        Assert.Equal("earlier", File.ReadAllText(Pdf));
        Assert.Empty(Directory.GetFiles(_dir, ".report.pdf.*"));
    }

    [Fact]
    public async Task Print_CallerCancels_KillsChromium_ThrowsCancelled()
    {
        var pids = Path.Combine(_dir, "pids");
        var chromium = Script($"echo \"$$\" > '{pids}.tmp' && mv '{pids}.tmp' '{pids}'\nexec sleep 600");
        using var cancel = new CancellationTokenSource();

        var printing = PdfPrinter.PrintAsync(Html, Pdf, chromium, new PdfPrintOptions(), cancel.Token);
        var started = await WhenExists(pids, printing);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => printing);
        Assert.All(started, pid => Assert.True(Dies(pid), $"process {pid} outlived the print"));
        Assert.False(File.Exists(Pdf));
    }

    [Fact]
    public async Task Print_ChromiumCrashes_SaysItsExitCodeAndLastWords_NoPdf()
    {
        var chromium = Script("echo '[1:1:ERROR:dbus/bus.cc:405] Failed to connect to the bus' >&2\necho 'FATAL: cannot open shared object libnss3.so' >&2\nexit 3");

        var e = await Assert.ThrowsAsync<PdfPrintException>(() => PdfPrinter.PrintAsync(Html, Pdf, chromium, new PdfPrintOptions()));

        Assert.Contains("exited with code 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("FATAL: cannot open shared object libnss3.so", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("dbus", e.Message, StringComparison.Ordinal); // its routine noise is left out
        Assert.False(File.Exists(Pdf));
    }

    [Theory]
    [InlineData("exit 0", "exited without writing one")]
    [InlineData("echo '<html>not a pdf</html>' > \"$out\"", "bytes that are not a PDF")]
    public async Task Print_ChromiumWritesNoPdf_Says(string body, string expected)
    {
        var e = await Assert.ThrowsAsync<PdfPrintException>(() => PdfPrinter.PrintAsync(Html, Pdf, Script(body), new PdfPrintOptions()));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Pdf));
    }

    [Fact]
    public async Task Print_TargetFolderCannotBeWritten_SaysSo_LeavesNothing()
    {
        var chromium = Script("printf '%%PDF-1.4\\n' > \"$out\"");
        // A path under a regular file: no folder to write into, whoever runs the test (root ignores permissions).
        var target = Path.Combine(Html, PdfPrinter.FileName);

        var e = await Assert.ThrowsAsync<PdfPrintException>(() => PdfPrinter.PrintAsync(Html, target, chromium, new PdfPrintOptions()));

        Assert.StartsWith($"No PDF: cannot write {target}: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(["fake-chromium", "report.html"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>Waits until the fake browser has written its process ids (or the print ended first: then fails).</summary>
    private static async Task<int[]> WhenExists(string path, Task printing)
    {
        using var written = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a bound on a broken test, not a timing
        while (!File.Exists(path))
        {
            Assert.False(printing.IsCompleted, $"the print ended before the fake browser started: {printing.Exception?.InnerException?.Message}");
            await Task.Delay(10, written.Token);
        }

        return [.. File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];
    }

    /// <summary>Whether the process runs (a zombie, killed but not yet reaped by its new parent, does not).</summary>
    /// <summary>True once <paramref name="pid"/> no longer runs. SIGKILL is delivered asynchronously: a killed child
    /// that the kernel has not scheduled yet (a busy machine) still shows as sleeping for a moment, so this polls; the
    /// bound only catches a process that was never killed.</summary>
    private static bool Dies(int pid) => SpinWait.SpinUntil(() => !Runs(pid), TimeSpan.FromSeconds(30));

    private static bool Runs(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
