using System.Collections.Frozen;
using System.Net;
using Bench.Core.Configuration;
using Bench.Simulator.Endpoints;
using Bench.Simulator.Generation;
using Bench.Simulator.Profiles;
using Bench.Simulator.Replay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bench.Simulator.Hosting;

/// <summary>
/// The simulator: an OpenAI-compatible server on Kestrel at <c>http://127.0.0.1:&lt;port&gt;/v1/</c>, embedded in-process
/// by <c>bench run</c> and standalone under <c>bench simulate</c>.
/// </summary>
/// <remarks>
/// <para>Endpoints, all behind the API key (<c>Authorization: Bearer &lt;key&gt;</c>, <c>x-api-key</c> or
/// <c>x-goog-api-key</c>: <see cref="Endpoints.ApiKeyCheck"/>; 401 in the request's protocol's shape otherwise):
/// <c>POST /v1/chat/completions</c> (JSON or Server-Sent Events; 400 for a malformed body, 404
/// <c>model_not_found</c> for a model without a profile), the same answers in the other wire protocols —
/// <c>POST /v1/responses</c> (OpenAI Responses), <c>POST /v1/messages</c> (Anthropic Messages),
/// <c>POST /v1/models/{model}:generateContent</c> and <c>:streamGenerateContent?alt=sse</c> (Gemini) — drawn from the
/// same profiles and plans, and <c>GET /v1/models</c> (OpenAI's list, or Anthropic's or Gemini's by the request's
/// headers); OpenAI's Files and Batch APIs
/// (<c>/v1/files</c>, <c>/v1/batches</c>: <see cref="Batches.BatchEngine"/>), whose clock runs
/// <see cref="SimulatorOptions.BatchTimeScale"/> simulated seconds per real second.</para>
/// <para>Each request's random draws (fault, TTFT, answer length, decode jitter, text) come from a generator seeded by
/// <see cref="SimulatorOptions.Seed"/>, the model and the request's <c>seed</c> field, or the simulator's request
/// counter when it has none: requests with the same seed get the same answer and timing in any arrival order.</para>
/// <para>A profile may limit how many of its requests are served at once (<see cref="CapacityLimit"/>; the others
/// queue in arrival order) and may serve recorded streams instead of generated text (<see cref="ReplaySet"/>).</para>
/// <para>Faults (<see cref="Bench.Core.Faults.FaultRule"/>: the profiles' <c>faults</c>, then
/// <see cref="SimulatorOptions.Faults"/>) are drawn per request by <c>Faults/FaultEngine</c> — one uniform draw walks
/// the rules that apply to the request's model and mode and are active on the fault clock, the first hit wins; attempt
/// 1 uses the request's first random draw, a later attempt (<c>X-Bench-Attempt</c>) its own source — and per new
/// connection for <c>connection_refused</c>. A model with RPM/TPM limits (<see cref="SimulatorOptions.RateLimits"/>,
/// else its profile's <c>rate_limits</c>) answers 429 from token buckets when over either, and every response of it
/// carries OpenAI's <c>x-ratelimit-*</c> headers. Each injection is reported once through
/// <see cref="SimulatorOptions.OnInjected"/>.</para>
/// <para>The server reads no configuration files or environment variables, logs nothing and ignores Ctrl+C: its owner
/// stops it with <see cref="DisposeAsync"/>.</para>
/// </remarks>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ChatCompletionsEndpoint _chatCompletions;
    private readonly Faults.FaultClock _faultClock;
    private readonly Faults.FaultEngine _faults;

    private SimulatorHost(WebApplication app, ChatCompletionsEndpoint chatCompletions, Faults.FaultClock faultClock, Faults.FaultEngine faults, int port)
    {
        _faults = faults;
        _app = app;
        _chatCompletions = chatCompletions;
        _faultClock = faultClock;
        Port = port;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/v1/");
    }

    /// <summary>Base URL of the API, with a trailing slash, e.g. <c>http://127.0.0.1:41234/v1/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The TCP port bound on 127.0.0.1 (the chosen one when <see cref="SimulatorOptions.Port"/> is 0).</summary>
    public int Port { get; }

    /// <summary>Starts the server and returns once it accepts connections.</summary>
    /// <exception cref="ConfigException">A profile is invalid, two profiles share a model id, or there is
    /// none; or a rule of <see cref="SimulatorOptions.Faults"/> or <see cref="SimulatorOptions.RateLimits"/> is
    /// invalid.</exception>
    /// <exception cref="IOException">The port cannot be bound.</exception>
    public static async Task<SimulatorHost> StartAsync(
        SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AddedLatency, TimeSpan.Zero);
        Bench.Core.Hosting.ThreadPoolFloor.Ensure(); // tokens written late would be the simulator's error, not the endpoint's
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        var samplers = CreateSamplers(options.Profiles, options.TimeProvider);
        foreach (var model in samplers.Keys)
        {
            // Load each family's tokenizer now (about a quarter of a second the first time in a process), not in the
            // first request's TTFT: the simulator counts every prompt with it.
            _ = Bench.Core.Tokens.TokenCounter.ForModel(model);
        }

        var faultClock = new Faults.FaultClock(options.TimeProvider);
        var faults = CreateFaultEngine(options, samplers, faultClock);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Use(next => connection =>
            {
                // Connection refused (a fault drawn per connection): closed with a reset before anything is read.
                if (faults.RefusesConnections && faults.RefuseConnection())
                {
                    Faults.FaultResponses.Refuse(connection);
                    return Task.CompletedTask;
                }

                return next(connection);
            }));
        });

        var app = builder.Build();
        var apiKeyCheck = new ApiKeyCheck(options.ApiKey);
        var chatCompletions = new ChatCompletionsEndpoint(samplers, options.Seed, options.OnCompleted, options.TimeProvider, faults);
        var models = new ModelsEndpoint(options.Profiles, options.TimeProvider.GetUtcNow().ToUnixTimeSeconds());
        if (options.AddedLatency > TimeSpan.Zero)
        {
            // A relay in front of the provider: every response held before anything else happens to the request.
            var added = options.AddedLatency;
            var clock = options.TimeProvider;
            app.Use(async (context, next) =>
            {
                await Deadline.DelayUntilAsync(clock, clock.GetTimestamp() + (long)(added.TotalSeconds * clock.TimestampFrequency), context.RequestAborted);
                await next(context);
            });
        }

        if (!options.Keyless)
        {
            app.Use(apiKeyCheck.InvokeAsync);
        }
        app.MapPost("/v1/chat/completions", chatCompletions.HandleAsync);
        app.MapPost("/v1/responses", chatCompletions.HandleResponsesAsync);
        app.MapPost("/v1/messages", chatCompletions.HandleMessagesAsync);
        app.MapPost("/v1/models/{**target}", chatCompletions.HandleGeminiAsync); // a catch-all: model ids may hold a slash
        app.MapGet("/v1/models", models.HandleAsync);
        var files = new Batches.FileStore(options.Seed);
        var batches = new Batches.BatchesEndpoints(
            new Batches.BatchEngine(samplers, options, files, new Batches.BatchClock(options.TimeProvider, options.BatchTimeScale)),
            options.MaxUploadBytes);
        app.MapPost("/v1/files", batches.UploadFileAsync);
        app.MapGet("/v1/files", batches.ListFilesAsync);
        app.MapGet("/v1/files/{id}", batches.GetFileAsync);
        app.MapGet("/v1/files/{id}/content", batches.GetFileContentAsync);
        app.MapDelete("/v1/files/{id}", batches.DeleteFileAsync);
        app.MapPost("/v1/batches", batches.CreateBatchAsync);
        app.MapGet("/v1/batches", batches.ListBatchesAsync);
        app.MapGet("/v1/batches/{id}", batches.GetBatchAsync);
        app.MapPost("/v1/batches/{id}/cancel", batches.CancelBatchAsync);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SimulatorHost(app, chatCompletions, faultClock, faults, new Uri(address).Port);
    }

    /// <summary>Restarts the fault clock: fault windows count from now again and the rate-limit buckets refill, so the
    /// next cell of an embedded run meets the same incidents and limits as the first. Returns the new epoch's number
    /// (<see cref="Bench.Core.Faults.InjectionRecord.Epoch"/>).</summary>
    public int BeginFaultEpoch() => _faultClock.Begin();

    /// <summary>Chat completion requests for a served model taken so far: a test on a fake clock holds time until the
    /// requests it sent at once have all arrived.</summary>
    internal long RequestsTaken => _chatCompletions.RequestsTaken;

    /// <summary>Completes when <paramref name="cancellationToken"/> is cancelled (e.g. by Ctrl+C in
    /// <c>bench simulate</c>), after stopping the server gracefully.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) =>
        _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the server (in-flight requests are cancelled) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The fault engine of <paramref name="options"/>' rules and limits, validated as a scenario's are.</summary>
    private static Faults.FaultEngine CreateFaultEngine(
        SimulatorOptions options, FrozenDictionary<string, ProfileSampler> samplers, Faults.FaultClock faultClock)
    {
        ArgumentNullException.ThrowIfNull(options.Faults);
        var errors = new ConfigErrors(nameof(SimulatorOptions.Faults));
        for (var i = 0; i < options.Faults.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(options.Faults[i], nameof(options));
            errors.File = $"simulator faults[{i}]";
            ConfigReader.Validate(options.Faults[i], errors);
        }

        if (options.RateLimits is { } limits)
        {
            errors.File = "simulator rate_limits";
            ConfigReader.Validate(limits, errors);
        }

        errors.ThrowIfAny();
        return new Faults.FaultEngine(
            samplers.Values.Select(s => s.Profile), options.Faults, options.RateLimits, faultClock, options.Seed, options.OnInjected, options.TimeProvider);
    }

    /// <summary>Connections accepted so far (refused or not): a test of connection refusal counts them.</summary>
    internal long ConnectionsAccepted => _faults.ConnectionsAccepted;

    private static FrozenDictionary<string, ProfileSampler> CreateSamplers(IReadOnlyList<ModelProfile> profiles, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var errors = new ConfigErrors(nameof(SimulatorOptions.Profiles));
        if (profiles.Count == 0)
        {
            errors.Add("$", "no model profile: the simulator needs at least one");
        }

        var samplers = new Dictionary<string, ProfileSampler>(StringComparer.Ordinal);
        foreach (var profile in profiles)
        {
            ArgumentNullException.ThrowIfNull(profile, nameof(profiles));
            errors.File = $"profile '{profile.Model}'";
            var before = errors.Count;
            ConfigReader.Validate(profile, errors);
            if (errors.Count > before)
            {
                continue;
            }

            if (!samplers.TryAdd(profile.Model, new ProfileSampler(profile, time.TimestampFrequency, time)))
            {
                errors.Add(ProfileLoader.ModelPath, "another profile has the same model id");
            }
        }

        errors.ThrowIfAny();
        return samplers.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
