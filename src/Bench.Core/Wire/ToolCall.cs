using System.Text;

namespace Bench.Core.Wire;

/// <summary>
/// One tool call of a response, reassembled from its streamed fragments: <c>delta.tool_calls[]</c> entries with the
/// same <c>index</c> carry the id and function name once and the JSON arguments in pieces.
/// </summary>
public sealed class ToolCall
{
    private readonly StringBuilder _arguments = new();

    internal ToolCall(int index) => Index = index;

    /// <summary><c>tool_calls[].index</c> (or the position in a non-streaming <c>message.tool_calls</c> array).</summary>
    public int Index { get; }

    /// <summary><c>tool_calls[].id</c>, e.g. <c>call_3rqTYrA6H21AYUaRGP4F66oq</c>; <see langword="null"/> if never sent.</summary>
    public string? Id { get; internal set; }

    /// <summary><c>tool_calls[].function.name</c>; <see langword="null"/> if never sent.</summary>
    public string? Name { get; internal set; }

    /// <summary>The concatenated <c>function.arguments</c> fragments: JSON text when the model produced valid JSON.</summary>
    public string Arguments => _arguments.ToString();

    internal StringBuilder ArgumentsBuilder => _arguments;
}
