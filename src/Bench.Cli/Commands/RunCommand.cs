using System.CommandLine;
using Bench.Cli.Options;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Merging;
using Bench.Harness.Running;

namespace Bench.Cli.Commands;

/// <summary><c>bench run</c>: binds the flags to a <see cref="RunRequest"/> and calls <see cref="RunHarness.RunAsync"/>.</summary>
internal static class RunCommand
{
    /// <summary>Builds <c>bench run</c>; <paramref name="interrupts"/> (the process's signals) names the signal that
    /// stopped a run in its results.</summary>
    public static Command Create(Interrupts? interrupts = null)
    {
        var scenario = new Argument<string?>("scenario") { Description = "Scenario file (default: scenarios/default.json).", Arity = ArgumentArity.ZeroOrOne };
        // An unknown flag would otherwise be taken for the scenario's file name ("--bogus: file not found").
        scenario.Validators.Add(r =>
        {
            if (r.Tokens is [{ Value: ['-', _, ..] name }] && !File.Exists(name))
            {
                r.AddError($"unknown option '{name}' (bench run --help lists them).");
            }
        });
        var quick = new Option<bool>("--quick") { Description = "A small run (8 requests per cell at concurrency 8, max_tokens 64): a smoke test in ~20 s." };
        var output = new Option<string?>("--out") { Description = "Results folder (default: results/<yyyyMMdd-HHmmss>-<scenario>)." };
        var models = SharedOptions.Models("Models to run instead of the scenario's.");
        var modes = new Option<Mode[]?>("--modes")
        {
            Description = "Comma-separated modes: streaming,non-streaming,batch-api.",
            HelpName = "MODE[,MODE]",
            CustomParser = r => [.. r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(text => Names.TryParseMode(text, out var mode) ? mode : Error<Mode>(r, $"--modes: unknown mode '{text}'; use streaming, non-streaming, batch-api."))],
        };
        var requests = SharedOptions.Positive("--requests", "Requests per model × mode (closed load).");
        var concurrency = SharedOptions.Positive("--concurrency", "Requests in flight at once (closed load).");
        var maxTokens = SharedOptions.Positive("--max-tokens", "max_tokens per request.");
        var seed = new Option<int?>("--seed") { Description = "Seed for prompts and the simulator." };
        var baseUrl = new Option<Uri?>("--base-url")
        {
            Description = "Measure a real OpenAI-compatible endpoint instead of the scenario's one target, e.g. https://api.openai.com/v1 (a scenario with a targets list: edit it, or pick with --targets).",
            CustomParser = r => Uri.TryCreate(r.Tokens[^1].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : Error<Uri?>(r, $"--base-url: '{r.Tokens[^1].Value}' is not an http(s) URL."),
        };
        var targetNames = new Option<string[]>("--targets")
        {
            Description = "Run only these targets of the scenario's targets list (their names). Comma-separated and/or repeated.",
            HelpName = "NAME[,NAME...]",
            CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding the API key (default OPENAI_API_KEY)." };
        var kinds = Enum.GetValues<StepKind>();
        var load = new Option<StepKind?>("--load")
        {
            Description = $"Ad-hoc workload replacing the scenario's: {string.Join(", ", kinds.Select(ScenarioLoader.Name))}.",
            HelpName = "KIND",
            CustomParser = r => kinds.FirstOrDefault(k => ScenarioLoader.Name(k) == r.Tokens[^1].Value.Trim().Replace('-', '_')) is var kind
                && ScenarioLoader.Name(kind) == r.Tokens[^1].Value.Trim().Replace('-', '_')
                    ? kind
                    : Error<StepKind?>(r, $"--load: unknown workload '{r.Tokens[^1].Value}'; use {string.Join(", ", kinds.Select(ScenarioLoader.Name))}."),
        };
        var rate = new Option<double?>("--rate") { Description = "Requests per second for --load inject/poisson (start rate for sweep)." };
        var duration = SharedOptions.Duration("Duration for --load, e.g. 30s, 2m.");
        var maxConcurrency = SharedOptions.Positive("--max-concurrency", "Cap on requests in flight for an open --load.");
        var timeout = new Option<double?>("--timeout")
        {
            Description = "Per-request timeout in seconds (the scenario's request.timeout_s); a request still running then ends as 'timeout'.",
            HelpName = "SECONDS",
        };

        var command = new Command("run", "Measure streaming against non-streaming for each model and write a report. "
            + "Exit codes: 0 every cell had a successful request, 1 a cell had none or the endpoint refused the API key (stderr says why), "
            + "2 bad input (nothing sent; or --pdf could not print report.pdf), 130 Ctrl-C, 143 SIGTERM (both still write the report, marked as interrupted).")
        {
            scenario, quick, output, models, modes, requests, concurrency, maxTokens, seed, baseUrl, apiKeyEnv, load, rate, duration, maxConcurrency,
        };
        var trace = new Option<string?>("--trace")
        {
            Description = "Replay a timestamped trace as the workload (an open step replacing the scenario's measured ones): JSONL lines "
                + "{\"timestamp\": ms, \"input_length\" | \"prompt\" | \"messages\", \"output_length\", \"session_id\"?}, or Mooncake's "
                + "{\"timestamp\", \"input_length\", \"output_length\", \"hash_ids\"}. Each cell replays the whole trace.",
            HelpName = "FILE",
        };
        var speedup = new Option<double?>("--speedup")
        {
            Description = "Replay the trace X times faster (its gaps divided by X; default 1).",
            HelpName = "X",
        };
        command.Options.Add(trace);
        command.Options.Add(speedup);
        command.Options.Add(timeout);
        var dataset = new Option<string?>("--dataset")
        {
            Description = "A dataset of your own prompts (JSONL of {\"messages\": [...]}, or ShareGPT conversations), sampled with the seed; sets request.dataset (relative to the working directory).",
            HelpName = "FILE",
        };
        command.Options.Add(dataset);
        command.Options.Add(targetNames);
        var force = new Option<bool>("--force")
        {
            Description = "Start a non-empty --out folder afresh: only a Bench results folder, and only the files Bench wrote are deleted.",
        };
        var allowInsecureHttp = new Option<bool>("--allow-insecure-http")
        {
            Description = "Send the API key over plain http:// to a host other than this machine (refused otherwise).",
        };
        var noPreflight = new Option<bool>("--no-preflight")
        {
            Description = "Skip the look at a real endpoint before the run (GET {base-url}/models: unlisted models, a missing /v1, a refused key).",
        };
        command.Options.Add(force);
        command.Options.Add(allowInsecureHttp);
        command.Options.Add(noPreflight);
        var apiKeyFile = new Option<string?>("--api-key-file")
        {
            Description = "A file holding the API key on its first line, instead of an environment variable (the key never appears on the command line).",
            HelpName = "FILE",
        };
        command.Options.Add(apiKeyFile);
        var retries = new Option<int?>("--retries")
        {
            Description = "Retry each failed request up to N times (0-100) with exponential back-off and jitter, waiting what "
                + "Retry-After or the x-ratelimit-reset headers ask; replaces the scenario's resilience policies (0: none, the raw endpoint).",
            HelpName = "N",
        };
        command.Options.Add(retries);
        var repeat = new Option<int?>("--repeat")
        {
            Description = "Run the plan N times (1-1000) into one results folder, replicate r of every cell before replicate r+1 of any; "
                + "replicates.csv and summary.json's replicates block give per-replicate figures and their spread (bench compare uses them).",
            HelpName = "N",
        };
        command.Options.Add(repeat);
        var shard = new Option<ShardSpec?>("--shard")
        {
            Description = "Run only the I-th of N disjoint slices of the plan (I/N, e.g. 2/4): together the N shards send exactly the unsharded run's requests; "
                + "merge their folders with bench merge. Kubernetes Indexed Jobs pass JOB_COMPLETION_INDEX.",
            HelpName = "I/N",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (ShardSpec.TryParse(text, out var parsed, out var problem))
                {
                    return parsed;
                }

                result.AddError($"--shard: {problem}.");
                return null;
            },
        };
        command.Options.Add(shard);
        var shards = SharedOptions.Positive("--shards", "Run the plan as N shards, each its own process on this host, then merge them into --out (bench merge).");
        command.Options.Add(shards);
        var startAt = new Option<DateTimeOffset?>("--start-at")
        {
            Description = "Start at this wall-clock time (ISO 8601, e.g. 2026-12-01T10:00:00Z), so the shards of one run start together.",
            HelpName = "TIME",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var at))
                {
                    return at;
                }

                result.AddError($"--start-at: '{text}' is not a time such as 2026-12-01T10:00:00Z.");
                return null;
            },
        };
        command.Options.Add(startAt);
        var syncDir = new Option<string?>("--sync-dir")
        {
            Description = "A folder every shard sees (a shared volume): the shards meet there before each step, so every step starts at one instant in all of them "
                + "(bench run --shards and bench kube render set it). Without it only the first step is aligned, by --start-at.",
            HelpName = "DIR",
        };
        command.Options.Add(syncDir);
        var batchPollInterval = new Option<double?>("--batch-poll-interval")
        {
            Description = "Seconds between a batch's first status polls (then 1.5× per poll without a new status, up to batch.max_poll_interval_s; "
                + "at least what a 429 or Retry-After asks). Default 5 against a real endpoint, 0.25 against the embedded simulator.",
            HelpName = "SECONDS",
        };
        var batchTimeout = new Option<double?>("--batch-timeout")
        {
            Description = "Seconds to wait for a batch from its creation (default 93600, 26 h); then --batch-on-timeout decides.",
            HelpName = "SECONDS",
        };
        var batchOnTimeout = new Option<BatchTimeoutAction?>("--batch-on-timeout")
        {
            Description = "At --batch-timeout: cancel the batch and read what ran (default), or leave it running (collect it later with --resume).",
            HelpName = "cancel|leave",
            CustomParser = r => r.Tokens[^1].Value.Trim().ToLowerInvariant() switch
            {
                "cancel" => BatchTimeoutAction.Cancel,
                "leave" => BatchTimeoutAction.Leave,
                var other => Error<BatchTimeoutAction?>(r, $"--batch-on-timeout: unknown action '{other}'; use cancel or leave."),
            },
        };
        var resume = new Option<string?>("--resume")
        {
            Description = "Resume the run in results folder DIR: collect its batches without submitting a line twice (adopting a batch "
                + "created but not recorded), run the synchronous cells it never started; records are appended and the report rebuilt.",
            HelpName = "DIR",
        };
        command.Options.Add(batchPollInterval);
        command.Options.Add(batchTimeout);
        command.Options.Add(batchOnTimeout);
        command.Options.Add(resume);
        var threshold = SharedOptions.Threshold("A threshold judged on every cell it names at the end of the run, added to the scenario's thresholds; any failing one exits 99.");
        command.Options.Add(threshold);
        var report = new ReportFlags();
        report.AddTo(command);
        var pdf = new PdfFlags();
        pdf.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new RunRequest
            {
                ScenarioPath = parse.GetValue(scenario),
                OutputDirectory = parse.GetValue(output),
                Force = parse.GetValue(force),
                AllowInsecureHttp = parse.GetValue(allowInsecureHttp),
                Preflight = !parse.GetValue(noPreflight),
                Overrides = new PlanOverrides
                {
                    Quick = parse.GetValue(quick),
                    Models = parse.GetResult(models) is null ? null : parse.GetValue(models),
                    Modes = parse.GetResult(modes) is null ? null : parse.GetValue(modes),
                    Requests = parse.GetValue(requests),
                    Concurrency = parse.GetValue(concurrency),
                    MaxTokens = parse.GetValue(maxTokens),
                    Seed = parse.GetValue(seed),
                    BaseUrl = parse.GetValue(baseUrl),
                    Targets = parse.GetResult(targetNames) is null ? null : parse.GetValue(targetNames),
                    ApiKeyEnv = parse.GetValue(apiKeyEnv),
                    ApiKeyFile = parse.GetValue(apiKeyFile),
                    Load = parse.GetValue(load),
                    Trace = parse.GetValue(trace),
                    Speedup = parse.GetValue(speedup),
                    Rate = parse.GetValue(rate),
                    Duration = parse.GetValue(duration),
                    MaxConcurrency = parse.GetValue(maxConcurrency),
                    TimeoutS = parse.GetValue(timeout),
                    Dataset = parse.GetValue(dataset),
                    Retries = parse.GetValue(retries),
                    Repeat = parse.GetValue(repeat),
                    Shard = parse.GetValue(shard),
                    Shards = parse.GetValue(shards),
                    StartAt = parse.GetValue(startAt),
                    BatchPollIntervalS = parse.GetValue(batchPollInterval),
                    BatchTimeoutS = parse.GetValue(batchTimeout),
                    BatchOnTimeout = parse.GetValue(batchOnTimeout),
                    Thresholds = parse.GetValue(threshold) is { Length: > 0 } thresholds ? thresholds : null,
                },
                ResumeDirectory = parse.GetValue(resume),
                SyncDirectory = parse.GetValue(syncDir),
                Report = report.Read(parse).ApplyTo(new ReportSettings()),
                Pdf = pdf.Read(parse),
                Interrupts = interrupts,
            };
            var config = parse.InvocationConfiguration;
            // --shards N: N children of this build, each `run` with these arguments and its own --shard I/N, then merged.
            var outcome = request.Overrides.Shards is not null
                ? await LocalShards.RunAsync(new LocalShardsRequest { Run = request, Arguments = [.. parse.Tokens.SkipWhile(t => t.Value != command.Name).Skip(1).Select(t => t.Value)] },
                    config.Output, config.Error, cancellationToken).ConfigureAwait(false)
                : await RunHarness.RunAsync(request, config.Output, config.Error, cancellationToken).ConfigureAwait(false);
            return outcome.ExitCode;
        });
        return command;
    }

    private static T Error<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
