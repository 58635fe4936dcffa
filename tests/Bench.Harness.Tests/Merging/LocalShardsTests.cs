using Bench.Core.Planning;
using Bench.Harness.Merging;

namespace Bench.Harness.Tests.Merging;

public sealed class LocalShardsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public void ChildArguments_DropTheFlagsTheParentHandles_InEitherForm_AndAddTheShardsOwn()
    {
        string[] given = ["scenarios/ci.json", "--shards", "3", "--out=results/x", "--models", "a,b", "--force", "false", "--start-at:2026-01-01T00:00:00Z", "--pdf", "--paper", "letter", "--seed", "7"];

        var child = LocalShards.ChildArguments(given, new ShardSpec(2, 3), At, "results/x/shards/shard-2", force: true);

        Assert.Equal(["scenarios/ci.json", "--models", "a,b", "--seed", "7", "--shard", "2/3", "--start-at", "2026-12-01T10:00:00.250Z", "--out", "results/x/shards/shard-2",
            "--sync-dir", Path.Combine("results/x/shards", ".sync"), "--force"], child);
    }

    [Theory]
    [InlineData(new[] { 0, 0 }, 0)]
    [InlineData(new[] { 0, 1 }, 1)]
    [InlineData(new[] { 1, 2 }, 2)]
    [InlineData(new[] { 2, 99, 1 }, 99)]
    [InlineData(new[] { 99, 143, 0 }, 143)]
    [InlineData(new[] { 0, 7 }, 1)]
    public void Worst_FollowsTheExitCodesPrecedence(int[] codes, int worst) => Assert.Equal(worst, LocalShards.Worst(codes));
}
