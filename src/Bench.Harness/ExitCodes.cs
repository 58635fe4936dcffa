namespace Bench.Harness;

/// <summary>
/// The process exit codes of every <c>bench</c> verb: one table, so a script or CI job reads them the same way
/// whichever verb it ran.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>code</term><description>meaning</description></listheader>
/// <item><term>0</term><description><see cref="Success"/>: the verb did what was asked.</description></item>
/// <item><term>1</term><description><see cref="MeasuredFailure"/>: the run completed and measured a failure (today: a
/// <c>bench selftest</c> accuracy check failed).</description></item>
/// <item><term>2</term><description><see cref="BadInput"/>: bad input, nothing sent — an invalid command line (parse
/// errors included), scenario, profile, price file, results folder or input file, or something that cannot be
/// priced.</description></item>
/// <item><term>99</term><description><see cref="ThresholdsFailed"/>: reserved for threshold gates (issue 13).</description></item>
/// <item><term>130</term><description><see cref="Interrupted"/>: interrupted by Ctrl-C (SIGINT, 128 + 2); a run still
/// reports the records completed so far.</description></item>
/// <item><term>143</term><description><see cref="Terminated"/>: reserved for SIGTERM (128 + 15, issue 10).</description></item>
/// </list>
/// </remarks>
public static class ExitCodes
{
    /// <summary>0: the verb did what was asked.</summary>
    public const int Success = 0;

    /// <summary>1: the run completed and measured a failure (a self-test accuracy check failed).</summary>
    public const int MeasuredFailure = 1;

    /// <summary>2: bad input (command line, scenario, profile, price file, results folder, input file); nothing was
    /// sent.</summary>
    public const int BadInput = 2;

    /// <summary>99: reserved: thresholds failed (issue 13). Not returned yet.</summary>
    public const int ThresholdsFailed = 99;

    /// <summary>130: interrupted by Ctrl-C (SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>143: reserved: terminated by SIGTERM (issue 10). Not returned yet.</summary>
    public const int Terminated = 143;
}
