using System.Runtime.CompilerServices;

namespace Bench.Simulator.Tests;

/// <summary>Process-wide settings for the test run.</summary>
internal static class TestAssemblySetup
{
    /// <summary>
    /// Raises the thread pool's minimum worker and I/O threads. On a 2-core machine the pool starts with 2 threads; when
    /// tests running in parallel occupy them with cold, JIT-heavy library work (schema loading, the OpenAI SDK), the
    /// in-process servers' and clients' continuations wait until the pool injects threads, about twice a second, which
    /// stalled timing assertions by up to a second.
    /// </summary>
    [ModuleInitializer]
    internal static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));
    }
}
