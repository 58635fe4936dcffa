using System.CommandLine;
using Bench.Harness.Reporting;
using Bench.Report.Pdf;

namespace Bench.Cli.Options;

/// <summary><c>--pdf</c> and <c>--paper a4|letter</c>, which <c>bench report</c> and <c>bench run</c> share.</summary>
internal sealed class PdfFlags
{
    private readonly Option<bool> _pdf = new("--pdf")
    {
        Description = "Also print report.pdf (after every other report file) with headless Chromium: BENCH_CHROMIUM, else "
            + "/usr/bin/chromium, else chromium, chromium-browser or google-chrome on PATH (install: eng/install-chromium.sh). "
            + "Without one, or when printing fails, the other files are still written and the exit code is 2.",
    };

    private readonly Option<PaperSize?> _paper = new("--paper")
    {
        Description = "Paper of report.pdf: a4 (default) or letter. Needs --pdf.",
        HelpName = "a4|letter",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (PaperSizes.TryParse(text, out var paper))
            {
                return paper;
            }

            result.AddError($"--paper: '{text}' is not a paper size; use {string.Join(" or ", PaperSizes.Names)}.");
            return null;
        },
    };

    /// <summary>Adds the flags to <paramref name="command"/>, with the rule that <c>--paper</c> needs <c>--pdf</c>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_pdf);
        command.Options.Add(_paper);
        command.Validators.Add(result =>
        {
            if (result.GetResult(_paper) is not null && !result.GetValue(_pdf))
            {
                result.AddError("--paper: needs --pdf (it sets the paper of report.pdf).");
            }
        });
    }

    /// <summary>The PDF asked for, or <see langword="null"/> without <c>--pdf</c>.</summary>
    public PdfRequest? Read(ParseResult parse) =>
        parse.GetValue(_pdf) ? new PdfRequest { Paper = parse.GetValue(_paper) ?? PaperSize.A4 } : null;
}
