using System.Text;
using System.Text.Json;
using Bench.Core.Wire;
using Bench.Report.Inspect;

namespace Bench.Report.Tests.Inspect;

public sealed class StreamInspectionTextTests
{
    private const string Body =
        "data: {\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n"
        + "data: {\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        + "data: {\"model\":\"gpt-4.1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\n"
        + "data: [DONE]\n\n";

    private static Task<StreamInspection> InspectAsync() =>
        StreamInspection.InspectAsync(new MemoryStream(Encoding.UTF8.GetBytes(Body)), "none");

    [Fact]
    public async Task ToText_Stream_OneFieldALineThenTheContent()
    {
        var text = StreamInspectionText.ToText(await InspectAsync());

        Assert.Equal(
            "protocol       openai-chat (detected)\n"
            + "events         4 (1 with tokens), [DONE] seen\n"
            + "model          gpt-4.1\n"
            + "finish_reason  stop\n"
            + "usage          prompt 5, completion 1, total 6, reasoning -, cached - (from usage)\n"
            + "tokenizer      not counted\n"
            + "error          none\n"
            + "malformed      no\n"
            + "variants       usage_separate_chunk, no_role_prelude\n"
            + "tool_calls     0\n"
            + "reasoning      0 chars\n"
            + "content        5 chars\n"
            + "Hello\n",
            text);
    }

    [Fact]
    public async Task ToJson_Stream_SameFieldsAsTheText()
    {
        using var json = JsonDocument.Parse(StreamInspectionJson.ToJson(await InspectAsync()));
        var root = json.RootElement;

        Assert.Equal(4, root.GetProperty("events").GetInt32()); // [DONE] counts as an event
        Assert.Equal("Hello", root.GetProperty("content").GetString());
        Assert.Equal("stop", root.GetProperty("finish_reason").GetString());
        Assert.Equal(5, root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal("usage", root.GetProperty("usage_source").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("tokenizer").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
    }
}
