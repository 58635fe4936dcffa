using Bench.Core.Records;
using Bench.Report.Charts;

namespace Bench.Report.Tests.Charts;

public class ReservoirTests
{
    [Fact]
    public void Add_FewerThanCapacity_KeepsEverything()
    {
        var reservoir = new Reservoir<int>(10, seed: 1);
        foreach (var i in Enumerable.Range(0, 7))
        {
            reservoir.Add(i);
        }

        Assert.Equal(Enumerable.Range(0, 7), reservoir.Items);
        Assert.False(reservoir.Sampled);
    }

    [Fact]
    public void Add_LongStream_StaysBounded_Deterministic_AndRoughlyUniform()
    {
        static Reservoir<int> Fill()
        {
            var r = new Reservoir<int>(1_000, seed: 7);
            for (var i = 0; i < 100_000; i++)
            {
                r.Add(i);
            }

            return r;
        }

        var first = Fill();
        Assert.Equal(1_000, first.Items.Count);
        Assert.Equal(100_000, first.Seen);
        Assert.True(first.Sampled);
        Assert.Equal(first.Items, Fill().Items);

        // A uniform sample of 0..99,999 has a mean near 50,000 and draws from every decile.
        Assert.InRange(first.Items.Average(), 45_000, 55_000);
        Assert.Equal(10, first.Items.Select(i => i / 10_000).Distinct().Count());
    }

    [Fact]
    public void RunSamples_CapsEveryCell_AndSkipsWarmup()
    {
        using var run = TestRun.Standard(perCell: 2);
        var report = run.Report();
        var streaming = run.Records.Where(r => r.Model == TestRun.Alpha && r.Mode == Mode.Streaming).ToList();
        Assert.Contains(streaming, r => r.Phase == Phases.Warmup);

        run.Save();
        var read = RunSamples.Read(Path.Combine(run.Directory, "records.jsonl"), report, maxPointsPerChart: 4);
        var cell = read.For(TestRun.Alpha, Mode.Streaming, null)!;

        Assert.Equal(RunSamples.MinPointsPerCell, read.PointsPerCell);
        Assert.Equal(2, cell.E2eMs.Items.Count); // warm-up excluded
        Assert.Equal(2, cell.TtftMs.Items.Count);
        Assert.Equal(2 * 19, cell.ItlMs.Items.Count); // 20 token events → 19 gaps each
        Assert.Empty(read.For(TestRun.Alpha, Mode.NonStreaming, null)!.TtftMs.Items);
    }
}
