using Bench.Core.Prompts;
using Bench.Core.Tokens;

namespace Bench.Core.Tests.Prompts;

/// <summary>Synthetic prompts and prefixes are exactly the tokens asked for, recounted by the family's tokenizer.</summary>
public sealed class SyntheticPromptsTests
{
    [Theory]
    [InlineData("gpt-4o-mini", 2)]
    [InlineData("gpt-4o-mini", 3)]
    [InlineData("gpt-4o", 100)]
    [InlineData("gpt-4", 1000)]
    [InlineData("gpt-3.5-turbo", 37)]
    [InlineData("llama-3-8b", 4096)]
    public void Prompt_IsExactlyTheTokensAsked(string model, int tokens)
    {
        var counter = TokenCounter.ForModel(model);
        foreach (var id in new long[] { 1, 17, 12345, 9_876_543_210 })
        {
            var text = SyntheticPrompts.Prompt(tokens, counter, seed: 42, id);

            Assert.Equal(Math.Max(tokens, counter.Count($"request {id}")), counter.Count(text));
            Assert.StartsWith($"request {id}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Prompt_DiffersById_SameForSameSeedAndId()
    {
        var counter = TokenCounter.ForModel("gpt-4o");

        Assert.Equal(SyntheticPrompts.Prompt(50, counter, 1, 5), SyntheticPrompts.Prompt(50, counter, 1, 5));
        Assert.NotEqual(SyntheticPrompts.Prompt(50, counter, 1, 5)[10..], SyntheticPrompts.Prompt(50, counter, 1, 6)[10..]);
    }

    [Theory]
    [InlineData("gpt-4o", 512)]
    [InlineData("gpt-4", 64)]
    public void Prefix_IsExactAndTheSameForTheGroup(string model, int tokens)
    {
        var counter = TokenCounter.ForModel(model);
        var a = SyntheticPrompts.Prefix(tokens, counter, 42, 0);

        Assert.Equal(tokens, counter.Count(a));
        Assert.Equal(a, SyntheticPrompts.Prefix(tokens, counter, 42, 0));
        Assert.NotEqual(a, SyntheticPrompts.Prefix(tokens, counter, 42, 1));
    }
}
