namespace Bench.Core.Hosting;

/// <summary>
/// Keeps the thread pool from starving in a process that measures time. On a 2-core machine the pool starts with 2
/// threads and adds one about every half second while they are busy, so whatever blocks a pool thread in the same
/// process (file I/O, console rendering, a test runner's synchronous waits) holds up timers and I/O continuations for
/// hundreds of milliseconds: time a client would report as the endpoint's, sends an open schedule would make late,
/// and tokens a simulator would write late. Seen here: a test host stalled every timer for ~0.7 s until the floor
/// was raised. Idle threads cost nothing measurable.
/// </summary>
public static class ThreadPoolFloor
{
    /// <summary>Fewest worker and I/O completion threads kept ready.</summary>
    public const int MinThreads = 32;

    /// <summary>Raises the pool's minimum to <see cref="MinThreads"/> (never lowers it).</summary>
    public static void Ensure()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinThreads || completionPorts < MinThreads)
        {
            ThreadPool.SetMinThreads(Math.Max(workers, MinThreads), Math.Max(completionPorts, MinThreads));
        }
    }
}
