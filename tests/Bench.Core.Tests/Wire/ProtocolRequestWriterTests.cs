using System.Buffers;
using System.Text;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

/// <summary>The request bodies of the three non-chat protocols, against the documented shapes written out by hand
/// (OpenAI "Create a model response", Anthropic "Messages", Gemini "generateContent").</summary>
public class ProtocolRequestWriterTests
{
    private static readonly ChatRequest s_conversation = new("m", Mode.Streaming,
        [new("system", "Be brief."), new("user", "héllo \"q\""), new("assistant", "yes"), new("user", "again")], 64, Seed: 7);

    private static string Written(WireProtocol protocol, ChatRequest request, IReadOnlyDictionary<string, JsonElement>? fields = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RequestWriters.Write(protocol, buffer, request, fields);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Dictionary<string, JsonElement> Fields(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public void Write_Responses_InstructionsInputAndMaxOutputTokens()
    {
        Assert.Equal(
            """{"model":"m","instructions":"Be brief.","input":[{"role":"user","content":"héllo \"q\""},{"role":"assistant","content":"yes"},{"role":"user","content":"again"}],"max_output_tokens":64,"stream":true}""",
            Written(WireProtocol.OpenAiResponses, s_conversation));
    }

    [Fact]
    public void Write_ResponsesNonStreamingWithoutSystem_NoInstructions()
    {
        Assert.Equal(
            """{"model":"m","input":[{"role":"user","content":"hi"}],"max_output_tokens":8,"stream":false}""",
            Written(WireProtocol.OpenAiResponses, new ChatRequest("m", Mode.NonStreaming, [new("user", "hi")], 8)));
    }

    [Fact]
    public void Write_Anthropic_TopLevelSystemAndRequiredMaxTokens()
    {
        Assert.Equal(
            """{"model":"m","max_tokens":64,"system":"Be brief.","messages":[{"role":"user","content":"héllo \"q\""},{"role":"assistant","content":"yes"},{"role":"user","content":"again"}],"stream":true}""",
            Written(WireProtocol.AnthropicMessages, s_conversation));
    }

    [Fact]
    public void Write_AnthropicTwoSystemMessages_JoinedByBlankLine()
    {
        var request = new ChatRequest("m", Mode.NonStreaming, [new("system", "A."), new("system", "B."), new("user", "hi")], 8);
        Assert.Equal(
            """{"model":"m","max_tokens":8,"system":"A.\n\nB.","messages":[{"role":"user","content":"hi"}],"stream":false}""",
            Written(WireProtocol.AnthropicMessages, request));
    }

    [Fact]
    public void Write_Gemini_ContentsWithModelRoleSystemInstructionAndGenerationConfig()
    {
        Assert.Equal(
            """{"contents":[{"role":"user","parts":[{"text":"héllo \"q\""}]},{"role":"model","parts":[{"text":"yes"}]},{"role":"user","parts":[{"text":"again"}]}],"systemInstruction":{"parts":[{"text":"Be brief."}]},"generationConfig":{"maxOutputTokens":64,"seed":7}}""",
            Written(WireProtocol.Gemini, s_conversation));
    }

    [Fact]
    public void Write_GeminiExtraGenerationConfig_MergedIntoBenchs()
    {
        var fields = Fields("""{"generationConfig":{"thinkingConfig":{"thinkingBudget":0}},"safetySettings":[]}""");
        var request = new ChatRequest("m", Mode.NonStreaming, [new("user", "hi")], 8);

        BodyFields.Check(WireProtocol.Gemini, fields);
        Assert.Equal(
            """{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"maxOutputTokens":8,"thinkingConfig":{"thinkingBudget":0}},"safetySettings":[]}""",
            Written(WireProtocol.Gemini, request, fields));
    }

    [Theory]
    [InlineData(WireProtocol.OpenAiChat, """{"reasoning_effort":"low"}""", ""","reasoning_effort":"low"}""")]
    [InlineData(WireProtocol.OpenAiResponses, """{"reasoning":{"effort":"low"},"store":false}""", ""","reasoning":{"effort":"low"},"store":false}""")]
    [InlineData(WireProtocol.AnthropicMessages, """{"thinking":{"type":"enabled","budget_tokens":1024}}""", ""","thinking":{"type":"enabled","budget_tokens":1024}}""")]
    public void Write_ExtraBodyFields_WrittenLastAsGiven(WireProtocol protocol, string fields, string expectedEnd)
    {
        var parsed = Fields(fields);
        BodyFields.Check(protocol, parsed);

        var body = Written(protocol, new ChatRequest("m", Mode.NonStreaming, [new("user", "hi")], 8), parsed);

        Assert.EndsWith(expectedEnd, body, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(body);
        Assert.Equal("m", document.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData(WireProtocol.OpenAiChat, "stream")]
    [InlineData(WireProtocol.OpenAiChat, "max_tokens")]
    [InlineData(WireProtocol.OpenAiResponses, "input")]
    [InlineData(WireProtocol.OpenAiResponses, "max_output_tokens")]
    [InlineData(WireProtocol.AnthropicMessages, "system")]
    [InlineData(WireProtocol.AnthropicMessages, "model")]
    [InlineData(WireProtocol.Gemini, "contents")]
    public void Check_FieldBenchWrites_ArgumentExceptionNamingIt(WireProtocol protocol, string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => BodyFields.Check(protocol, Fields($$"""{"{{name}}":1}""")));
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_GeminiGenerationConfigSettingMaxOutputTokens_Refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => BodyFields.Check(WireProtocol.Gemini, Fields("""{"generationConfig":{"maxOutputTokens":5}}""")));
        Assert.Contains("generationConfig.maxOutputTokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Chat_SeedAndModelAsGiven()
    {
        // The caller sends Endpoint.WireModel(model): the writer writes the name it is given.
        var body = Written(WireProtocol.OpenAiChat, new ChatRequest("openai/gpt-4.1", Mode.NonStreaming, [new("user", "hi")], 8, Seed: 3));
        Assert.Equal("""{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}],"max_tokens":8,"stream":false,"seed":3}""", body);
    }
}
