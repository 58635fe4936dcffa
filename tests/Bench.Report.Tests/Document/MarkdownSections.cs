using System.Text.RegularExpressions;

namespace Bench.Report.Tests.Document;

/// <summary>Reads report.md's sections in tests.</summary>
internal static class MarkdownSections
{
    /// <summary>The body of the <c>## title</c> section of <paramref name="markdown"/>: from after its heading line (which
    /// carries an <c>&lt;a id&gt;</c> anchor when a link points to the section) up to the next <c>## </c>.</summary>
    public static string Of(string markdown, string title)
    {
        var heading = Regex.Match(markdown, $"(?m)^## (?:<a id=\"[^\"]*\"></a>)?{Regex.Escape(title)}\n");
        Assert.True(heading.Success, $"no section '{title}' in:\n{markdown}");
        var body = heading.Index + heading.Length;
        var end = markdown.IndexOf("\n## ", body, StringComparison.Ordinal);
        return markdown[body..(end < 0 ? markdown.Length : end)];
    }
}
