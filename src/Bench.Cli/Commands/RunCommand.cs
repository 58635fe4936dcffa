using System.CommandLine;
using Bench.Cli.Running;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;

namespace Bench.Cli.Commands;

/// <summary><c>bench run</c>: runs a scenario (default <c>scenarios/default.json</c>) and writes a results folder.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string?>("scenario") { Description = "Scenario file (default: scenarios/default.json).", Arity = ArgumentArity.ZeroOrOne };
        var quick = new Option<bool>("--quick") { Description = "A small run (8 requests per cell at concurrency 8, max_tokens 64): a smoke test in ~20 s." };
        var output = new Option<string?>("--out") { Description = "Results folder (default: results/<yyyyMMdd-HHmmss>-<scenario>)." };
        var models = new Option<string?>("--models") { Description = "Comma-separated models, e.g. gpt-4.1,deepseek-v3.2." };
        var modes = new Option<string?>("--modes") { Description = "Comma-separated modes: streaming,non-streaming." };
        var requests = new Option<int?>("--requests") { Description = "Requests per model × mode (closed load)." };
        var concurrency = new Option<int?>("--concurrency") { Description = "Requests in flight at once (closed load)." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "max_tokens per request." };
        var seed = new Option<int?>("--seed") { Description = "Seed for prompts and the simulator." };
        var baseUrl = new Option<string?>("--base-url") { Description = "Measure a real OpenAI-compatible endpoint, e.g. https://api.openai.com/v1." };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding the API key (default OPENAI_API_KEY)." };
        var load = new Option<string?>("--load") { Description = "Ad-hoc workload replacing the scenario's: inject, poisson, ramping_inject, iterations_for_inject, keep_constant, ramping_constant, iterations_for_constant, sweep." };
        var rate = new Option<double?>("--rate") { Description = "Requests per second for --load inject/poisson (start rate for sweep)." };
        var duration = new Option<string?>("--duration") { Description = "Duration for --load, e.g. 30s, 2m." };
        var maxConcurrency = new Option<int?>("--max-concurrency") { Description = "Cap on requests in flight for an open --load." };

        var command = new Command("run", "Measure streaming against non-streaming for each model and write a report.")
        {
            scenario, quick, output, models, modes, requests, concurrency, maxTokens, seed, baseUrl, apiKeyEnv, load, rate, duration, maxConcurrency,
        };
        var reportOptions = new ReportOptions();
        reportOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            RunOptions options;
            try
            {
                var report = new ReportSettings();
                reportOptions.Apply(parse, report);
                options = new RunOptions
                {
                    ScenarioPath = parse.GetValue(scenario),
                    Quick = parse.GetValue(quick),
                    OutputDirectory = parse.GetValue(output),
                    Models = SplitList(parse.GetValue(models)),
                    Modes = SplitList(parse.GetValue(modes))?.Select(ParseMode).ToList(),
                    Requests = Positive(parse.GetValue(requests), "--requests"),
                    Concurrency = Positive(parse.GetValue(concurrency), "--concurrency"),
                    MaxTokens = Positive(parse.GetValue(maxTokens), "--max-tokens"),
                    Seed = parse.GetValue(seed),
                    BaseUrl = parse.GetValue(baseUrl) is { } url ? ParseUrl(url) : null,
                    ApiKeyEnv = parse.GetValue(apiKeyEnv),
                    Load = parse.GetValue(load) is { } kind ? ParseKind(kind) : null,
                    Rate = parse.GetValue(rate),
                    Duration = parse.GetValue(duration) is { } d ? ParseDuration(d) : null,
                    MaxConcurrency = Positive(parse.GetValue(maxConcurrency), "--max-concurrency"),
                    Report = report,
                };
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            return await RunPipeline.ExecuteAsync(options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static StepKind ParseKind(string text) =>
        Enum.GetValues<StepKind>().FirstOrDefault(k => ScenarioLoader.Name(k) == text.Trim().Replace('-', '_')) is var kind
            && ScenarioLoader.Name(kind) == text.Trim().Replace('-', '_')
            ? kind
            : throw new ArgumentException($"--load: unknown workload '{text}'; use {string.Join(", ", Enum.GetValues<StepKind>().Select(ScenarioLoader.Name))}.");

    private static TimeSpan ParseDuration(string text) => Durations.TryParse(text, out var d) && d > TimeSpan.Zero
        ? d
        : throw new ArgumentException($"--duration: '{text}' is not a duration; use e.g. 30s, 2m, 500ms.");

    private static List<string>? SplitList(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static Mode ParseMode(string text) => Names.TryParseMode(text, out var mode)
        ? mode
        : throw new ArgumentException($"--modes: unknown mode '{text}'; use streaming, non-streaming.");

    private static int? Positive(int? value, string flag) => value is <= 0
        ? throw new ArgumentException($"{flag} must be at least 1 (got {value}).")
        : value;

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"--base-url: '{text}' is not an http(s) URL.");
}
