using System.Text;
using Bench.Core.Client;
using Bench.Core.Tokens;
using Bench.Core.Wire;
using Microsoft.ML.Tokenizers;

namespace Bench.Core.Tests.Tokens;

/// <summary>The local count runs in linear time on any text and on a bounded input: the work is measured in pieces
/// handed to the tokenizer (never in wall time), each at most <see cref="TokenCounter.MaxPieceChars"/> long.</summary>
public class TokenCounterBoundsTests
{
    private static readonly TokenCounter Counter = TokenCounter.ForEncoding(TokenEncodings.O200kBase);

    private static string Base64(int chars, int seed)
    {
        var bytes = new byte[chars];
        new Random(seed).NextBytes(bytes);
        return Convert.ToBase64String(bytes)[..chars];
    }

    [Theory]
    [InlineData("a")]
    [InlineData("base64")]
    public void Count_FourTimesTheText_AtMostFourTimesTheWorkInBoundedPieces(string kind)
    {
        const int N = 16 * 1024;
        var small = kind == "a" ? new string('a', N) : Base64(N, 1);
        var large = kind == "a" ? new string('a', 4 * N) : Base64(4 * N, 2);
        var smallWork = new CountWork(long.MaxValue);
        var largeWork = new CountWork(long.MaxValue);

        Counter.Count(small, ref smallWork);
        Counter.Count(large, ref largeWork);

        // Each piece costs at most what a MaxPieceChars-long piece costs (a constant), and the pieces grow with the
        // text, not faster: the count is linear.
        Assert.Equal(N / TokenCounter.MaxPieceChars, smallWork.Pieces);
        Assert.Equal(4 * smallWork.Pieces, largeWork.Pieces);
        Assert.Equal(TokenCounter.MaxPieceChars, largeWork.LongestPiece);
        Assert.Equal(4L * N, largeWork.CountedChars);
        Assert.False(largeWork.Estimated);
    }

    [Fact]
    public void Count_AMegabyteWithoutSpaces_Finishes()
    {
        // Before the pieces, this was quadratic in one pre-token: 64 Ki chars took 12 s, a megabyte hours.
        var text = new string('a', 1024 * 1024);
        var work = new CountWork(long.MaxValue);

        var tokens = Counter.Count(text, ref work);

        Assert.Equal(text.Length / 8, tokens); // o200k_base: "aaaaaaaa" is one token
        Assert.Equal(text.Length / TokenCounter.MaxPieceChars, work.Pieces);
    }

    [Fact]
    public void CountCompletion_AMegabyteOfBase64_CountsTheCapAndEstimatesTheRest()
    {
        var content = Base64(1024 * 1024, 3);
        var response = new StreamAccumulator();
        ChunkParser.Parse(Encoding.UTF8.GetBytes("{\"choices\":[{\"delta\":{\"content\":\"" + content + "\"}}]}"), response);

        var count = Counter.CountCompletion(response);

        Assert.True(count.Estimated);
        var capped = Counter.Count(content.AsSpan(0, TokenCounter.MaxCountedChars));
        var expected = capped * (double)content.Length / TokenCounter.MaxCountedChars;
        Assert.InRange(count.CompletionTokens, expected - 2, expected + 2);
    }

    [Fact]
    public void CountPrompt_LongerThanTheCap_IsEstimated()
    {
        var text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 4000)); // 180,000 chars

        var tokens = Counter.CountPrompt([new ChatMessage("user", text)], out var estimated);
        var exact = Counter.Count(text) + 3 + 3 + Counter.Count("user");

        Assert.True(estimated);
        Assert.InRange(tokens, exact * 0.99, exact * 1.01);
        Counter.CountPrompt([new ChatMessage("user", text[..100_000])], out var shortEstimated);
        Assert.False(shortEstimated);
    }

    [Fact]
    public void Count_OrdinaryText_ExactlyTheTokenizersCount()
    {
        // Cuts fall just before a space that follows a word, where the encoding starts a new pre-token anyway.
        var text = string.Concat(Enumerable.Repeat("Streaming shows the first token early; the whole answer, 1,234 ms later — «ça va», 東京, 😀. \n", 200));
        var whole = TiktokenTokenizer.CreateForEncoding(TokenEncodings.O200kBase).CountTokens(text);

        Assert.Equal(whole, Counter.Count(text));
    }

    [Fact]
    public void Count_RandomBase64_WithinTwoTenthsOfAPercentOfTheWholeCount()
    {
        var text = Base64(64 * 1024, 4);
        var whole = TiktokenTokenizer.CreateForEncoding(TokenEncodings.O200kBase).CountTokens(text);

        Assert.InRange(Counter.Count(text), whole * 0.998, whole * 1.002);
    }

    [Fact]
    public void PieceLength_SurrogatePairAtTheCut_IsNotSplit()
    {
        var text = "x" + string.Concat(Enumerable.Repeat("😀", 400)); // the pair straddles char 256

        var length = TokenCounter.PieceLength(text);

        Assert.Equal(TokenCounter.MaxPieceChars - 1, length);
        Assert.False(char.IsHighSurrogate(text[length - 1]));
    }
}
