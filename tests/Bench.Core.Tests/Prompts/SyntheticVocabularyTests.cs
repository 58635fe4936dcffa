using Bench.Core.Text;
using Bench.Core.Tokens;

namespace Bench.Core.Tests.Prompts;

/// <summary>The synthetic vocabulary is one token a word in both tiktoken encodings Bench counts with, so N words are N
/// tokens after a counted lead (what SyntheticPrompts relies on to build prompts to exact counts). Without a leading
/// space "latency" is two tokens in both (lat·ency), so the builder never starts a text with a vocabulary word: it
/// starts with its counted lead ("request 17", "prefix 3") and every word after it has its space.</summary>
public sealed class SyntheticVocabularyTests
{
    [Theory]
    [InlineData(TokenEncodings.O200kBase)]
    [InlineData(TokenEncodings.Cl100kBase)]
    public void EveryWord_IsOneToken_WithALeadingSpace(string encoding)
    {
        var counter = TokenCounter.ForEncoding(encoding);
        var notOne = SyntheticText.Vocabulary.Where(w => counter.Count(" " + w) != 1).ToList();

        Assert.Empty(notOne);
    }

    [Theory]
    [InlineData(TokenEncodings.O200kBase)]
    [InlineData(TokenEncodings.Cl100kBase)]
    public void WithoutALeadingSpace_OnlyLatencyIsTwoTokens(string encoding)
    {
        var counter = TokenCounter.ForEncoding(encoding);
        var notOne = SyntheticText.Vocabulary.Where(w => counter.Count(w) != 1).ToList();

        Assert.Equal(["latency"], notOne);
    }
}
