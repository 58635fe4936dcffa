using System.CommandLine;
using Bench.Cli.SelfTest;
using Bench.Core.Scenarios;

namespace Bench.Cli.Commands;

/// <summary>
/// <c>bench selftest</c>: proof of accuracy. Measures Bench against the simulator's own per-request ground truth,
/// checks the achieved arrival rate, and finds the client's ceiling against the OpenAI .NET SDK and wrk; writes
/// <c>selftest.md</c> and <c>selftest.json</c>. Exit code 0 when every accuracy check passed, 1 when one failed, 2
/// for bad options, 130 when interrupted.
/// </summary>
internal static class SelftestCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Shorter steps (3 s accuracy runs, 1.5 s ceiling steps, 2 s wrk): about a minute." };
        var output = new Option<string?>("--out") { Description = "Results folder (default: results/<yyyyMMdd-HHmmss>-selftest)." };
        var duration = new Option<string?>("--duration") { Description = "Duration of every measured step (each accuracy run, ceiling step and the wrk run), e.g. 5s." };
        var installTools = new Option<bool>("--install-tools") { Description = "Install wrk with eng/install-wrk.sh (apt-get; root or sudo -n) when it is not on PATH." };
        var command = new Command("selftest", "Prove Bench's accuracy against the simulator's ground truth and find the client's ceiling (vs the OpenAI SDK and wrk).")
        {
            quick, output, duration, installTools,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TimeSpan? stepDuration = null;
            if (parse.GetValue(duration) is { } text)
            {
                if (!Durations.TryParse(text, out var d) || d <= TimeSpan.Zero)
                {
                    await Console.Error.WriteLineAsync($"--duration: '{text}' is not a positive duration such as 5s or 1m.").ConfigureAwait(false);
                    return 2;
                }

                stepDuration = d;
            }

            var options = new SelfTestOptions
            {
                Quick = parse.GetValue(quick),
                OutputDirectory = parse.GetValue(output),
                Duration = stepDuration,
                InstallTools = parse.GetValue(installTools),
                CommandLine = "bench " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
            };
            try
            {
                var (result, _) = await SelfTestRunner.RunAsync(options, Console.Out, cancellationToken).ConfigureAwait(false);
                return result.Passed ? 0 : 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("Interrupted.").ConfigureAwait(false);
                return 130;
            }
        });
        return command;
    }
}
