using Bench.Core.Planning;

namespace Bench.Core.Tests.Planning;

public sealed class ShardSpecTests
{
    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("2/4", 2, 4)]
    [InlineData(" 3 / 3 ", 3, 3)]
    public void TryParse_IOfN(string text, int index, int count)
    {
        Assert.True(ShardSpec.TryParse(text, out var shard, out var error), error);
        Assert.Equal(new ShardSpec(index, count), shard);
    }

    [Theory]
    [InlineData("", "is not a shard")]
    [InlineData("2", "is not a shard")]
    [InlineData("0/2", "need 1 ≤ I ≤ N ≤ 1000")]
    [InlineData("3/2", "need 1 ≤ I ≤ N ≤ 1000")]
    [InlineData("1/1001", "need 1 ≤ I ≤ N ≤ 1000")]
    [InlineData("-1/2", "is not a shard")]
    public void TryParse_Refuses(string text, string reason)
    {
        Assert.False(ShardSpec.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Takes_RoundRobin_EveryItemExactlyOnce()
    {
        var shards = Enumerable.Range(1, 3).Select(i => new ShardSpec(i, 3)).ToList();

        Assert.All(Enumerable.Range(0, 30), k => Assert.Single(shards, s => s.Takes(k)));
        Assert.Equal([1L, 4, 7], Enumerable.Range(0, 9).Where(k => shards[1].Takes(k)).Select(k => (long)k));
    }
}
