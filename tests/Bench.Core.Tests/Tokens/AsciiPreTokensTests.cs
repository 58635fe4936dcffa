using System.Text;
using Bench.Core.Text;
using Bench.Core.Tokens;
using Microsoft.ML.Tokenizers;

namespace Bench.Core.Tests.Tokens;

/// <summary><see cref="AsciiPreTokens"/> splits ASCII text exactly where the tokenizer's own regular expression does,
/// for both encodings, and the counter's pre-token path counts exactly what the tokenizer counts.</summary>
public class AsciiPreTokensTests
{
    // Every kind of ASCII character the patterns tell apart, the tricky ones more often.
    private const string Alphabet = "aAzZmMsStTdDrReEvVlLqQ0123456789     \t\t\r\r\n\n\v\f''''..,!?/<|>-_()\"\\\x00\x1B\x7F";

    public static TheoryData<string> Encodings => [TokenEncodings.O200kBase, TokenEncodings.Cl100kBase];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void RandomAscii_SameSplitAsTheTokenizersRegex(string encoding)
    {
        var preTokenizer = TiktokenTokenizer.CreateForEncoding(encoding).PreTokenizer!;
        var random = new Random(17);
        for (var n = 0; n < 20_000; n++)
        {
            var text = RandomText(random, random.Next(1, 40));
            var expected = preTokenizer.PreTokenize(text).Select(p => text.Substring(p.Offset, p.Length)).ToList();
            var actual = Split(text, encoding == TokenEncodings.Cl100kBase);
            Assert.True(expected.SequenceEqual(actual), $"{Show(text)}: expected [{string.Join("|", expected.Select(Show))}], got [{string.Join("|", actual.Select(Show))}]");
        }
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Text_CountedAsTheTokenizerCountsIt(string encoding)
    {
        var tokenizer = TiktokenTokenizer.CreateForEncoding(encoding);
        var counter = TokenCounter.ForEncoding(encoding);
        var random = new Random(29);
        var texts = new List<string>
        {
            SyntheticText.Prompt(200, 1),
            "Hello, World! It's 2026-12-01; they're here (I'll see) — don't worry.\r\n\n  Done.",
            "<|endoftext|> after a special token",
            "<|endofprompt|><|endoftext|><|not special|> <|",
            "DON'T SHOUT'S HELLO'LL we'VE",
            "naïve café: non-ASCII goes to the tokenizer from there on",
            "The quick brown fox — it's 2026\n- first (12, 345)\n\n",
        };
        for (var n = 0; n < 3_000; n++)
        {
            texts.Add(RandomText(random, random.Next(1, TokenCounter.MaxPieceChars)));
        }

        // Non-ASCII and markup at random places: ASCII stretches are split here, the rest by the tokenizer.
        string[] foreign = ["—", "é", "’", "😀", "\u00A0", "\u0085", "<|endoftext|>", "<|", "日本語", "\u2028"];
        for (var n = 0; n < 3_000; n++)
        {
            var text = RandomText(random, random.Next(1, 120));
            for (var k = random.Next(1, 5); k > 0; k--)
            {
                var at = random.Next(text.Length + 1);
                text = text[..at] + foreign[random.Next(foreign.Length)] + text[at..];
            }

            texts.Add(text);
        }

        foreach (var text in texts)
        {
            // A fresh tokenizer for special tokens: the library forgets them once its word cache is full (see CountPiece).
            var reference = text.Contains("<|", StringComparison.Ordinal) ? TiktokenTokenizer.CreateForEncoding(encoding) : tokenizer;
            var expected = reference.CountTokens(text);
            var actual = counter.CountPiece(text);
            Assert.True(expected == actual, $"{encoding} {Show(text)}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void SpecialToken_StillOne_AfterTheTokenizersWordCacheFilledUp()
    {
        var counter = TokenCounter.ForEncoding(TokenEncodings.O200kBase);
        var bytes = new byte[64 * 1024];
        new Random(4).NextBytes(bytes);
        var before = counter.Count("<|endoftext|> after a special token");

        counter.Count(Convert.ToBase64String(bytes)); // thousands of distinct words through the tokenizer

        Assert.Equal(5, before);
        Assert.Equal(before, counter.Count("<|endoftext|> after a special token"));
    }

    private static List<string> Split(string text, bool cl100k)
    {
        var pieces = new List<string>();
        for (var start = 0; start < text.Length;)
        {
            var end = AsciiPreTokens.End(text, start, cl100k);
            Assert.True(end > start && end <= text.Length);
            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }

    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            // Words and numbers now and then, so that runs, contractions and digit groups are long enough to matter.
            switch (random.Next(8))
            {
                case 0:
                    text.Append(SyntheticText.Vocabulary[random.Next(SyntheticText.Vocabulary.Count)]);
                    break;
                case 1:
                    text.Append(random.Next(100_000));
                    break;
                default:
                    text.Append(Alphabet[random.Next(Alphabet.Length)]);
                    break;
            }
        }

        return text.ToString();
    }

    private static string Show(string text) =>
        string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\x{(int)c:X2}" : c.ToString()));
}
