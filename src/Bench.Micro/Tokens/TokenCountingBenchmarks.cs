using System.Text;
using BenchmarkDotNet.Attributes;
using Bench.Core.Text;
using Bench.Core.Tokens;
using Microsoft.ML.Tokenizers;

namespace Bench.Micro.Tokens;

/// <summary>
/// Local token counting (off the request path, on the counting thread), per text: Bench's <see cref="TokenCounter"/>
/// (ASCII pre-tokens by scan, each pre-token's count kept) against Microsoft.ML.Tokenizers' own
/// <c>CountTokens</c> (regex pre-tokenizer) on the same <c>o200k_base</c> tokenizer data, on three kinds of answer:
/// the simulator's (100 tokens of its vocabulary, 64 different answers), an English ASCII paragraph, and the same
/// paragraph with non-ASCII punctuation (an em dash and curly quotes, where Bench hands the rest of the piece to the
/// library). The counts are equal (checked in <see cref="Setup"/>).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TokenCountingBenchmarks
{
    private const int Answers = 64;

    private const string English =
        "The quick brown fox jumps over the lazy dog. It's 2026, and they're measuring LLM APIs: TTFT, ITL and E2E.\n" +
        "Here's a list:\n- first item (with 3 numbers: 12, 345, 6789)\n- second item, with a dash - and a URL: https://example.com/a/b\n\n";

    private const string Mixed =
        "The quick brown fox jumps over the lazy dog. It\u2019s 2026, and they\u2019re measuring LLM APIs: TTFT, ITL and E2E.\n" +
        "Here\u2019s a list:\n- first item (with 3 numbers: 12, 345, 6789)\n- second item \u2014 with a dash and a URL: https://example.com/a/b\n\n";

    private readonly TokenCounter _counter = TokenCounter.ForEncoding(TokenEncodings.O200kBase);
    private readonly Tokenizer _library = TiktokenTokenizer.CreateForEncoding(TokenEncodings.O200kBase);
    private string[] _answers = [];

    /// <summary>Draws the simulator-shaped answers and checks that both ways count every text alike.</summary>
    /// <exception cref="InvalidOperationException">The two counts of a text differ.</exception>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        _answers = [.. Enumerable.Range(0, Answers).Select(_ =>
        {
            var text = new StringBuilder();
            for (var i = 0; i < 100; i++)
            {
                text.Append(SyntheticText.Token(random, i));
            }

            return text.ToString();
        })];
        foreach (var text in _answers.Append(English).Append(Mixed))
        {
            if (_counter.Count(text) != _library.CountTokens(text))
            {
                throw new InvalidOperationException($"The counts differ on: {text}");
            }
        }
    }

    /// <summary>Bench, a simulator answer (100 tokens), per answer.</summary>
    [Benchmark(OperationsPerInvoke = Answers)]
    public int BenchSimulatorAnswer()
    {
        var tokens = 0;
        foreach (var answer in _answers)
        {
            tokens += _counter.Count(answer);
        }

        return tokens;
    }

    /// <summary>The library, a simulator answer (100 tokens), per answer.</summary>
    [Benchmark(OperationsPerInvoke = Answers)]
    public int LibrarySimulatorAnswer()
    {
        var tokens = 0;
        foreach (var answer in _answers)
        {
            tokens += _library.CountTokens(answer);
        }

        return tokens;
    }

    /// <summary>Bench, the ASCII English paragraph.</summary>
    [Benchmark]
    public int BenchEnglish() => _counter.Count(English);

    /// <summary>The library, the ASCII English paragraph.</summary>
    [Benchmark]
    public int LibraryEnglish() => _library.CountTokens(English);

    /// <summary>Bench, the paragraph with non-ASCII punctuation.</summary>
    [Benchmark]
    public int BenchMixed() => _counter.Count(Mixed);

    /// <summary>The library, the paragraph with non-ASCII punctuation.</summary>
    [Benchmark]
    public int LibraryMixed() => _library.CountTokens(Mixed);
}
