using System.CommandLine;

namespace Bench.Cli.Tests.TestSupport;

/// <summary>Runs <c>bench</c> in-process as Program.cs does, with the output and error writers injected.</summary>
internal static class BenchCli
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => Run([], args);

    public static (int ExitCode, string Output, string Error) Run(byte[] standardInput, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = BenchCommand.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, () => new MemoryStream(standardInput))
            .GetAwaiter().GetResult();

        return (exitCode, output.ToString(), error.ToString());
    }
}
