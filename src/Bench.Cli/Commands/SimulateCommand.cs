using System.CommandLine;
using Bench.Harness.Simulating;

namespace Bench.Cli.Commands;

/// <summary><c>bench simulate</c>: calls <see cref="SimulatorHarness.ServeAsync"/>.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8080 };
        var profiles = new Option<string>("--profiles") { Description = "Folder of model profiles.", DefaultValueFactory = _ => "scenarios/profiles" };
        var apiKey = new Option<string?>("--api-key") { Description = "Accept only this key (default: any non-empty Bearer key)." };
        var seed = new Option<int>("--seed") { Description = "Seed for the simulator's draws.", DefaultValueFactory = _ => 42 };
        var batchTimeScale = new Option<double>("--batch-time-scale")
        {
            Description = "Simulated seconds per real second of the Batch API's clock (600: a 24 h window lasts 144 s).",
            DefaultValueFactory = _ => 1,
        };
        var timings = new Option<string?>("--timings")
        {
            Description = "Append the simulator's record of every chat completion request (received, first-token and last-byte Stopwatch ticks, by X-Bench-Request-Id) to this JSONL file as requests complete.",
        };
        var command = new Command("simulate", "Serve the OpenAI-compatible simulator on 127.0.0.1 until Ctrl+C.") { port, profiles, apiKey, seed, batchTimeScale, timings };
        command.SetAction((parse, cancellationToken) => SimulatorHarness.ServeAsync(parse.GetValue(port), parse.GetValue(profiles)!,
            parse.GetValue(apiKey), parse.GetValue(seed), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken,
            parse.GetValue(batchTimeScale), parse.GetValue(timings)));
        return command;
    }
}
