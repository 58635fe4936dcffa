using Bench.Core.Tokens;
using Bench.Core.Traces;

namespace Bench.Core.Tests.Traces;

public class TracePromptsTests
{
    private static TraceLine Line(long index, int input, params long[] hashIds) =>
        new(index, (int)index + 1, index * 10, input, null, null, 7, null, hashIds.Length == 0 ? null : hashIds);

    /// <summary>Built text is exact in tokens only if each word is one token alone (the first) and after a space.</summary>
    [Theory]
    [InlineData(TokenEncodings.O200kBase)]
    [InlineData(TokenEncodings.Cl100kBase)]
    public void EveryWord_IsOneToken_AloneAndAfterASpace(string encoding)
    {
        var counter = TokenCounter.ForEncoding(encoding);
        Assert.All(TracePrompts.Words, w =>
        {
            Assert.True(counter.Count(w) == 1, $"'{w}' is {counter.Count(w)} tokens alone");
            Assert.True(counter.Count(" " + w) == 1, $"' {w}' is {counter.Count(" " + w)} tokens");
        });
    }

    [Theory]
    [InlineData("gpt-4o", 1)]
    [InlineData("gpt-4o", 511)]
    [InlineData("gpt-4o", 2000)]
    [InlineData("gpt-4-turbo", 1537)]
    public void ALengthLine_IsExactlyItsInputLength_InTheFamilysTokens(string model, int input)
    {
        var blocks = (input + 511) / 512;
        var withHashes = TracePrompts.Draw(Line(3, input, [.. Enumerable.Range(100, blocks).Select(i => (long)i)]), model, 42);
        var plain = TracePrompts.Draw(Line(4, input), model, 42);
        var counter = TokenCounter.ForModel(model);
        foreach (var draw in new[] { withHashes, plain })
        {
            Assert.Equal(input, counter.Count(Assert.Single(draw.Messages).Content));
            Assert.Equal((input, 7, 7), (draw.IntendedPromptTokens!.Value, draw.MaxTokens, draw.IntendedCompletionTokens!.Value));
        }

        Assert.Equal(3, withHashes.SourceIndex);
    }

    [Fact]
    public void SharedHashIds_GiveIdenticalPrefixes_AndOthersDiffer()
    {
        // Mooncake README's two lines: 12 shared blocks, then each its own.
        long[] shared = [46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57];
        var a = TracePrompts.Text(Line(0, 6955, [.. shared, 2353, 2354]), 6955, 42).Split(' ');
        var b = TracePrompts.Text(Line(1, 6472, [.. shared, 2366]), 6472, 42).Split(' ');
        Assert.Equal((6955, 6472), (a.Length, b.Length));
        Assert.Equal(a.Take(12 * 512), b.Take(12 * 512));
        Assert.NotEqual(a.Skip(12 * 512).Take(100), b.Skip(12 * 512).Take(100));

        // A partial last block is the start of the same id's full block; another seed gives other text.
        var partial = TracePrompts.Text(Line(2, 700, 46, 9), 700, 42).Split(' ');
        Assert.Equal(TracePrompts.Block(9, 42).Split(' ').Take(188), partial.Skip(512));
        Assert.NotEqual(TracePrompts.Block(46, 42), TracePrompts.Block(46, 43));
        Assert.Equal(TracePrompts.Block(46, 42), string.Join(' ', a.Take(512)));
    }

    [Fact]
    public void PlainLengthLines_AreTheirOwn_AndDeterministic()
    {
        Assert.NotEqual(TracePrompts.Text(Line(0, 50), 50, 42), TracePrompts.Text(Line(1, 50), 50, 42));
        Assert.Equal(TracePrompts.Text(Line(1, 50), 50, 42), TracePrompts.Text(Line(1, 50), 50, 42));
    }

    [Fact]
    public void PromptAndMessages_AreSentAsWritten_CountedByTheFamilysTokenizer()
    {
        var prompt = TracePrompts.Draw(new TraceLine(5, 6, 0, null, "Say hello to the team.", null, 12, "s", null), "gpt-4o", 1);
        Assert.Equal(("user", "Say hello to the team."), (prompt.Messages[0].Role, prompt.Messages[0].Content));
        Assert.Equal(TokenCounter.ForModel("gpt-4o").Count("Say hello to the team."), prompt.IntendedPromptTokens);
        Assert.Equal(5, prompt.SourceIndex);

        var messages = TracePrompts.Draw(new TraceLine(0, 1, 0, null, null, [new("system", "Be brief."), new("user", "Hi")], 3, null, null), "gpt-4o", 1);
        var counter = TokenCounter.ForModel("gpt-4o");
        Assert.Equal(counter.Count("Be brief.") + counter.Count("Hi"), messages.IntendedPromptTokens);
        Assert.Equal(2, messages.Messages.Count);
    }
}
