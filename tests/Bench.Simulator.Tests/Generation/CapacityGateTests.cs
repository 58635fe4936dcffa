using Bench.Simulator.Generation;

namespace Bench.Simulator.Tests.Generation;

public class CapacityGateTests
{
    [Fact]
    public async Task EnterAsync_FreeSlots_EntersAtOnceUntilFull()
    {
        var gate = new CapacityGate(2);

        Assert.True(await gate.EnterAsync(CancellationToken.None));
        Assert.True(await gate.EnterAsync(CancellationToken.None));
        var third = gate.EnterAsync(CancellationToken.None);

        Assert.False(third.IsCompleted);
        Assert.Equal(1, gate.Waiting);
        gate.Exit();
        Assert.False(await third);
    }

    [Fact]
    public async Task Exit_SeveralWaiters_AdmitsThemInArrivalOrder()
    {
        var gate = new CapacityGate(1);
        await gate.EnterAsync(CancellationToken.None);
        var admitted = new List<int>();
        var waiters = Enumerable.Range(0, 5).Select(async i =>
        {
            await gate.EnterAsync(CancellationToken.None);
            lock (admitted)
            {
                admitted.Add(i);
            }
        }).ToList();

        for (var i = 0; i < 5; i++)
        {
            gate.Exit();
            await waiters[i];
        }

        Assert.Equal([0, 1, 2, 3, 4], admitted);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileWaiting_ThrowsAndIsSkipped()
    {
        var gate = new CapacityGate(1);
        await gate.EnterAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(cancellation.Token).AsTask();
        var next = gate.EnterAsync(CancellationToken.None).AsTask();

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Exit();

        Assert.False(await next);
        gate.Exit();
        Assert.True(await gate.EnterAsync(CancellationToken.None));
    }

    [Fact]
    public void Constructor_NoSlot_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CapacityGate(0));
}
