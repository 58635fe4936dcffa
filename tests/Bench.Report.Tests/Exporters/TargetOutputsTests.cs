using System.Text.Json;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Charts;
using Bench.Report.Exporters;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Exporters;

/// <summary>One model measured at two targets in two modes: four cells, each output keyed and labelled by target.</summary>
public sealed class TargetOutputsTests
{
    private static readonly string[] Targets = ["relay", "direct"];

    /// <summary>Both targets serve <see cref="TestRun.Alpha"/> in both modes; the relay's requests fail once in
    /// streaming (a 429), so the two targets' cells differ.</summary>
    private static TestRun TwoTargets()
    {
        var run = new TestRun();
        var start = 0.0;
        foreach (var target in Targets)
        {
            foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming })
            {
                var count = target == "relay" ? 8 : 6;
                for (var i = 0; i < count; i++)
                {
                    run.Add(TestRun.Alpha, mode, start + (i * 200), Phases.Measure, i).Target = target;
                }

                if (target == "relay" && mode == Mode.Streaming)
                {
                    run.Add(TestRun.Alpha, mode, start + (count * 200), Phases.Measure, 0, Outcome.RateLimited).Target = target;
                }

                start += (count + 2) * 200;
            }
        }

        return run.Save();
    }

    [Fact]
    public void SummaryCsv_TwoTargetsTwoModes_FourRowsWithTheTargetFirst()
    {
        using var run = TwoTargets();

        ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);

        var lines = File.ReadAllLines(Path.Combine(run.Directory, SummaryCsvExporter.FileName));
        Assert.StartsWith("target,model,mode,policy,requests,", lines[0], StringComparison.Ordinal);
        var rows = lines.Skip(1).Select(l => l.Split(',')).Select(f => (Target: f[0], Model: f[1], Mode: f[2], Requests: long.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        // Expected from the records themselves, grouped by hand.
        var expected = run.Records.GroupBy(r => (r.Target, r.Model, Mode: Names.Of(r.Mode)))
            .Select(g => (g.Key.Target!, g.Key.Model, g.Key.Mode, (long)g.Count())).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void SummaryJsonAndRecordsCsv_TwoTargets_CarryTheTarget()
    {
        using var run = TwoTargets();

        ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Directory, "summary.json")));
        var cells = summary.RootElement.GetProperty("cells").EnumerateArray().Select(c => (c.GetProperty("target").GetString(), c.GetProperty("mode").GetString())).ToList();
        Assert.Equal([("relay", "streaming"), ("relay", "non-streaming"), ("direct", "streaming"), ("direct", "non-streaming")], cells);
        var records = File.ReadAllLines(Path.Combine(run.Directory, "records.csv"));
        Assert.StartsWith("target,id,model,", records[0], StringComparison.Ordinal);
        Assert.Equal(run.Records.Select(r => r.Target), records.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void ReportMd_TwoTargets_TableHasATargetColumnAndModesAreComparedWithinATarget()
    {
        using var run = TwoTargets();

        var report = ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);

        Assert.Equal([("relay", Mode.Streaming, Mode.NonStreaming), ("direct", Mode.Streaming, Mode.NonStreaming)],
            report.Comparisons.Select(c => (c.Target!, c.Streaming.Mode, c.NonStreaming.Mode)));
        Assert.All(report.Comparisons, c => Assert.Equal(c.Streaming.Target, c.NonStreaming.Target));
        var md = File.ReadAllText(Path.Combine(run.Directory, "report.md"));
        Assert.Contains("Cells' targets: relay, direct", md, StringComparison.Ordinal);
        Assert.Contains("| target | model | mode |", md, StringComparison.Ordinal);
        Assert.Contains("| relay | alpha-model | streaming |", md, StringComparison.Ordinal);
        Assert.Contains("| direct | alpha-model | non-streaming |", md, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run.Directory, HistogramLogExporter.FolderName, "relay__alpha-model__streaming.hlog")));
        Assert.True(File.Exists(Path.Combine(run.Directory, HistogramLogExporter.FolderName, "direct__alpha-model__streaming.hlog")));
    }

    [Fact]
    public void ModelPalette_TwoTargets_OneColourAndLabelPerTargetModel()
    {
        using var run = TwoTargets();

        var palette = ModelPalette.For(run.Report());

        Assert.True(palette.MultiTarget);
        Assert.Equal(["relay · alpha-model", "direct · alpha-model"], palette.Models);
        Assert.NotEqual(palette.Of("relay", TestRun.Alpha), palette.Of("direct", TestRun.Alpha));
    }

    [Fact]
    public void SummaryCsv_RecordsWithoutATarget_TargetColumnEmpty()
    {
        using var run = TestRun.Standard().Save();

        ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);

        var lines = File.ReadAllLines(Path.Combine(run.Directory, SummaryCsvExporter.FileName));
        Assert.StartsWith("target,model,", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.StartsWith(",", l, StringComparison.Ordinal));
        Assert.False(ModelPalette.For(run.Report()).MultiTarget);
    }
}
