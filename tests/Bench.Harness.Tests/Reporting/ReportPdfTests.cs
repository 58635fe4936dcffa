using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Reporting;
using Bench.Harness.Running;
using Bench.Harness.SelfTest;
using Bench.Harness.Tests.TestSupport;
using Bench.Report.Pdf;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using Xunit.Abstractions;

namespace Bench.Harness.Tests.Reporting;

/// <summary>One small run against the embedded simulator, shared by the PDF tests (its report is rebuilt by each).</summary>
public sealed class SimulatorRunFolder : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("bench-pdf-run-").FullName;

    public string RunId => ResultsDirectory.ReadRunInfo(Directory)!.RunId;

    public static IReadOnlyList<string> Models { get; } = ["gpt-4.1", "deepseek-v3.2"];

    public async Task InitializeAsync()
    {
        var scenario = new Scenario
        {
            Name = "pdf",
            Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
            Models = [.. Models],
            Modes = [Mode.Streaming, Mode.NonStreaming],
            Request = new RequestShape { PromptTokens = 20, MaxTokens = 16 },
            // 30 requests a cell, enough to show 90 %: the page has the budget holder's summary and both money charts.
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 10, Iterations = 30 }],
            Slos =
            [
                new SloSet { Name = "interactive", MaxMs = new Dictionary<string, double> { ["ttft_ms"] = 10_000 }, Percentile = 90, Share = 30m },
                new SloSet { Name = "background", MinSuccessRate = 0.9, Share = 70m },
            ],
        };
        var outcome = await TestRuns.RunAsync(scenario, null, Directory, new StringWriter(), CancellationToken.None);
        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>bench report DIR --pdf</c> with the real headless Chromium (<c>/usr/bin/chromium</c>, installed by
/// <c>eng/install-chromium.sh</c>; CI installs it), the PDF read back with PdfPig: page size, page count, text, no
/// blank page, every chart whole on one page.
/// </summary>
public sealed class ReportPdfTests(SimulatorRunFolder run, ITestOutputHelper log) : IClassFixture<SimulatorRunFolder>
{
    private const double Mm = 72 / 25.4;

    /// <summary>The page margin of the print stylesheet (<c>@page { margin: 12mm }</c>).</summary>
    private const double Margin = 12 * Mm;

    [Theory]
    [InlineData(PaperSize.A4, 595.28, 841.89)]
    [InlineData(PaperSize.Letter, 612.0, 792.0)]
    public async Task Pdf_OfASimulatorRun_HasThePaper_TheText_EveryChartWhole_NoBlankPage(PaperSize paper, double width, double height)
    {
        Assert.True(File.Exists(ChromiumLocator.DebianPath), $"{ChromiumLocator.DebianPath} is missing: run eng/install-chromium.sh (CI installs it).");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ReportHarness.RebuildAsync(run.Directory, new ReportOverrides(), new PdfRequest { Paper = paper }, output, error);

        Assert.True(exit == ExitCodes.Success, $"exit {exit}: {error}");
        var pdfPath = Path.Combine(run.Directory, PdfPrinter.FileName);
        Assert.Contains($"PDF ({paper.Name()}, ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(pdfPath, output.ToString(), StringComparison.Ordinal);
        Assert.Empty(System.IO.Directory.GetFiles(run.Directory, ".report.pdf.*")); // no temporary left beside it

        // Kept after the test (the results folder is deleted) so a person can look at it.
        var kept = Path.Combine(Path.GetTempPath(), "bench-report-tests", $"report-{paper.Name()}.pdf");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        File.Copy(pdfPath, kept, overwrite: true);
        log.WriteLine($"PDF: {kept}");

        using var pdf = PdfDocument.Open(pdfPath);
        var pages = pdf.GetPages().ToList();
        Assert.True(pages.Count >= 2, $"{pages.Count} page(s)"); // a summary table, charts and tables: more than one page
        log.WriteLine($"{paper}: {pages.Count} pages");
        var texts = pages.Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            var page = pages[i];
            Assert.InRange(page.Width, width - 2, width + 2);
            Assert.InRange(page.Height, height - 2, height + 2);

            // A second count of the pages: Chromium's own layout numbers them in the footer ("Page 3 of 17").
            Assert.Contains($"Page {i + 1} of {pages.Count}", texts[i], StringComparison.Ordinal);

            // No blank page: something printed above the footer's margin (text, a drawing or an image).
            var inked = page.Letters.Count(l => !string.IsNullOrWhiteSpace(l.Value) && l.BoundingBox.Bottom > Margin)
                + page.Paths.Count(p => !p.IsClipping && Bounds(p) is { } b && b.Bottom > Margin)
                + page.NumberOfImages;
            Assert.True(inked > 0, $"page {i + 1} of {pages.Count} is blank apart from its footer");
        }

        var all = string.Join(" ", texts);
        Assert.Contains($"Bench run {run.RunId}", all, StringComparison.Ordinal);
        Assert.Contains("Executive summary", all, StringComparison.Ordinal);
        Assert.Contains("Budget plan", all, StringComparison.Ordinal);
        Assert.Contains("not a measurement of any provider", all, StringComparison.Ordinal); // the simulated banner
        Assert.All(SimulatorRunFolder.Models, model => Assert.Contains(model, all, StringComparison.Ordinal));

        // Every chart: its caption is printed, and on the caption's page the chart's drawing above it is as tall as the
        // chart is printed — at the text width (its SVG's height ÷ width × the text width), at most 100 mm (the print
        // stylesheet's cap, two charts to a page): nothing of it went to the page before.
        var textWidth = width - (2 * Margin);
        var charts = System.IO.Directory.GetFiles(Path.Combine(run.Directory, "charts"), "*.svg");
        Assert.NotEmpty(charts);
        Assert.Contains(charts, c => Path.GetFileName(c) == "monthly-cost.svg"); // the money charts are printed too
        Assert.Contains(charts, c => Path.GetFileName(c) == "cost-volume.svg");
        foreach (var svg in charts)
        {
            var file = "charts/" + Path.GetFileNameWithoutExtension(svg) + ".png";
            var onPages = Enumerable.Range(0, pages.Count).Where(i => texts[i].Contains(file, StringComparison.Ordinal)).ToList();
            Assert.True(onPages.Count == 1, $"{file}: caption on pages [{string.Join(", ", onPages.Select(i => i + 1))}]");
            var page = pages[onPages[0]];
            var caption = page.GetWords().Where(w => w.Text.Contains(Path.GetFileName(file), StringComparison.Ordinal)).Select(w => w.BoundingBox.Top).Max();
            var root = XDocument.Load(svg).Root!;
            var expected = Math.Min(textWidth * (double)root.Attribute("height")! / (double)root.Attribute("width")!, 100 * Mm);
            var above = page.Paths.Where(p => !p.IsClipping).Select(Bounds).OfType<PdfRectangle>().Where(b => b.Bottom >= caption - 1).ToList();
            Assert.NotEmpty(above);
            var drawn = above.Max(b => b.Top) - above.Min(b => b.Bottom);
            Assert.True(drawn >= 0.9 * expected, $"{file} on page {onPages[0] + 1}: {drawn:F0} pt of drawing above its caption, the chart is {expected:F0} pt tall");
            Assert.True(above.Max(b => b.Top) <= height - Margin + 2, $"{file}: drawn into the top margin");
        }
    }

    [Fact]
    public async Task Pdf_WithoutChromium_SaysWhatWasLookedForAndHowToInstall_WritesTheOtherFiles_Exits2()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        File.Delete(Path.Combine(run.Directory, PdfPrinter.FileName));
        File.Delete(Path.Combine(run.Directory, "report.html"));
        var missing = Path.Combine(run.Directory, "no-such-chromium");
        var environment = new Dictionary<string, string?> { [ChromiumLocator.EnvironmentVariable] = missing, ["PATH"] = "" };

        var exit = await ReportHarness.RebuildAsync(run.Directory, new ReportOverrides(), new PdfRequest { Environment = v => environment.GetValueOrDefault(v) }, output, error);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"No PDF: BENCH_CHROMIUM={missing} is not an executable file.", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("The other report files are written", error.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run.Directory, "report.html")));
        Assert.False(File.Exists(Path.Combine(run.Directory, PdfPrinter.FileName)));
    }

    [Fact]
    public void Locator_NothingAnywhere_NamesEachPlaceAndTheInstallScript()
    {
        var empty = System.IO.Directory.CreateTempSubdirectory("bench-no-chromium-").FullName;
        try
        {
            var environment = new Dictionary<string, string?> { ["PATH"] = empty };

            var search = ChromiumLocator.Find(v => environment.GetValueOrDefault(v), [Path.Combine(empty, "chromium")]);

            Assert.False(search.Found);
            Assert.Equal([Path.Combine(empty, "chromium"), "chromium on PATH", "chromium-browser on PATH", "google-chrome on PATH"], search.LookedAt);
            Assert.Contains("eng/install-chromium.sh", search.NotFoundMessage, StringComparison.Ordinal);
            Assert.Contains("BENCH_CHROMIUM=/path/to/chromium", search.NotFoundMessage, StringComparison.Ordinal);

            // On PATH, in the order of the names: chromium-browser before google-chrome.
            foreach (var name in new[] { "google-chrome", "chromium-browser" })
            {
                File.WriteAllText(Path.Combine(empty, name), "#!/bin/sh\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(Path.Combine(empty, name), UnixFileMode.UserRead | UnixFileMode.UserExecute);
                }
            }

            Assert.Equal(Path.Combine(empty, "chromium-browser"), ChromiumLocator.Find(v => environment.GetValueOrDefault(v), [Path.Combine(empty, "chromium")]).Path);
        }
        finally
        {
            System.IO.Directory.Delete(empty, recursive: true);
        }
    }

    /// <summary>The <c>bench</c> command itself, as a user runs it: <c>BENCH_CHROMIUM</c> naming nothing, <c>PATH</c>
    /// empty.</summary>
    [Fact]
    public async Task BenchReportPdf_Process_BenchChromiumMissing_PathCleared_Exits2WithTheMessage()
    {
        var (fileName, prefix) = ChildSimulator.BenchExecutable();
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in prefix.Concat(["report", run.Directory, "--pdf", "--paper", "letter"]))
        {
            start.ArgumentList.Add(argument);
        }

        var missing = Path.Combine(run.Directory, "no-such-chromium");
        start.Environment[ChromiumLocator.EnvironmentVariable] = missing;
        start.Environment["PATH"] = "";
        // The runtime's folder (…/dotnet/shared/Microsoft.NETCore.App/10.x/ → …/dotnet): the app host finds it without PATH.
        start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == ExitCodes.BadInput, $"exit {process.ExitCode}: {await stderr} {await stdout}");
        Assert.Contains($"No PDF: BENCH_CHROMIUM={missing} is not an executable file.", await stderr, StringComparison.Ordinal);
        Assert.Contains("Rebuilt the report", await stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPdf_WithoutChromium_RefusedBeforeAnythingIsSent_Exits2()
    {
        var results = Path.Combine(run.Directory, "..", Path.GetFileName(run.Directory) + "-no-chromium");
        var error = new StringWriter();
        var environment = new Dictionary<string, string?> { [ChromiumLocator.EnvironmentVariable] = "/no/such/chromium", ["PATH"] = "" };

        var outcome = await RunHarness.RunAsync(new RunRequest
        {
            ScenarioPath = Path.Combine(RepoPaths.Root, "scenarios", "default.json"),
            OutputDirectory = results,
            Overrides = new PlanOverrides { Quick = true, Models = ["fixed-100ms"], Modes = [Mode.Streaming] },
            Preflight = false,
            Pdf = new PdfRequest { Environment = v => environment.GetValueOrDefault(v) },
        }, new StringWriter(), error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("No PDF: BENCH_CHROMIUM=/no/such/chromium is not an executable file.", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Nothing was sent", error.ToString(), StringComparison.Ordinal);
        Assert.False(System.IO.Directory.Exists(results));
    }

    [Fact]
    public async Task RunPdf_PrintsReportPdfAfterTheOtherFiles()
    {
        var results = System.IO.Directory.CreateTempSubdirectory("bench-run-pdf-").FullName;
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();

            var outcome = await RunHarness.RunAsync(new RunRequest
            {
                ScenarioPath = Path.Combine(RepoPaths.Root, "scenarios", "default.json"),
                OutputDirectory = results,
                Force = true,
                Overrides = new PlanOverrides { Quick = true, Models = ["fixed-100ms"], Modes = [Mode.Streaming] },
                Preflight = false,
                Pdf = new PdfRequest { Paper = PaperSize.Letter },
            }, output, error, CancellationToken.None);

            Assert.True(outcome.ExitCode == ExitCodes.Success, $"exit {outcome.ExitCode}: {error}");
            var pdfPath = Path.Combine(results, PdfPrinter.FileName);
            Assert.EndsWith($"PDF (letter, {new FileInfo(pdfPath).Length / 1024.0:N0} KiB): {pdfPath}", output.ToString().TrimEnd(), StringComparison.Ordinal);
            Assert.True(File.GetLastWriteTimeUtc(pdfPath) >= File.GetLastWriteTimeUtc(Path.Combine(results, "report.html")));
            using var pdf = PdfDocument.Open(pdfPath);
            Assert.All(pdf.GetPages(), page => Assert.InRange(page.Width, 610, 614));
            // PdfPig reads this PDF's "fi" as the one letter U+FB01 (poppler's pdftotext reads two); the tests run with
            // invariant globalization, where Normalize leaves it, so it is spelled out.
            Assert.Contains("fixed-100ms", string.Concat(pdf.GetPages().Select(p => p.Text)).Replace("\uFB01", "fi", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            System.IO.Directory.Delete(results, recursive: true);
        }
    }

    private static PdfRectangle? Bounds(UglyToad.PdfPig.Graphics.PdfPath path) => PdfSubpath.GetBoundingRectangle(path);
}
