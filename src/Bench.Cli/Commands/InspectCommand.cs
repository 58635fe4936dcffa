using System.CommandLine;
using Bench.Core.Tokens;
using Bench.Core.Wire;
using Bench.Harness.Inspect;

namespace Bench.Cli.Commands;

/// <summary><c>bench inspect FILE</c>: calls <see cref="InspectHarness.InspectAsync"/>.</summary>
internal static class InspectCommand
{
    private const string Auto = "auto";

    /// <summary>Builds the <c>inspect</c> command reading <c>-</c> from <paramref name="openStandardInput"/>.</summary>
    public static Command Create(Func<Stream> openStandardInput)
    {
        var file = new Argument<string>("file") { Description = "A captured response body (curl -N ... > body.sse; SSE, or a JSON body of a known protocol), or - to read standard input." };
        var json = new Option<bool>("--json")
        {
            Description = "Write one JSON object: protocol, events, done, model, content, reasoning, tool_calls, finish_reason, usage, "
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
        var protocol = new Option<string>("--protocol")
        {
            Description = "Read the body as: 'auto' (default: told from the body), "
                + string.Join(", ", WireProtocols.All.Select(p => $"'{WireProtocols.Name(p)}'")) + ".",
            DefaultValueFactory = _ => Auto,
            HelpName = "auto|" + string.Join('|', WireProtocols.All.Select(WireProtocols.Name)),
        };
        protocol.AcceptOnlyFromAmong([Auto, .. WireProtocols.All.Select(WireProtocols.Name)]);

        var command = new Command("inspect", "Show what Bench reads from a captured response (OpenAI Chat Completions or Responses, Anthropic Messages, Gemini; "
            + "the protocol is told from the body unless --protocol names it): events, text, tool calls, "
            + "finish reason, usage, error and the provider variants met. Exit codes: 0 read, 2 invalid command line, "
            + "unreadable or not an SSE event stream.")
        {
            file, json, protocol, tokenizer,
        };
        command.SetAction((parse, cancellationToken) => InspectHarness.InspectAsync(
            parse.GetValue(file)!,
            parse.GetValue(json),
            WireProtocols.TryParse(parse.GetValue(protocol), out var named) ? named : null,
            parse.GetValue(tokenizer) is { } name && name != Auto ? name : null,
            openStandardInput,
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }
}
