using System.Globalization;
using Bench.Core.Hosting;
using Bench.Harness.SelfTest;

namespace Bench.Harness.Tests.SelfTest;

public sealed class ScaleRunTests
{
    [Fact]
    public async Task RunAsync_MoreStreamsThanTheHardLimitHolds_IsSkippedWithTheFigures_BeforeAnyConnection()
    {
        if (DescriptorLimit.Current() is not { Hard: < int.MaxValue - DescriptorLimit.Reserve } limits)
        {
            return; // no limit to exceed here (Windows, or an unlimited hard limit)
        }

        var truth = new GroundTruth();
        var streams = (int)limits.Hard; // plus the reserve: more than the hard limit allows
        // No server: the check comes before any connection, so none is needed.
        var run = new ScaleRun(null!, "sk-unused", new TimingsTail(Path.Combine(Path.GetTempPath(), "no-such-timings.jsonl"), truth), truth, new SelfTestOptions());

        var result = await run.RunAsync(streams, CancellationToken.None);

        Assert.Equal(streams, result.Streams);
        Assert.Equal(limits.Hard, result.DescriptorSoftLimit);
        Assert.NotNull(result.SkippedReason);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{streams:N0} concurrent streams need about {streams + DescriptorLimit.Reserve:N0} open file descriptors"),
            result.SkippedReason, StringComparison.Ordinal);
        Assert.Equal(0, result.Requests);
    }
}
