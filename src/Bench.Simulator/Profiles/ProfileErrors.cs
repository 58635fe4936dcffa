namespace Bench.Simulator.Profiles;

/// <summary>Collects profile problems as <c>&lt;origin&gt;: &lt;JSON path&gt;: &lt;reason&gt;</c> lines.</summary>
internal sealed class ProfileErrors
{
    private readonly List<string> _messages = [];

    /// <summary>The file (or model) the next problems belong to.</summary>
    public string Origin { get; set; } = "";

    /// <summary>Number of problems so far.</summary>
    public int Count => _messages.Count;

    /// <summary>Records a problem at a JSON path (e.g. <c>$.ttft_ms.p95</c>).</summary>
    public void Add(string path, string reason) => _messages.Add($"{Origin}: {path}: {reason}");

    /// <summary>Throws a <see cref="ProfileException"/> listing every problem, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (_messages.Count > 0)
        {
            throw new ProfileException(_messages.ToArray());
        }
    }
}
