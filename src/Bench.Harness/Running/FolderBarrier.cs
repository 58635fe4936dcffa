using System.Globalization;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Load.Running;

namespace Bench.Harness.Running;

/// <summary>
/// The shards' meeting place before each step (<see cref="IStepBarrier"/>) in a folder they all see (<c>--sync-dir</c>:
/// the local <c>OUT/shards/.sync</c> of <c>bench run --shards N</c>, or a Kubernetes job's shared volume). Arriving at
/// step g, shard I writes <c>g-I.ready</c> holding the wall-clock time it arrived (written to a temporary name and
/// renamed, so a reader never sees half a file), then polls every 20 ms until every shard has arrived or left
/// (<c>I.left</c>, written when a shard's plan ends or is interrupted). The step starts <see cref="Lead"/> after the last
/// arrival: every shard computes the same instant from the same files, on its own clock (so shards on other hosts agree
/// as well as their clocks do). A shard missing past <see cref="Timeout"/> (killed without leaving) is given up on: the
/// others go on and say so.
/// </summary>
/// <param name="directory">The shared folder (created when missing).</param>
/// <param name="shard">This shard.</param>
/// <param name="clock">The run clock the returned start is on.</param>
/// <param name="warn">Receives a warning when the others go on without a shard.</param>
internal sealed class FolderBarrier(string directory, ShardSpec shard, RunClock clock, Action<string> warn) : IStepBarrier
{
    /// <summary>From the last arrival to the step's start: longer than a poll and a file's way to every shard.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a shard waits for the others at one step before going on without them (a step's drain is
    /// bounded by the request timeout; an iteration step may take a shard much longer than another: generous).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <inheritdoc />
    public async Task<double> ArriveAsync(long step, CancellationToken cancellationToken)
    {
        var time = clock.TimeProvider;
        Directory.CreateDirectory(directory);
        var arrived = time.GetUtcNow();
        Write(Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{step}-{shard.Index}.ready")), arrived.UtcTicks.ToString(CultureInfo.InvariantCulture));
        var giveUp = arrived + Timeout;
        while (true)
        {
            var last = arrived.UtcTicks;
            var missing = new List<int>();
            for (var i = 1; i <= shard.Count; i++)
            {
                var ready = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{step}-{i}.ready"));
                if (Read(ready) is { } ticks)
                {
                    last = Math.Max(last, ticks);
                }
                else if (!File.Exists(Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{i}.left"))))
                {
                    missing.Add(i);
                }
            }

            var now = time.GetUtcNow();
            if (missing.Count == 0 || now >= giveUp)
            {
                if (missing.Count > 0)
                {
                    warn(string.Create(CultureInfo.InvariantCulture,
                        $"step {step + 1}: shard(s) {string.Join(", ", missing)} had not arrived {Timeout.TotalSeconds:0} s after this one; it went on without them"));
                    return clock.NowMs();
                }

                var start = new DateTimeOffset(last, TimeSpan.Zero) + Lead;
                return clock.NowMs() + (start - now).TotalMilliseconds;
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Leave() => MarkLeft(directory, shard.Index);

    /// <summary>Says shard <paramref name="index"/> will arrive nowhere else: by the shard itself, or by whoever saw it
    /// exit (<c>bench run --shards</c>'s parent, for a child killed before it could say so).</summary>
    public static void MarkLeft(string directory, int index)
    {
        try
        {
            Directory.CreateDirectory(directory);
            Write(Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{index}.left")), "");
        }
        catch (IOException)
        {
            // The others then wait for this shard until their timeout: nothing better can be done from here.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Write(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private static long? Read(string path)
    {
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
        }
        catch (IOException)
        {
            return null; // being renamed into place: read on the next poll
        }
    }
}
