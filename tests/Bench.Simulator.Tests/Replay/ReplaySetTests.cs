using Bench.Core.Configuration;
using Bench.Simulator.Profiles;
using Bench.Simulator.Replay;
using static Bench.Simulator.Tests.Replay.Recordings;

namespace Bench.Simulator.Tests.Replay;

public sealed class ReplaySetTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_Folder_ReadsEverySseFileInOrdinalOrderAndNothingElse()
    {
        _folder.Write("b.sse", Paced);
        _folder.Write("a.sse", Role + Content("x") + Done);
        _folder.Write("B.sse", Paced);
        _folder.Write("notes.md", "not a recording");
        _folder.Write("sub/c.sse", Paced);

        var set = ReplaySet.Load(_folder.Path);

        Assert.Equal(["B.sse", "a.sse", "b.sse"], set.Files);
        Assert.Equal(_folder.Path, set.Folder);
        Assert.Equal(ReplayPick.RoundRobin, set.Pick);
    }

    [Fact]
    public void Load_MissingFolder_ThrowsWithTheFullPath()
    {
        var missing = Path.Combine(_folder.Path, "missing");

        var exception = Assert.Throws<ConfigException>(() => ReplaySet.Load(missing));

        Assert.Equal([$"{missing}: $: folder not found: {missing}"], exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_NoSseFileOrAnEmptyOne_Throws()
    {
        _folder.Write("readme.txt", "x");
        var none = Assert.Throws<ConfigException>(() => ReplaySet.Load(_folder.Path));
        var empty = _folder.Write("empty.sse", "");
        var withEmpty = Assert.Throws<ConfigException>(() => ReplaySet.Load(_folder.Path));

        Assert.Equal([$"{_folder.Path}: $: no recorded streams (*.sse) in {_folder.Path}"], none.Errors.Select(e => e.ToString()));
        Assert.Equal(
            [$"{_folder.Path}: $: {empty} is empty: a recording needs at least one event"], withEmpty.Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData(0L, "a.sse")]
    [InlineData(1L, "b.sse")]
    [InlineData(2L, "c.sse")]
    [InlineData(3L, "a.sse")]
    [InlineData(-1L, "c.sse")]
    [InlineData(long.MinValue, "b.sse")]
    public void Choose_RoundRobinWithRequestSeed_IsSeedModuloCount(long seed, string expected)
    {
        var set = ThreeRecordings(ReplayPick.RoundRobin);
        long turns = 0;

        var chosen = set.Choose(seed, ref turns, new Random(1));

        Assert.Equal(expected, Path.GetFileName(chosen.File));
        Assert.Equal(0, turns);
    }

    [Fact]
    public void Choose_RoundRobinWithoutSeed_TakesTurns()
    {
        var set = ThreeRecordings(ReplayPick.RoundRobin);
        long turns = 0;

        var chosen = Enumerable.Range(0, 5).Select(_ => Path.GetFileName(set.Choose(null, ref turns, new Random(1)).File));

        Assert.Equal(["a.sse", "b.sse", "c.sse", "a.sse", "b.sse"], chosen);
    }

    [Fact]
    public void Choose_Random_SameSeedSameRecordingAndEveryRecordingUsed()
    {
        var set = ThreeRecordings(ReplayPick.Random);
        long turns = 0;

        string Pick(int seed) => Path.GetFileName(set.Choose(null, ref turns, new Random(seed)).File);

        Assert.All(Enumerable.Range(0, 20), seed => Assert.Equal(Pick(seed), Pick(seed)));
        Assert.Equal(3, Enumerable.Range(0, 60).Select(Pick).Distinct().Count());
    }

    private ReplaySet ThreeRecordings(ReplayPick pick)
    {
        foreach (var name in new[] { "a.sse", "b.sse", "c.sse" })
        {
            _folder.Write(name, Paced);
        }

        return ReplaySet.Load(_folder.Path, pick);
    }
}
