using System.Text;

namespace Bench.Report.Comparison.Exporters;

/// <summary>
/// <c>--markdown FILE</c>: GitHub-flavoured Markdown fit for a pull-request comment or <c>$GITHUB_STEP_SUMMARY</c>: a
/// summary line with the counts and the exit verdict, a table of regressions, one of improvements, the notes, and every
/// row inside <c>&lt;details&gt;</c>.
/// </summary>
public static class ComparisonMarkdown
{
    /// <summary>The Markdown text.</summary>
    public static string Render(Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var md = new StringBuilder();
        md.Append("## bench compare: ").AppendLine(comparison.Regressions > 0 ? "regression found" : "no regression").AppendLine();
        md.Append("**").Append(Escape(comparison.SummaryLine)).AppendLine("**").AppendLine();
        md.Append("Baseline `").Append(comparison.Baseline).Append("` · current `").Append(comparison.Current).AppendLine("`").AppendLine();
        Section(md, "Regressions", comparison.Rows.Where(r => r.Verdict == Verdict.Slower).OrderBy(ComparisonConsole.Rank).ToList(), comparison.Kind);
        Section(md, "Improvements", comparison.Rows.Where(r => r.Verdict == Verdict.Faster).ToList(), comparison.Kind);
        foreach (var name in comparison.OnlyInBaseline)
        {
            md.Append("- only in baseline (not judged): ").AppendLine(Escape(name));
        }

        foreach (var name in comparison.OnlyInCurrent)
        {
            md.Append("- only in current (not judged): ").AppendLine(Escape(name));
        }

        foreach (var note in comparison.Notes)
        {
            md.Append("- ").AppendLine(Escape(note));
        }

        md.AppendLine();
        md.Append("<details><summary>Every row (").Append(comparison.Rows.Count).AppendLine(")</summary>").AppendLine();
        Table(md, comparison.Rows, comparison.Kind);
        md.AppendLine().AppendLine("</details>");
        return md.ToString();
    }

    /// <summary>Writes <see cref="Render"/> to <paramref name="path"/>.</summary>
    public static void Write(Comparison comparison, string path) => File.WriteAllText(path, Render(comparison));

    private static void Section(StringBuilder md, string title, IReadOnlyList<ComparisonRow> rows, SideKind kind)
    {
        md.Append("### ").Append(title).Append(" (").Append(rows.Count).AppendLine(")").AppendLine();
        if (rows.Count == 0)
        {
            md.AppendLine("None.").AppendLine();
            return;
        }

        Table(md, rows, kind);
        md.AppendLine();
    }

    private static void Table(StringBuilder md, IEnumerable<ComparisonRow> rows, SideKind kind)
    {
        md.Append("| verdict | ").Append(kind == SideKind.Micro ? "benchmark" : "cell").AppendLine(" | metric | baseline | current | change | method |");
        md.AppendLine("|---|---|---|--:|--:|--:|---|");
        foreach (var r in rows)
        {
            md.Append("| ").Append(r.Verdict).Append(r.Verdict == Verdict.Slower && !r.FailOn ? " (not fail-on)" : "")
                .Append(" | ").Append(Escape(r.Cell))
                .Append(" | `").Append(r.MetricId).Append('`')
                .Append(" | ").Append(Escape(ComparisonText.Value(r.Baseline, r.Unit)))
                .Append(" | ").Append(Escape(ComparisonText.Value(r.Current, r.Unit)))
                .Append(" | ").Append(Escape(ComparisonText.Change(r)))
                .Append(" | ").Append(Escape(ComparisonText.Method(r))).AppendLine(" |");
        }
    }

    /// <summary>Escapes what would break a table cell or start markup.</summary>
    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("*", "\\*", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
