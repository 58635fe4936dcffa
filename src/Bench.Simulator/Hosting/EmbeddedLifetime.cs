using Microsoft.Extensions.Hosting;

namespace Bench.Simulator.Hosting;

/// <summary>
/// A host lifetime that ignores the console: the default one stops the host on Ctrl+C/SIGTERM, which would kill an
/// embedded simulator under a run that wants to finish gracefully. The owner stops it through
/// <see cref="SimulatorHost"/>.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
