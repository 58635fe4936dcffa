using System.CommandLine;
using Bench.Cli.Commands;
using Bench.Harness;

namespace Bench.Cli;

/// <summary>The <c>bench</c> command tree: thin verbs, each binding its arguments and calling one Bench.Harness entry
/// point. Exit codes are <see cref="ExitCodes"/> for every verb.</summary>
internal static class BenchCommand
{
    /// <summary>Builds the root command; <c>bench inspect -</c> reads <paramref name="openStandardInput"/> (the
    /// process's standard input when <see langword="null"/>).</summary>
    public static RootCommand Create(Func<Stream>? openStandardInput = null) =>
        new("Bench: measure OpenAI-compatible LLM APIs — streaming against non-streaming, model by model, with cost.")
        {
            RunCommand.Create(),
            SimulateCommand.Create(),
            ReportCommand.Create(),
            CostCommand.Create(),
            InspectCommand.Create(openStandardInput ?? Console.OpenStandardInput),
            SelftestCommand.Create(),
        };

    /// <summary>Parses and runs <paramref name="args"/>, writing through <paramref name="configuration"/>'s writers
    /// (the console's when <see langword="null"/>). A command line that does not parse exits with
    /// <see cref="ExitCodes.BadInput"/> (System.CommandLine's own code for it is 1, which the table gives to a measured
    /// failure).</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, Func<Stream>? openStandardInput = null)
    {
        var parse = Create(openStandardInput).Parse(args);
        var exitCode = await parse.InvokeAsync(configuration ?? new InvocationConfiguration()).ConfigureAwait(false);
        // Errors reach here only when System.CommandLine's own parse-error or typo-correction action ran instead of a verb.
        return parse.Errors.Count > 0 && exitCode != ExitCodes.Success ? ExitCodes.BadInput : exitCode;
    }
}
