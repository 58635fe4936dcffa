using System.Buffers;
using Bench.Core.Text;

namespace Bench.Simulator.Generation;

/// <summary>
/// The answer being generated, in the synthetic language (<see cref="SyntheticText"/>: one token is one vocabulary
/// word). Tokens are appended into a pooled character buffer that holds one chunk (streaming) or the whole answer
/// (non-streaming); the token index runs on across <see cref="Clear"/> so the text is the same either way.
/// </summary>
internal sealed class AnswerText : IDisposable
{
    /// <summary>Longest token in characters: a vocabulary word and its leading space.</summary>
    private static readonly int MaxTokenChars = 1 + SyntheticText.Vocabulary.Max(word => word.Length);

    private readonly Random _random;
    private char[] _buffer;
    private int _length;

    /// <summary>Creates a buffer for up to <paramref name="capacityTokens"/> tokens between clears.</summary>
    public AnswerText(Random random, int capacityTokens)
    {
        _random = random;
        _buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, capacityTokens) * MaxTokenChars);
    }

    /// <summary>Tokens generated so far (not reset by <see cref="Clear"/>).</summary>
    public int Tokens { get; private set; }

    /// <summary>The text appended since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<char> Text => _buffer.AsSpan(0, _length);

    /// <summary>Generates <paramref name="count"/> more tokens.</summary>
    public void Append(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var token = SyntheticText.Token(_random, Tokens++);
            token.CopyTo(_buffer.AsSpan(_length));
            _length += token.Length;
        }
    }

    /// <summary>Empties the text, keeping the token count.</summary>
    public void Clear() => _length = 0;

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = [];
    }
}
