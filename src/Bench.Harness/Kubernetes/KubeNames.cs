using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Bench.Harness.Kubernetes;

/// <summary>Kubernetes' naming rules as <c>bench kube render</c> needs them (RFC 1123 labels).</summary>
public static partial class KubeNames
{
    /// <summary>The longest DNS-1123 label (63).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>The longest run name: an Indexed Job's pods are named <c>NAME-INDEX</c> and their hostnames must stay
    /// labels, so four characters are kept for <c>-999</c> (the highest index of <see cref="Core.Planning.ShardSpec.MaxCount"/> shards).</summary>
    public const int MaxRunNameLength = MaxLabelLength - 4;

    /// <summary>Whether <paramref name="name"/> is a DNS-1123 label: 1–63 lower-case letters, digits or '-', starting and
    /// ending with a letter or digit.</summary>
    public static bool IsLabel(string? name) => name is { Length: > 0 and <= MaxLabelLength } && LabelPattern().IsMatch(name);

    /// <summary>Why <paramref name="name"/> cannot name a run, or null when it can.</summary>
    public static string? RunNameProblem(string name) => !IsLabel(name)
        ? $"'{name}' is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit"
        : name.Length > MaxRunNameLength
            ? string.Create(CultureInfo.InvariantCulture, $"'{name}' is {name.Length} characters; at most {MaxRunNameLength}, so each pod's name NAME-INDEX stays a label")
            : null;

    /// <summary>The default run name for a scenario: <c>bench-</c> and the scenario's name lower-cased, every run of
    /// other characters one '-', cut to <see cref="MaxRunNameLength"/>.</summary>
    public static string DefaultRunName(string scenarioName)
    {
        ArgumentNullException.ThrowIfNull(scenarioName);
        var text = new StringBuilder("bench-");
        foreach (var c in scenarioName.ToLowerInvariant())
        {
            var keep = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (keep || text[^1] != '-')
            {
                text.Append(keep ? c : '-');
            }
        }

        var name = text.ToString();
        return name[..Math.Min(name.Length, MaxRunNameLength)].TrimEnd('-');
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
