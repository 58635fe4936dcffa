using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Comparison;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Comparison;

/// <summary><c>bench compare</c> pairs cells by target × model × mode × policy; when each side has exactly one target
/// (a folder from before targets has none), by model × mode × policy.</summary>
public sealed class ComparerTargetTests
{
    /// <summary>A results folder: <see cref="TestRun.Alpha"/> in both modes at each of <paramref name="targets"/>
    /// (a null target: records written before targets).</summary>
    private static TestRun Folder(params string?[] targets)
    {
        var run = new TestRun();
        var start = 0.0;
        foreach (var target in targets)
        {
            foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming })
            {
                for (var i = 0; i < 8; i++)
                {
                    run.Add(TestRun.Alpha, mode, start + (i * 200), Phases.Measure, i).Target = target;
                }

                start += 2000;
            }
        }

        return run.Save();
    }

    private static Bench.Report.Comparison.Comparison Compare(TestRun baseline, TestRun current)
    {
        var errors = new List<string>();
        var b = ComparisonSide.Load(baseline.Directory, TestRun.Prices, errors);
        var c = ComparisonSide.Load(current.Directory, TestRun.Prices, errors);
        Assert.Empty(errors);
        return Comparer.Compare(b!, c!, new ComparisonSettings());
    }

    [Fact]
    public void Compare_OldFolderAgainstOneTarget_PairsEveryCell()
    {
        using var old = Folder((string?)null);
        using var current = Folder("simulator");

        var comparison = Compare(old, current);

        Assert.Empty(comparison.OnlyInBaseline);
        Assert.Empty(comparison.OnlyInCurrent);
        Assert.Equal(["simulator · alpha-model · streaming", "simulator · alpha-model · non-streaming"], comparison.Rows.Select(r => r.Cell).Distinct());
        Assert.All(comparison.Rows, r => Assert.Equal("simulator", r.Target));
        var suites = Bench.Report.Comparison.Exporters.ComparisonJunit.Build(comparison).Root!.Elements("testsuite").ToList();
        Assert.Equal(["simulator · alpha-model · streaming", "simulator · alpha-model · non-streaming"], suites.Select(s => (string)s.Attribute("name")!));
        Assert.All(suites, s => Assert.Equal("simulator", (string)s.Element("properties")!.Element("property")!.Attribute("value")!));
    }

    [Fact]
    public void Compare_TwoTargetsEachSide_PairsSameNamedTargetsOnly()
    {
        using var baseline = Folder("relay", "direct");
        using var current = Folder("relay", "other");

        var comparison = Compare(baseline, current);

        Assert.Equal(["relay · alpha-model · streaming", "relay · alpha-model · non-streaming"], comparison.Rows.Select(r => r.Cell).Distinct());
        Assert.Equal(["direct · alpha-model · streaming", "direct · alpha-model · non-streaming"], comparison.OnlyInBaseline);
        Assert.Equal(["other · alpha-model · streaming", "other · alpha-model · non-streaming"], comparison.OnlyInCurrent);
    }

    [Fact]
    public void Compare_OldFolderAgainstTwoTargets_NothingPairs()
    {
        using var old = Folder((string?)null);
        using var current = Folder("relay", "direct");

        var comparison = Compare(old, current);

        Assert.Empty(comparison.Rows);
        Assert.Equal(2, comparison.OnlyInBaseline.Count);
        Assert.Equal(4, comparison.OnlyInCurrent.Count);
    }
}
