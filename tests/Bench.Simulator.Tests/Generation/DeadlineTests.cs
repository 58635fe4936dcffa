using System.Diagnostics;
using Bench.Simulator.Generation;

namespace Bench.Simulator.Tests.Generation;

public class DeadlineTests
{
    [Fact]
    public async Task DelayUntilAsync_SubMillisecondDeadlines_NeverReturnsEarly()
    {
        var random = new Random(5);
        for (var i = 0; i < 20; i++)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(random.NextDouble() * 3 * Stopwatch.Frequency / 1000);

            await Deadline.DelayUntilAsync(TimeProvider.System, deadline, CancellationToken.None);

            Assert.True(Stopwatch.GetTimestamp() >= deadline);
        }
    }

    [Fact]
    public void DelayUntilAsync_PastDeadline_CompletesSynchronously() =>
        Assert.True(Deadline.DelayUntilAsync(TimeProvider.System, Stopwatch.GetTimestamp() - 1, CancellationToken.None).IsCompletedSuccessfully);

    [Fact]
    public async Task DelayUntilAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        var wait = Deadline.DelayUntilAsync(TimeProvider.System, Stopwatch.GetTimestamp() + Stopwatch.Frequency, cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
    }
}
