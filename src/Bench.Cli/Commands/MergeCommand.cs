using System.CommandLine;
using Bench.Harness.Merging;

namespace Bench.Cli.Commands;

/// <summary><c>bench merge DIR... --out DIR [--force]</c>: calls <see cref="MergeHarness.MergeAsync"/>.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var directories = new Argument<string[]>("dir")
        {
            Description = "The shards' results folders (each written by bench run --shard I/N), in any order.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--out") { Description = "The merged results folder (new or empty; --force starts a Bench results folder afresh)." };
        var force = new Option<bool>("--force") { Description = "Start a non-empty --out afresh (only a Bench results folder; only the files Bench wrote are deleted)." };
        var command = new Command("merge", "Merge the shards of one run into one results folder: records concatenated on one clock, HdrHistogram logs added, "
            + "every report file rebuilt. A missing or failed shard is reported (exit 1), never dropped silently.") { directories, output, force };
        command.SetAction((parse, _) => MergeHarness.MergeAsync(new MergeRequest
        {
            Directories = parse.GetValue(directories) ?? [],
            OutputDirectory = parse.GetValue(output) ?? "",
            Force = parse.GetValue(force),
        }, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
