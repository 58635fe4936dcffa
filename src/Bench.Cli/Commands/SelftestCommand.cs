using System.CommandLine;
using Bench.Cli.Options;
using Bench.Harness.SelfTest;

namespace Bench.Cli.Commands;

/// <summary><c>bench selftest</c>: proof of accuracy; calls <see cref="SelfTestRunner.RunAsync(SelfTestOptions, TextWriter, TextWriter, CancellationToken)"/>.</summary>
internal static class SelftestCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Shorter steps (3 s accuracy runs, 1.5 s ceiling steps, 2 s wrk, the 500-stream scale step alone with a 3 s window): about a minute." };
        var output = new Option<string?>("--out") { Description = "Results folder (default: results/<yyyyMMdd-HHmmss>-selftest)." };
        var duration = SharedOptions.Duration("Duration of every measured step (each accuracy run, ceiling step, the wrk run and each scale step's window), e.g. 5s.");
        var installTools = new Option<bool>("--install-tools") { Description = "Install wrk with eng/install-wrk.sh (apt-get; root or sudo -n) when it is not on PATH." };
        var command = new Command("selftest", "Prove Bench's accuracy against the simulator's ground truth and find the client's ceiling (vs the OpenAI SDK and wrk). "
            + "Exit codes: 0 every accuracy check passed, 1 one failed, 2 bad options, 130 interrupted.")
        {
            quick, output, duration, installTools,
        };
        command.SetAction((parse, cancellationToken) => SelfTestRunner.RunAsync(
            new SelfTestOptions
            {
                Quick = parse.GetValue(quick),
                OutputDirectory = parse.GetValue(output),
                Duration = parse.GetValue(duration),
                InstallTools = parse.GetValue(installTools),
                CommandLine = "bench " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
            },
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }
}
