using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Harness.Running;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Harness.Tests.Running;

/// <summary>The shards' meeting place before each step: every shard learns the same start (the last arrival + the
/// lead), a shard that left is not waited for, and one that never comes is given up on after the timeout, with a
/// warning. On a fake clock: the waits are the barrier's polls.</summary>
public sealed class FolderBarrierTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-barrier-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly RunClock _clock;

    public FolderBarrierTests() => _clock = new RunClock(_time);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private FolderBarrier Barrier(int index, int count, List<string>? warnings = null, TimeSpan? timeout = null) =>
        new(_dir, new ShardSpec(index, count), _clock, w => warnings?.Add(w)) { Timeout = timeout ?? TimeSpan.FromMinutes(30) };

    private async Task<double> Settle(Task<double> waiting)
    {
        for (var i = 0; i < 1000 && !waiting.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            await Task.Yield();
            await Task.Delay(1); // let the poll's continuation read the folder (real I/O)
        }

        return await waiting;
    }

    [Fact]
    public async Task EveryShard_LearnsOneStart_TheLastArrivalPlusTheLead()
    {
        var first = Barrier(1, 2).ArriveAsync(3, CancellationToken.None);
        Assert.False(first.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2)); // shard 2 finishes its previous step 2 s later
        var second = await Settle(Barrier(2, 2).ArriveAsync(3, CancellationToken.None));
        var start = await Settle(first);

        // The same instant for both, 250 ms after shard 2 arrived (run-clock ms of one provider, so comparable).
        Assert.Equal(second, start, 3);
        Assert.True(File.Exists(Path.Combine(_dir, "3-1.ready")) && File.Exists(Path.Combine(_dir, "3-2.ready")));
        Assert.Equal(2_000 + FolderBarrier.Lead.TotalMilliseconds, start, 3);
    }

    [Fact]
    public async Task AShardThatLeft_IsNotWaitedFor()
    {
        Barrier(2, 2).Leave();

        var start = await Settle(Barrier(1, 2).ArriveAsync(0, CancellationToken.None));

        Assert.True(File.Exists(Path.Combine(_dir, "2.left")));
        Assert.True(double.IsFinite(start));
    }

    [Fact]
    public async Task AShardThatNeverComes_IsGivenUpOnAfterTheTimeout_WithAWarning()
    {
        var warnings = new List<string>();
        var waiting = Barrier(1, 3, warnings, TimeSpan.FromSeconds(5)).ArriveAsync(1, CancellationToken.None);
        _ = Barrier(3, 3).ArriveAsync(1, CancellationToken.None); // shard 3 comes, shard 2 never does

        await Settle(waiting);

        var warning = Assert.Single(warnings);
        Assert.Equal("step 2: shard(s) 2 had not arrived 5 s after this one; it went on without them", warning);
    }
}
