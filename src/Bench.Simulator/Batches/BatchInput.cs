using System.Collections.Frozen;
using System.Text.Json;
using Bench.Core.Batches;
using Bench.Simulator.Endpoints;
using Bench.Simulator.Generation;

namespace Bench.Simulator.Batches;

/// <summary>One valid line of a batch input file.</summary>
/// <param name="Index">Position among the file's lines (0-based, blank lines skipped).</param>
/// <param name="CustomId">Its <c>custom_id</c>.</param>
/// <param name="Request">Its body, read as the chat endpoint reads a request.</param>
internal sealed record BatchLine(int Index, string CustomId, ChatCompletionRequest Request)
{
    /// <summary>Tokens the line may use, for the enqueued-token limit: prompt tokens plus its token limit.</summary>
    public long EnqueuedTokens => (long)Request.PromptTokens + Request.MaxTokens;
}

/// <summary>
/// Validates a batch input file (OpenAI <c>BatchRequestInput</c> lines) as the Batch API does while a batch is
/// <c>validating</c>, collecting <c>errors.data</c> entries (<see cref="BatchError"/>: code, message, param, line
/// number from 1). Codes: <c>file_too_large</c>, <c>empty_file</c>, <c>too_many_requests</c> (whole file, no line);
/// per line <c>invalid_json_line</c>, <c>missing_required_parameter</c> (custom_id), <c>duplicate_custom_id</c>,
/// <c>invalid_method</c>, <c>invalid_url</c>, <c>model_not_found</c>, <c>mismatched_model</c>, and the chat endpoint's
/// own 400 codes for a body it would refuse (param prefixed <c>body.</c>).
/// </summary>
internal static class BatchInput
{
    /// <summary>At most this many errors are listed (the rest are counted in the last one's message).</summary>
    public const int MaxErrors = 100;

    /// <summary>The lines of <paramref name="content"/>, or why the file fails validation.</summary>
    /// <param name="content">The file's bytes (UTF-8 JSONL).</param>
    /// <param name="endpoint">The batch's endpoint, which every line's <c>url</c> must be.</param>
    /// <param name="samplers">The served models.</param>
    /// <param name="maxLines">Most lines allowed.</param>
    /// <param name="maxBytes">Largest file allowed.</param>
    /// <param name="lines">The valid lines when there is no error.</param>
    /// <param name="model">The one model the lines name, when there is no error.</param>
    /// <param name="servedModel">The first served model a line's <c>body.model</c> names, valid file or not (whose
    /// profile times the validation), or null.</param>
    /// <returns>The errors; empty when the file is valid.</returns>
    public static List<BatchError> Validate(
        byte[] content,
        string endpoint,
        FrozenDictionary<string, ProfileSampler> samplers,
        int maxLines,
        long maxBytes,
        out List<BatchLine> lines,
        out string? model,
        out string? servedModel)
    {
        lines = [];
        model = null;
        var errors = new List<BatchError>();
        var rawLines = SplitLines(content);
        servedModel = rawLines.Select(l => PeekModel(l.Bytes, samplers)).FirstOrDefault(m => m is not null);
        if (content.LongLength > maxBytes)
        {
            errors.Add(new BatchError
            {
                Code = "file_too_large",
                Message = $"The batch input file is larger than the {maxBytes} maximum. Please try again with a smaller batch.",
            });
            return errors;
        }

        if (rawLines.Count == 0)
        {
            errors.Add(new BatchError
            {
                Code = "empty_file",
                Message = "The batch input file is empty. Please ensure that the batch contains at least one request.",
            });
            return errors;
        }

        if (rawLines.Count > maxLines)
        {
            errors.Add(new BatchError
            {
                Code = "too_many_requests",
                Message = $"The batch input file has {rawLines.Count} requests, more than the {maxLines} maximum. Please split it into smaller batches.",
            });
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var dropped = 0;
        foreach (var (lineNumber, bytes) in rawLines)
        {
            var error = ValidateLine(bytes, lineNumber, endpoint, samplers, seen, ref model, out var line);
            if (error is not null)
            {
                if (errors.Count < MaxErrors)
                {
                    errors.Add(error);
                }
                else
                {
                    dropped++;
                }

                continue;
            }

            lines.Add(line! with { Index = lines.Count });
        }

        if (dropped > 0)
        {
            errors[^1].Message += $" ({dropped} more errors not listed.)";
        }

        if (errors.Count > 0)
        {
            lines = [];
            model = null;
        }

        return errors;
    }

    private static BatchError? ValidateLine(
        ReadOnlyMemory<byte> bytes,
        int lineNumber,
        string endpoint,
        FrozenDictionary<string, ProfileSampler> samplers,
        HashSet<string> seen,
        ref string? model,
        out BatchLine? line)
    {
        line = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return Error("invalid_json_line", "This line is not parseable as valid JSON.", null, lineNumber);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Error("invalid_json_line", "This line is not a JSON object.", null, lineNumber);
            }

            if (!root.TryGetProperty("custom_id", out var customIdElement) || customIdElement.ValueKind != JsonValueKind.String
                || customIdElement.GetString() is not { Length: > 0 } customId)
            {
                return Error("missing_required_parameter", "Missing required parameter: 'custom_id' (a non-empty string).", "custom_id", lineNumber);
            }

            if (!seen.Add(customId))
            {
                return Error(
                    "duplicate_custom_id",
                    "The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.",
                    "custom_id",
                    lineNumber);
            }

            if (!root.TryGetProperty("method", out var method) || !method.ValueEquals("POST"u8))
            {
                return Error("invalid_method", "The method must be 'POST'.", "method", lineNumber);
            }

            if (!root.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String || url.GetString() != endpoint)
            {
                return Error("invalid_url", $"The url of this request does not match the batch's endpoint '{endpoint}'.", "url", lineNumber);
            }

            if (!root.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.Object)
            {
                return Error("missing_required_parameter", "Missing required parameter: 'body' (a JSON object).", "body", lineNumber);
            }

            if (!ChatCompletionRequest.TryRead(body, out var request, out var apiError))
            {
                return Error(apiError.Code ?? "invalid_request", apiError.Message, apiError.Param is null ? "body" : $"body.{apiError.Param}", lineNumber);
            }

            if (!samplers.ContainsKey(request!.Model))
            {
                return Error("model_not_found", $"The model `{request.Model}` does not exist or is not served by this simulator.", "body.model", lineNumber);
            }

            if (model is null)
            {
                model = request.Model;
            }
            else if (model != request.Model)
            {
                return Error(
                    "mismatched_model",
                    $"The model '{request.Model}' does not match the model '{model}' of the other requests in this batch. A batch can only use one model.",
                    "body.model",
                    lineNumber);
            }

            line = new BatchLine(0, customId, request);
            return null;
        }
    }

    /// <summary>The line's <c>body.model</c> when it parses and names a served model, else null.</summary>
    private static string? PeekModel(ReadOnlyMemory<byte> bytes, FrozenDictionary<string, ProfileSampler> samplers)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String
                && samplers.ContainsKey(model.GetString()!)
                    ? model.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static BatchError Error(string code, string message, string? param, int line) =>
        new() { Code = code, Message = message, Param = param, Line = line };

    /// <summary>The file's non-blank lines with their numbers (from 1); <c>\r\n</c> and <c>\n</c> both end a
    /// line.</summary>
    private static List<(int Number, ReadOnlyMemory<byte> Bytes)> SplitLines(byte[] content)
    {
        var lines = new List<(int, ReadOnlyMemory<byte>)>();
        var start = 0;
        var number = 0;
        while (start <= content.Length)
        {
            var end = Array.IndexOf(content, (byte)'\n', start);
            if (end < 0)
            {
                end = content.Length;
            }

            number++;
            var segment = content.AsMemory(start, end - start);
            if (!segment.Span.Trim(" \t\r"u8).IsEmpty)
            {
                lines.Add((number, segment));
            }

            start = end + 1;
        }

        return lines;
    }
}
