using System.Globalization;
using System.Text;
using Bench.Core.Wire;

namespace Bench.Report.Inspect;

/// <summary>What <c>bench inspect</c> prints for a <see cref="StreamInspection"/>.</summary>
public static class StreamInspectionText
{
    /// <summary>The inspection for a person (the same fields as <see cref="StreamInspectionJson"/>): one field a line, then the tool calls, the reasoning and the content in full.</summary>
    public static string ToText(StreamInspection inspection)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var r = inspection.Response;
        var text = new StringBuilder();
        Line(text, "protocol", $"{WireProtocols.Name(inspection.Protocol)} ({inspection.ProtocolSource}){(inspection.IsJsonBody ? ", one JSON body" : "")}");
        var end = inspection.Protocol switch
        {
            WireProtocol.OpenAiResponses => "terminal response event",
            WireProtocol.AnthropicMessages => "message_stop",
            WireProtocol.Gemini => "finishReason at the end",
            _ => "[DONE]",
        };
        Line(text, "events", $"{r.Events} ({r.TokenEventTimestamps.Count} with tokens), {(r.Done ? $"{end} seen" : $"no {end}")}");
        Line(text, "model", r.Model ?? "-");
        Line(text, "finish_reason", r.FinishReason ?? "-");
        Line(text, "usage", r.HasUsage
            ? $"prompt {Show(r.PromptTokens)}, completion {Show(r.CompletionTokens)}, total {Show(r.TotalTokens)}, "
                + $"reasoning {Show(r.ReasoningTokens)}, cached {Show(r.CachedTokens)}"
                + (r.CacheWriteTokens is { } written ? $", cache write {Show(written)}" : "") + $" (from {inspection.UsageSource})"
            : "none");
        Line(text, "tokenizer", inspection.TokenizerCount is { } count
            ? $"{inspection.TokenizerEncoding}: completion {count.CompletionTokens}, reasoning {count.ReasoningTokens}"
            : "not counted");
        Line(text, "error", r.Error is { } error ? $"type {error.Type ?? "-"}, code {error.Code ?? "-"}: {error.Message}" : "none");
        Line(text, "malformed", r.Malformed ? $"yes: {r.MalformedReason}" : "no");
        Line(text, "variants", inspection.Variants.Count > 0 ? string.Join(", ", inspection.Variants) : "none");
        Line(text, "tool_calls", r.ToolCalls.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var call in r.ToolCalls.OrderBy(c => c.Index))
        {
            text.Append(CultureInfo.InvariantCulture, $"  [{call.Index}] {call.Name ?? "-"} ({call.Id ?? "no id"}) {call.Arguments}").Append('\n');
        }

        Line(text, "reasoning", $"{r.ReasoningChars} chars");
        if (r.ReasoningChars > 0)
        {
            text.Append(r.Reasoning).Append('\n');
        }

        Line(text, "content", $"{r.ContentChars} chars");
        if (r.ContentChars > 0)
        {
            text.Append(r.Content).Append('\n');
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, string value) =>
        text.Append(name.PadRight(15)).Append(value).Append('\n');

    private static string Show(int? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
