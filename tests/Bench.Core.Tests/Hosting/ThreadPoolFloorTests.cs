using Bench.Core.Hosting;

namespace Bench.Core.Tests.Hosting;

public class ThreadPoolFloorTests
{
    [Fact]
    public void Ensure_RaisesTheMinimum_NeverLowersIt()
    {
        ThreadPoolFloor.Ensure();
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        Assert.True(workers >= ThreadPoolFloor.MinThreads);
        Assert.True(completionPorts >= ThreadPoolFloor.MinThreads);

        ThreadPool.SetMinThreads(workers + 1, completionPorts + 1);
        ThreadPoolFloor.Ensure();
        ThreadPool.GetMinThreads(out var after, out var afterPorts);
        Assert.Equal(workers + 1, after);
        Assert.Equal(completionPorts + 1, afterPorts);
    }
}
