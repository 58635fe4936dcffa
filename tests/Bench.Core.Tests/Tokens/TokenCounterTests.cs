using System.Text;
using Bench.Core.Client;
using Bench.Core.Tokens;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Tokens;

public class TokenCounterTests
{
    [Theory]
    [InlineData("gpt-4o-mini", TokenEncodings.O200kBase)]
    [InlineData("gpt-4o-2024-08-06", TokenEncodings.O200kBase)]
    [InlineData("openai/gpt-4.1", TokenEncodings.O200kBase)]
    [InlineData("gpt-5-2025-08-07", TokenEncodings.O200kBase)]
    [InlineData("o3", TokenEncodings.O200kBase)]
    [InlineData("o3-mini", TokenEncodings.O200kBase)]
    [InlineData("gpt-oss-120b", TokenEncodings.O200kBase)]
    [InlineData("gpt-4-turbo", TokenEncodings.Cl100kBase)]
    [InlineData("gpt-4", TokenEncodings.Cl100kBase)]
    [InlineData("gpt-3.5-turbo", TokenEncodings.Cl100kBase)]
    [InlineData("deepseek-reasoner", TokenEncodings.O200kBase)]
    [InlineData("o1x-custom", TokenEncodings.O200kBase)]
    [InlineData(null, TokenEncodings.O200kBase)]
    public void ForModel_ModelFamily_Encoding(string? model, string encoding) => Assert.Equal(encoding, TokenEncodings.ForModel(model));

    [Theory]
    [InlineData(TokenEncodings.O200kBase, "Hello, world!", 4)]
    [InlineData(TokenEncodings.Cl100kBase, "Hello, world!", 4)]
    [InlineData(TokenEncodings.O200kBase, "", 0)]
    public void Count_KnownText_TiktokenCount(string encoding, string text, int tokens) =>
        Assert.Equal(tokens, TokenCounter.ForEncoding(encoding).Count(text));

    [Fact]
    public void Count_Encodings_DifferOnNonEnglishText()
    {
        // o200k_base has a larger vocabulary for non-Latin scripts: the same text takes fewer tokens.
        const string Text = "東京は日本の首都であり、世界最大の都市圏の一つです。";

        Assert.True(TokenCounter.ForEncoding(TokenEncodings.O200kBase).Count(Text) < TokenCounter.ForEncoding(TokenEncodings.Cl100kBase).Count(Text));
    }

    [Fact]
    public void ForEncoding_Unknown_Throws() => Assert.Throws<ArgumentException>(() => TokenCounter.ForEncoding("p50k_base"));

    [Fact]
    public async Task CountCompletion_ContentReasoningAndToolArguments_CountedSeparatelyAndSummed()
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("""
            data: {"choices":[{"index":0,"delta":{"reasoning_content":"Hello, world!"}}]}

            data: {"choices":[{"index":0,"delta":{"content":"Hello, world!"}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":"Hello, world!"}}]}}]}

            data: [DONE]


            """.Replace("\r\n", "\n", StringComparison.Ordinal)));
        var response = await ChatStreamReader.ReadAsync(body);

        var count = TokenCounter.ForEncoding(TokenEncodings.O200kBase).CountCompletion(response);

        Assert.Equal(new CompletionTokenCount(12, 4), count);
    }

    [Fact]
    public void CountPrompt_CookbookFormula_ThreePerMessagePlusThree()
    {
        var counter = TokenCounter.ForEncoding(TokenEncodings.O200kBase);

        var tokens = counter.CountPrompt([new ChatMessage("user", "Hello, world!")]);

        // 3 priming + 3 per message + "user" (1) + "Hello, world!" (4).
        Assert.Equal(11, tokens);
    }
}
