using System.Diagnostics;

namespace Bench.Simulator.Tests;

/// <summary>Waits for a condition the test cannot await directly (a request reaching the server, a report arriving):
/// polls it, never sleeps a fixed time before looking. The limit is a safety net against a hang, not a deadline: on a
/// busy machine a condition that will come true is waited for as long as it takes, up to a minute.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);

    /// <summary>Returns once <paramref name="condition"/> holds; fails naming <paramref name="what"/> after a minute.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < Hang, $"still waiting after a minute for {what}");
            await Task.Delay(1);
        }
    }
}
