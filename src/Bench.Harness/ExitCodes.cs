namespace Bench.Harness;

/// <summary>
/// The process exit codes of every <c>bench</c> verb: one table, so a script or CI job reads them the same way
/// whichever verb it ran.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>code</term><description>meaning</description></listheader>
/// <item><term>0</term><description><see cref="Success"/>: the verb did what was asked.</description></item>
/// <item><term>1</term><description><see cref="MeasuredFailure"/>: a failure was measured — a <c>bench run</c> cell
/// had no successful request (one line per such cell on standard error names its dominant failure), the endpoint
/// refused the API key on the first requests (the run stops early and says so), or a <c>bench selftest</c> accuracy
/// check failed.</description></item>
/// <item><term>2</term><description><see cref="BadInput"/>: bad input, nothing sent — an invalid command line (parse
/// errors included), scenario, profile, price file, results folder or input file, or something that cannot be
/// priced; also <c>--pdf</c> when <c>report.pdf</c> could not be printed: no Chromium (<c>bench run</c> looks before it
/// sends anything), or Chromium failed, timed out, or the folder could not be written — then every other report file
/// is written, and a code above 2 (99, 1 after a run) stands.</description></item>
/// <item><term>99</term><description><see cref="ThresholdsFailed"/>: a threshold failed — a scenario <c>thresholds</c>
/// entry or a <c>--threshold</c> flag of <c>bench run</c> or <c>bench report</c> missed its limit on a cell, had no data
/// (a cell without a value, or no cell the metric applies to), or an <c>abort_on_fail</c> threshold stopped the run
/// early. The table on standard output and <c>summary.json</c>'s <c>thresholds</c> say which.</description></item>
/// <item><term>130</term><description><see cref="Interrupted"/>: interrupted by Ctrl-C (SIGINT, 128 + 2); a run still
/// reports the records completed so far, marked as interrupted. A second Ctrl-C ends the process at once, with the
/// same status.</description></item>
/// <item><term>143</term><description><see cref="Terminated"/>: terminated by SIGTERM (128 + 15), with the same
/// interrupted report as 130.</description></item>
/// </list>
/// </remarks>
public static class ExitCodes
{
    /// <summary>0: the verb did what was asked.</summary>
    public const int Success = 0;

    /// <summary>1: a failure was measured: a run's cell had no successful request, the endpoint refused the API key on
    /// the first requests, or a self-test accuracy check failed.</summary>
    public const int MeasuredFailure = 1;

    /// <summary>2: bad input (command line, scenario, profile, price file, results folder, input file); nothing was
    /// sent. Also: <c>--pdf</c> could not print <c>report.pdf</c> (the other report files are written).</summary>
    public const int BadInput = 2;

    /// <summary>99: a threshold failed or had no data (<c>bench run</c>, <c>bench report</c>). Precedence: an interrupt
    /// (130/143) wins over it, and it wins over <see cref="MeasuredFailure"/>.</summary>
    public const int ThresholdsFailed = 99;

    /// <summary>130: interrupted by Ctrl-C (SIGINT); a run reports what it completed, marked as interrupted.</summary>
    public const int Interrupted = 130;

    /// <summary>143: terminated by SIGTERM; a run reports what it completed, marked as interrupted.</summary>
    public const int Terminated = 143;
}
