using System.CommandLine;
using Bench.Core.Configuration;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;

namespace Bench.Cli.Commands;

/// <summary><c>bench simulate</c>: runs the simulator standalone until Ctrl+C, for other tools to measure.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8080 };
        var profiles = new Option<string>("--profiles") { Description = "Folder of model profiles.", DefaultValueFactory = _ => "scenarios/profiles" };
        var apiKey = new Option<string?>("--api-key") { Description = "Accept only this key (default: any non-empty Bearer key)." };
        var seed = new Option<int>("--seed") { Description = "Seed for the simulator's draws.", DefaultValueFactory = _ => 42 };
        var command = new Command("simulate", "Serve the OpenAI-compatible simulator on 127.0.0.1 until Ctrl+C.") { port, profiles, apiKey, seed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(profiles)!;
            if (!Directory.Exists(folder))
            {
                folder = Path.Combine(AppContext.BaseDirectory, folder);
            }

            IReadOnlyList<ModelProfile> loaded;
            try
            {
                loaded = ProfileLoader.LoadDirectory(folder);
            }
            catch (ConfigException e)
            {
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
            {
                Port = parse.GetValue(port),
                ApiKey = parse.GetValue(apiKey),
                Profiles = loaded,
                Seed = parse.GetValue(seed),
            }, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Simulator listening on {host.BaseUrl} with models: {string.Join(", ", loaded.Select(p => p.Model))}. Ctrl+C to stop.");
            try
            {
                await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }
}
