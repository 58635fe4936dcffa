using System.CommandLine;
using Bench.Cli.Commands;
using Bench.Harness;
using Bench.Harness.Running;

namespace Bench.Cli;

/// <summary>The <c>bench</c> command tree: thin verbs, each binding its arguments and calling one Bench.Harness entry
/// point. Exit codes are <see cref="ExitCodes"/> for every verb.</summary>
internal static class BenchCommand
{
    /// <summary>Builds the root command; <c>bench inspect -</c> reads <paramref name="openStandardInput"/> (the
    /// process's standard input when <see langword="null"/>); <c>bench run</c> names the signal of
    /// <paramref name="interrupts"/> in its results.</summary>
    public static RootCommand Create(Func<Stream>? openStandardInput = null, Interrupts? interrupts = null) =>
        new("Bench: measure OpenAI-compatible LLM APIs — streaming against non-streaming, model by model, with cost.")
        {
            RunCommand.Create(interrupts),
            SimulateCommand.Create(),
            ReportCommand.Create(),
            MergeCommand.Create(),
            CompareCommand.Create(),
            CostCommand.Create(),
            InspectCommand.Create(openStandardInput ?? Console.OpenStandardInput),
            SelftestCommand.Create(),
            KubeCommand.Create(),
        };

    /// <summary>Parses and runs <paramref name="args"/>, writing through <paramref name="configuration"/>'s writers
    /// (the console's when <see langword="null"/>). A command line that does not parse exits with
    /// <see cref="ExitCodes.BadInput"/> (System.CommandLine's own code for it is 1, which the table gives to a measured
    /// failure).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="configuration">Output and error writers. Its <c>ProcessTerminationTimeout</c> must stay
    /// <see langword="null"/> (the default): System.CommandLine then registers no signal handler of its own, and
    /// <paramref name="interrupts"/> handles SIGINT and SIGTERM (see <see cref="Interrupts"/> for why).</param>
    /// <param name="openStandardInput">What <c>bench inspect -</c> reads.</param>
    /// <param name="interrupts">The process's signals (Program.cs listens); their token is the one every verb gets.
    /// After a signal, a verb that ended with <see cref="ExitCodes.Success"/> or <see cref="ExitCodes.Interrupted"/>
    /// exits with the signal's code: 130 for SIGINT, 143 for SIGTERM.</param>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, Func<Stream>? openStandardInput = null,
        Interrupts? interrupts = null)
    {
        var parse = Create(openStandardInput, interrupts).Parse(args);
        var exitCode = await parse.InvokeAsync(configuration ?? new InvocationConfiguration(), interrupts?.Token ?? CancellationToken.None).ConfigureAwait(false);
        if (interrupts?.Signal is not null && exitCode is ExitCodes.Success or ExitCodes.Interrupted)
        {
            return interrupts.ExitCode;
        }

        // Errors reach here only when System.CommandLine's own parse-error or typo-correction action ran instead of a verb.
        return parse.Errors.Count > 0 && exitCode != ExitCodes.Success ? ExitCodes.BadInput : exitCode;
    }
}
