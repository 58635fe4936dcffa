using Bench.Core.Results;

namespace Bench.Harness.Tests.TestSupport;

/// <summary>Waits on a run's <c>records.jsonl</c> while the run writes it.</summary>
internal static class RecordsFile
{
    /// <summary>How long a test waits for a condition before it calls the run hung (a guard, not a deadline).</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    /// <summary>Completes once the results folder's records file holds at least <paramref name="lines"/> whole lines.</summary>
    /// <exception cref="TimeoutException">Not within <see cref="HangGuard"/>.</exception>
    public static async Task WaitForLinesAsync(string directory, int lines)
    {
        var path = Path.Combine(directory, ResultsDirectory.RecordsFile);
        using var hang = new CancellationTokenSource(HangGuard);
        while (CountLines(path) < lines)
        {
            try
            {
                await Task.Delay(20, hang.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{path} did not reach {lines} lines within {HangGuard}.");
            }
        }
    }

    /// <summary>Whole lines in <paramref name="path"/> so far (0 when it does not exist yet).</summary>
    public static int CountLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[64 * 1024];
        var count = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return count;
    }
}
