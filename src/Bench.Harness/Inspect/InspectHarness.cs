using Bench.Core.Wire;
using Bench.Report.Inspect;

namespace Bench.Harness.Inspect;

/// <summary>
/// <c>bench inspect FILE</c>: reads a captured response body of any protocol (or standard input for <c>-</c>) as a
/// run reads it (<see cref="StreamInspection"/>, Core) and prints what was reconstructed (Bench.Report's
/// <see cref="StreamInspectionText"/> or <see cref="StreamInspectionJson"/>).
/// </summary>
public static class InspectHarness
{
    /// <summary>Inspects <paramref name="path"/> and writes the result to <paramref name="output"/>; warnings (a
    /// malformed stream, no <c>choices</c>) go to <paramref name="error"/>.</summary>
    /// <param name="path">A file, or <c>-</c> for <paramref name="openStandardInput"/>.</param>
    /// <param name="json">Write one JSON object instead of text.</param>
    /// <param name="protocol">The protocol to read the body as; <see langword="null"/> tells it from the body.</param>
    /// <param name="tokenizer">Encoding to count the text with (<c>o200k_base</c>, <c>cl100k_base</c>, <c>none</c>);
    /// <see langword="null"/> picks it by the stream's model.</param>
    /// <param name="openStandardInput">Opens the process's standard input (tests pass a stream).</param>
    /// <param name="output">The inspection.</param>
    /// <param name="error">Why it could not be read, or warnings.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns><see cref="ExitCodes.Success"/> when read (a malformed stream included: the output says so), or
    /// <see cref="ExitCodes.BadInput"/> when the input cannot be read or is not an SSE event stream.</returns>
    public static async Task<int> InspectAsync(string path, bool json, WireProtocol? protocol, string? tokenizer, Func<Stream> openStandardInput,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(openStandardInput);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        StreamInspection inspection;
        try
        {
            var input = path == "-" ? openStandardInput() : File.OpenRead(path);
            await using (input.ConfigureAwait(false))
            {
                inspection = await StreamInspection.InspectAsync(input, protocol, tokenizer, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"bench inspect: cannot read {path}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        if (inspection.NotAnEventStream is { } reason)
        {
            await error.WriteLineAsync($"bench inspect: {path}: {reason}.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        await output.WriteAsync(json ? StreamInspectionJson.ToJson(inspection) + "\n" : StreamInspectionText.ToText(inspection)).ConfigureAwait(false);
        if (inspection.Response.MalformedReason is { } malformed)
        {
            await error.WriteLineAsync($"bench inspect: warning: {path} is malformed: {malformed}").ConfigureAwait(false);
        }
        else if (!inspection.Response.SawChoices && inspection.Response.Error is null)
        {
            var expected = inspection.Protocol switch
            {
                WireProtocol.OpenAiResponses => "a 'response.*' event: not a Responses API stream?",
                WireProtocol.AnthropicMessages => "a 'message_start' or 'content_block_*' event: not an Anthropic Messages stream?",
                WireProtocol.Gemini => "'candidates' or 'usageMetadata': not a Gemini stream?",
                _ => "a 'choices' array: not a Chat Completions stream?",
            };
            await error.WriteLineAsync($"bench inspect: warning: no event of {path} had {expected}").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
