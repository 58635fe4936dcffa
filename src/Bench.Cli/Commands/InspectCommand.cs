using System.CommandLine;
using Bench.Core.Tokens;
using Bench.Core.Wire;

namespace Bench.Cli.Commands;

/// <summary>
/// <c>bench inspect FILE</c>: reads a captured streaming Chat Completions body (or standard input with <c>-</c>, e.g.
/// piped from <c>curl -N</c>) and prints what Bench reconstructs from it. Reading and printing live in
/// <see cref="StreamInspection"/>; this verb only opens the input and picks the format.
/// </summary>
/// <remarks>
/// Exit codes: 0 read (a malformed stream included: the output says so, and standard error repeats why); 1 invalid
/// command line; 2 the input cannot be read or is not an SSE event stream (no <c>data:</c> event: a JSON document,
/// HTML, binary, nothing).
/// </remarks>
internal static class InspectCommand
{
    /// <summary>Exit code when the input cannot be read or is not an event stream.</summary>
    public const int NotAnEventStreamExitCode = 2;

    private const string Auto = "auto";

    /// <summary>Builds the <c>inspect</c> command reading <c>-</c> from the process's standard input.</summary>
    public static Command Create() => Create(Console.OpenStandardInput);

    /// <summary>Builds the <c>inspect</c> command reading <c>-</c> from <paramref name="openStandardInput"/>.</summary>
    internal static Command Create(Func<Stream> openStandardInput)
    {
        var file = new Argument<string>("file")
        {
            Description = "A captured SSE body (curl -N ... > body.sse), or - to read standard input.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Write one JSON object: events, done, model, content, reasoning, tool_calls, finish_reason, usage, "
                + "usage_source, error, malformed, malformed_reason, token_events, tokenizer, variants.",
        };
        var tokenizer = new Option<string>("--tokenizer")
        {
            Description = "Count the received text locally with: 'auto' (default: by the stream's model), "
                + $"'{TokenEncodings.O200kBase}', '{TokenEncodings.Cl100kBase}', or '{TokenEncodings.None}'.",
            DefaultValueFactory = _ => Auto,
            HelpName = "auto|o200k_base|cl100k_base|none",
        };
        tokenizer.AcceptOnlyFromAmong(Auto, TokenEncodings.O200kBase, TokenEncodings.Cl100kBase, TokenEncodings.None);

        var command = new Command("inspect", "Show what Bench reads from a captured streaming response: events, text, tool calls, "
            + "finish reason, usage, error and the provider variants met. Exit codes: 0 read, 1 invalid command line, "
            + "2 unreadable or not an SSE event stream.")
        {
            file, json, tokenizer,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var path = parseResult.GetValue(file)!;
            var encoding = parseResult.GetValue(tokenizer) is { } name && name != Auto ? name : null;
            StreamInspection inspection;
            try
            {
                var input = path == "-" ? openStandardInput() : File.OpenRead(path);
                await using (input.ConfigureAwait(false))
                {
                    inspection = await StreamInspection.InspectAsync(input, encoding, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"bench inspect: cannot read {path}: {e.Message}").ConfigureAwait(false);
                return NotAnEventStreamExitCode;
            }

            if (inspection.NotAnEventStream is { } reason)
            {
                await error.WriteLineAsync($"bench inspect: {path}: {reason}.").ConfigureAwait(false);
                return NotAnEventStreamExitCode;
            }

            await output.WriteAsync(parseResult.GetValue(json) ? inspection.ToJson() + "\n" : inspection.ToText()).ConfigureAwait(false);
            if (inspection.Response.MalformedReason is { } malformed)
            {
                await error.WriteLineAsync($"bench inspect: warning: {path} is malformed: {malformed}").ConfigureAwait(false);
            }
            else if (!inspection.Response.SawChoices && inspection.Response.Error is null)
            {
                await error.WriteLineAsync($"bench inspect: warning: no event of {path} had a 'choices' array: not a Chat Completions stream?")
                    .ConfigureAwait(false);
            }

            return 0;
        });

        return command;
    }
}
