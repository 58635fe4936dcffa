using Bench.Simulator.Profiles;

namespace Bench.Simulator.Hosting;

/// <summary>Settings of a <see cref="SimulatorHost"/>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (the default) lets the system choose a free one (see
    /// <see cref="SimulatorHost.Port"/>).</summary>
    public int Port { get; set; }

    /// <summary>The only API key accepted as <c>Authorization: Bearer &lt;key&gt;</c>; when <see langword="null"/>
    /// (the default) any non-empty bearer key is accepted. A missing header or <c>Bearer </c> prefix is always a
    /// 401.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The models served, one profile each (ids must be unique). Usually
    /// <see cref="ProfileLoader.LoadDirectory"/> of <c>scenarios/profiles</c>.</summary>
    public IReadOnlyList<ModelProfile> Profiles { get; set; } = [];

    /// <summary>Seed of every random draw (timing, lengths, faults, text); see <see cref="SimulatorHost"/>.
    /// Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Called exactly once per chat completion request for a served model (see <see cref="ServerTiming"/>),
    /// after its response has ended, on the request's thread: keep it fast and thread-safe, and do not throw.
    /// Reports may arrive after the client has read the whole response.</summary>
    public Action<ServerTiming>? OnCompleted { get; set; }

    /// <summary>Faults injected on top of the profiles' (a scenario's <c>faults</c>); a rule with <c>models</c>
    /// applies to those only. Empty by default.</summary>
    public IReadOnlyList<Bench.Core.Faults.FaultRule> Faults { get; set; } = [];

    /// <summary>RPM/TPM limits for every served model (each its own buckets), replacing the profiles'
    /// <c>rate_limits</c>; <see langword="null"/> (the default): the profiles'.</summary>
    public Bench.Core.Faults.RateLimitSpec? RateLimits { get; set; }

    /// <summary>Called once for each fault injected (and each 429 from the rate-limit buckets), on the request's thread
    /// at the moment it is decided: keep it fast and thread-safe, and do not throw. The embedded run writes these to
    /// <c>injections.jsonl</c>.</summary>
    public Action<Bench.Core.Faults.InjectionRecord>? OnInjected { get; set; }

    /// <summary>Simulated seconds per real second of the Batch API's clock (queueing, processing, the completion
    /// window, every batch and file timestamp): 1 (the default) is real time, 600 makes a simulated 24 h window last
    /// 144 s. The embedded run passes the scenario's <c>batch.time_scale</c>.</summary>
    public double BatchTimeScale { get; set; } = 1;

    /// <summary>Most lines a batch input file may hold; more fail the batch's validation with
    /// <c>too_many_requests</c>. Default 50,000 (OpenAI's limit, platform.openai.com/docs/guides/batch); tests lower
    /// it.</summary>
    public int MaxBatchLines { get; set; } = 50_000;

    /// <summary>Largest batch input file in bytes; a larger one fails the batch's validation with
    /// <c>file_too_large</c>. Default 200 MB, 209,715,200 bytes (OpenAI's limit); tests lower it.</summary>
    public long MaxBatchFileBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Largest upload <c>POST /v1/files</c> accepts, in bytes; a larger one is a 413. Default 512 MB (OpenAI's
    /// per-file limit, platform.openai.com/docs/api-reference/files/create).</summary>
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Latency added in front of every response, as a relay in front of a provider adds it: each request
    /// (every protocol, and <c>GET /v1/models</c>, the Files and Batch APIs and even a 401 alike — a relay forwards
    /// them all) is held this long on <see cref="TimeProvider"/> before anything else is done with it, so its headers,
    /// TTFT and E2E all come exactly this much later, and the request's own clock (its plan's deadlines and
    /// <see cref="ServerTiming"/>) starts after the hold. Default zero (no hold); must not be negative.</summary>
    public TimeSpan AddedLatency { get; set; }

    /// <summary>The clock that paces every response (TTFT and per-token deadlines, which also count a capacity wait)
    /// and stamps every <see cref="ServerTiming"/>, and gives the <c>created</c> times. Default
    /// <see cref="System.TimeProvider.System"/>, whose timestamps are <see cref="System.Diagnostics.Stopwatch"/> ticks
    /// and so comparable with an in-process client's; a test passes a fake clock to check pacing exactly.</summary>
    public TimeProvider TimeProvider { get; set; } = System.TimeProvider.System;

    /// <summary>Accept requests without any key (a keyless target, <c>targets[].keyless</c>): no key check at all.
    /// False by default (a key is required: <see cref="ApiKey"/>, or any when that is null).</summary>
    public bool Keyless { get; set; }
}
