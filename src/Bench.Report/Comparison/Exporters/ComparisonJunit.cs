using System.Globalization;
using System.Xml.Linq;

namespace Bench.Report.Comparison.Exporters;

/// <summary>
/// <c>--junit FILE</c>: JUnit XML as GitHub (test-reporter actions), GitLab (<c>artifacts:reports:junit</c>) and Jenkins
/// read it (the Ant JUnit schema: <c>testsuites</c> › <c>testsuite name tests failures errors skipped</c> ›
/// <c>testcase name classname</c> with an optional <c>failure message type</c> or <c>skipped message</c> child): one
/// suite per cell (or benchmark), one test case per metric, a failure for a <see cref="Verdict.Slower"/> on a fail-on
/// metric, skipped for <see cref="Verdict.Unknown"/>; Same, Faster and a Slower outside <c>--fail-on</c> pass (their
/// verdict in <c>system-out</c>).
/// </summary>
public static class ComparisonJunit
{
    /// <summary>The XML document.</summary>
    public static XDocument Build(Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var suites = new XElement("testsuites",
            new XAttribute("name", "bench compare"),
            new XAttribute("tests", comparison.Rows.Count),
            new XAttribute("failures", comparison.Regressions),
            new XAttribute("errors", 0),
            new XAttribute("skipped", comparison.Count(Verdict.Unknown)));
        foreach (var cell in comparison.Rows.GroupBy(r => r.Cell))
        {
            var rows = cell.ToList();
            var suite = new XElement("testsuite",
                new XAttribute("name", cell.Key),
                new XAttribute("tests", rows.Count),
                new XAttribute("failures", rows.Count(r => r.Regression)),
                new XAttribute("errors", 0),
                new XAttribute("skipped", rows.Count(r => r.Verdict == Verdict.Unknown)),
                new XAttribute("time", "0"));
            if (rows[0].Target is { } target)
            {
                // The suite's name is the cell (target · model · mode); its target also as a property, for filtering.
                suite.Add(new XElement("properties", new XElement("property", new XAttribute("name", "target"), new XAttribute("value", target))));
            }

            foreach (var r in rows)
            {
                var text = string.Create(CultureInfo.InvariantCulture,
                    $"{r.Verdict}: {ComparisonText.Value(r.Baseline, r.Unit)} -> {ComparisonText.Value(r.Current, r.Unit)} ({ComparisonText.Change(r)}); {ComparisonText.Method(r)}");
                var testcase = new XElement("testcase", new XAttribute("name", r.MetricId), new XAttribute("classname", cell.Key), new XAttribute("time", "0"));
                if (r.Regression)
                {
                    testcase.Add(new XElement("failure", new XAttribute("message", text), new XAttribute("type", "regression"), text));
                }
                else if (r.Verdict == Verdict.Unknown)
                {
                    testcase.Add(new XElement("skipped", new XAttribute("message", text)));
                }
                else
                {
                    testcase.Add(new XElement("system-out", text));
                }

                suite.Add(testcase);
            }

            suites.Add(suite);
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
    }

    /// <summary>Writes <see cref="Build"/> to <paramref name="path"/>.</summary>
    public static void Write(Comparison comparison, string path)
    {
        // UTF-8 without a byte-order mark: some JUnit readers choke on one before the XML declaration.
        using var writer = System.Xml.XmlWriter.Create(path, new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true });
        Build(comparison).Save(writer);
    }
}
