namespace Bench.Simulator.Replay;

/// <summary>
/// One block of a recorded Server-Sent Events body: the lines up to and including the blank line that ends them (an
/// event, a comment such as a keep-alive, or a stray blank line), or the unterminated rest of the body.
/// </summary>
/// <param name="Offset">Start of the block in <see cref="RecordedStream.Body"/>.</param>
/// <param name="Length">Length in bytes, terminating blank line included.</param>
/// <param name="Type">The <c>event:</c> field (e.g. <c>error</c>), or <see langword="null"/> for the default
/// <c>message</c>.</param>
/// <param name="Data">The <c>data:</c> lines joined with <c>\n</c> (decoded as UTF-8), or <see langword="null"/> when the
/// block has none (comments, blank lines).</param>
/// <param name="Terminated">Whether the block ends with a blank line; a client dispatches only terminated events.</param>
/// <param name="Tokens">Estimated tokens when the event is token-bearing, else 0: its weight when the recording's
/// completion tokens are shared out over its token-bearing events (see <see cref="RecordedStream"/>).</param>
internal readonly record struct RecordedEvent(
    int Offset, int Length, string? Type, string? Data, bool Terminated, int Tokens)
{
    /// <summary>Whether the event carries content, reasoning or tool-call text, by the client's definition.</summary>
    public bool IsTokenBearing => Tokens > 0;
}
