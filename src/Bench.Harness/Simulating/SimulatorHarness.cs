using Bench.Core.Configuration;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;

namespace Bench.Harness.Simulating;

/// <summary><c>bench simulate</c>: serves the OpenAI-compatible simulator on 127.0.0.1 until cancelled, for other
/// tools to measure.</summary>
public static class SimulatorHarness
{
    /// <summary>Loads the profiles and serves them until <paramref name="cancellationToken"/> fires (Ctrl-C).</summary>
    /// <param name="port">Port on 127.0.0.1; 0 picks a free one.</param>
    /// <param name="profilesFolder">Folder of model profiles, relative to the working directory or, failing that, to
    /// the installed <c>bench</c>.</param>
    /// <param name="apiKey">The only key accepted; <see langword="null"/> accepts any non-empty Bearer key.</param>
    /// <param name="seed">Seed of the simulator's draws.</param>
    /// <param name="output">The address and models served.</param>
    /// <param name="error">Why the profiles could not be loaded.</param>
    /// <param name="cancellationToken">Stops the server.</param>
    /// <param name="batchTimeScale">Simulated seconds per real second of the Batch API's clock
    /// (<see cref="SimulatorOptions.BatchTimeScale"/>; <c>--batch-time-scale</c>), a finite number &gt; 0; 1 is real
    /// time.</param>
    /// <param name="timingsPath">Where to append the simulator's record of every chat completion request as it completes
    /// (<see cref="TimingsFile"/>, <c>--timings</c>); <see langword="null"/> for none.</param>
    /// <returns><see cref="ExitCodes.Success"/> once stopped, or <see cref="ExitCodes.BadInput"/> for a missing folder, invalid
    /// profiles, a batch time scale that is not a number &gt; 0 or a timings file that cannot be created.</returns>
    /// <remarks>Raises the soft descriptor limit to the hard one first (<see cref="Core.Hosting.DescriptorLimit.RaiseToHard"/>):
    /// a server holds as many connections as its clients open.</remarks>
    public static async Task<int> ServeAsync(int port, string profilesFolder, string? apiKey, int seed, TextWriter output, TextWriter error,
        CancellationToken cancellationToken, double batchTimeScale = 1, string? timingsPath = null)
    {
        if (!(batchTimeScale > 0) || !double.IsFinite(batchTimeScale))
        {
            await error.WriteLineAsync($"--batch-time-scale: {batchTimeScale} is not a finite number > 0 (simulated seconds per real second).")
                .ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        ArgumentNullException.ThrowIfNull(profilesFolder);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var folder = Directory.Exists(profilesFolder) ? profilesFolder : Path.Combine(AppContext.BaseDirectory, profilesFolder);
        IReadOnlyList<ModelProfile> loaded;
        try
        {
            loaded = ProfileLoader.LoadDirectory(folder);
        }
        catch (Exception e) when (e is ConfigException or DirectoryNotFoundException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        TimingsFile? timings = null;
        if (timingsPath is not null)
        {
            try
            {
                timings = TimingsFile.Create(timingsPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"--timings: {timingsPath}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
        }

        await using var _ = timings;
        Core.Hosting.DescriptorLimit.RaiseToHard();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            OnCompleted = timings is null ? null : timings.Add,
            Port = port,
            ApiKey = apiKey,
            Profiles = loaded,
            Seed = seed,
            BatchTimeScale = batchTimeScale,
        }, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"Simulator listening on {host.BaseUrl} with models: {string.Join(", ", loaded.Select(p => p.Model))}. Ctrl+C to stop.")
            .ConfigureAwait(false);
        if (batchTimeScale != 1)
        {
            await output.WriteLineAsync(FormattableString.Invariant(
                $"Batch API clock: {batchTimeScale:0.###} simulated seconds per real second (batch times are simulated).")).ConfigureAwait(false);
        }
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return ExitCodes.Success;
    }
}
