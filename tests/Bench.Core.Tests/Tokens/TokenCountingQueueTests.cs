using Bench.Core.Tokens;

namespace Bench.Core.Tests.Tokens;

public sealed class TokenCountingQueueTests
{
    [Fact]
    public async Task CountAsync_RunsTheWorkOnTheCountingThread_AndCompletesAfterIt()
    {
        var queue = TokenCountingQueue.Shared;
        var before = queue.Counted;
        string? threadName = null;
        var tokens = 0;

        await queue.CountAsync(() =>
        {
            threadName = Thread.CurrentThread.Name;
            tokens = TokenCounter.ForEncoding(TokenEncodings.O200kBase).Count("Hello, world! This is Bench counting tokens.");
        });

        Assert.Equal("bench token counting", threadName);
        Assert.True(tokens > 5, $"counted {tokens}");
        Assert.True(queue.Counted > before);
    }

    [Fact]
    public async Task CountAsync_WorkThatThrows_CompletesWithoutThrowing_AndTheThreadGoesOn()
    {
        var queue = TokenCountingQueue.Shared;

        await queue.CountAsync(() => throw new InvalidOperationException("boom"));
        var ran = false;
        await queue.CountAsync(() => ran = true);

        Assert.True(ran);
    }

    [Fact]
    public async Task CountAsync_TheContinuationDoesNotRunOnTheCountingThread()
    {
        await TokenCountingQueue.Shared.CountAsync(() => { });

        Assert.NotEqual("bench token counting", Thread.CurrentThread.Name);
    }

    [Fact]
    public async Task CountAsync_MoreWorkThanTheQueueHolds_IsAllCountedInOrder()
    {
        // More than Capacity at once: the senders past the bound wait for room; nothing is dropped.
        var queue = TokenCountingQueue.Shared;
        var total = TokenCountingQueue.Capacity + 500;
        var order = new List<int>(total);
        var tasks = new Task[total];
        for (var i = 0; i < total; i++)
        {
            var n = i;
            tasks[i] = queue.CountAsync(() => order.Add(n)).AsTask();
        }

        await Task.WhenAll(tasks);

        Assert.Equal(total, order.Count);
        Assert.Equal(Enumerable.Range(0, total), order);
    }

    [Fact]
    public async Task CpuTime_GrowsWithTheCountingWork()
    {
        var queue = TokenCountingQueue.Shared;
        var before = queue.CpuTime;
        var text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 2000));

        await queue.CountAsync(() => TokenCounter.ForEncoding(TokenEncodings.O200kBase).Count(text));

        Assert.True(queue.CpuTime > before, $"{before} → {queue.CpuTime}");
    }
}
