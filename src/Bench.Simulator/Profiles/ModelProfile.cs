using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Bench.Core.Configuration;
using Bench.Core.Faults;
using Bench.Simulator.Caching;
using Bench.Simulator.Replay;

namespace Bench.Simulator.Profiles;

/// <summary>
/// How the simulator behaves for one model: the data of <c>scenarios/profiles/&lt;model&gt;.json</c>, read by
/// <see cref="ProfileLoader"/> with <see cref="ConfigReader"/>: each property is a file field, its JSON name the
/// snake_case of the property's unless <see cref="JsonPropertyNameAttribute"/> says otherwise; its attributes are its
/// rules and <see cref="Validate"/> holds those across fields (<c>scenarios/profile.schema.json</c> describes the file).
/// </summary>
/// <remarks>
/// A request's timeline: the arrival (or, under <see cref="Capacity"/>, the moment it gets a slot); the first content
/// token after a TTFT drawn from <see cref="TimeToFirstToken"/>; then the remaining tokens at
/// <see cref="DecodeTokensPerSecond"/>, so with one token per chunk the last of <c>n</c> tokens is due at
/// <c>TTFT + (n − 1) / rate</c>. A model generates the same tokens at the same times whether the client streams or
/// not, so a non-streaming answer is sent when its last token would have been streamed, at the same
/// <c>TTFT + (n − 1) / rate</c>. Profiles built in code are checked when the simulator starts, with the same rules as
/// files.
/// </remarks>
public sealed record ModelProfile : IConfigValidatable
{
    /// <summary>Model id as requested in <c>model</c> and listed by <c>/v1/models</c>. JSON <c>model</c>.</summary>
    [Required(ErrorMessage = "must be a non-empty model id")]
    public required string Model { get; init; }

    /// <summary><c>owned_by</c> in <c>/v1/models</c>. JSON <c>owned_by</c>.</summary>
    public string OwnedBy { get; init; } = "bench-simulator";

    /// <summary>Time to first token (ms). JSON <c>ttft_ms</c>.</summary>
    [JsonPropertyName("ttft_ms")]
    public required TtftDistribution TimeToFirstToken { get; init; }

    /// <summary>Steady decode rate after the first token, in tokens per second (&gt; 0). JSON
    /// <c>decode_tokens_per_s</c>.</summary>
    [JsonPropertyName("decode_tokens_per_s")]
    [Range(0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be a finite number of tokens per second > 0")]
    public required double DecodeTokensPerSecond { get; init; }

    /// <summary>Natural answer length (tokens). JSON <c>output_tokens</c>; required unless <see cref="Replay"/> is
    /// set (a replay's length is the recording's), and then not allowed in a file.</summary>
    public OutputLength OutputTokens { get; init; }

    /// <summary>Tokens per streamed content chunk (≥ 1). JSON <c>tokens_per_chunk</c>; default 1; not allowed in a
    /// replay profile's file (the recording decides).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be an integer ≥ 1")]
    public int TokensPerChunk { get; init; } = 1;

    /// <summary>
    /// Coefficient of variation (standard deviation / mean, ≥ 0) of a per-request factor on the decode time: each
    /// request's time per token is <c>1 / rate</c> times a log-normal draw with mean 1, so some requests decode slower
    /// than others (as on a shared server) while the mean E2E is unchanged. JSON <c>decode_jitter_cv</c>; default 0.
    /// </summary>
    [Range(0, double.MaxValue, ErrorMessage = "must be a finite coefficient of variation ≥ 0")]
    public double DecodeJitterCv { get; init; }

    /// <summary>Faults this model's requests meet (<see cref="FaultRule"/>), walked in order with one draw per request
    /// before the simulator's own (<see cref="Hosting.SimulatorOptions.Faults"/>). JSON <c>faults</c>, e.g.
    /// <c>[{ "kind": "rate_limited", "rate": 0.0018 }, { "kind": "disconnect", "rate": 0.0012, "modes": ["streaming"], "reset": true }]</c>;
    /// default none. A rule here applies to this model only, so it may not give <c>models</c>.</summary>
    public IReadOnlyList<FaultRule> Faults { get; init => field = Array.AsReadOnly([.. value ?? []]); } = [];

    /// <summary>RPM/TPM limits enforced with token buckets for this model (<see cref="RateLimitSpec"/>); replaced by
    /// <see cref="Hosting.SimulatorOptions.RateLimits"/> when that is set. JSON <c>rate_limits</c>, e.g.
    /// <c>{ "rpm": 600, "tpm": 200000 }</c>; default none.</summary>
    public RateLimitSpec? RateLimits { get; init; }

    /// <summary>How many requests are served at once; <see langword="null"/> (the default) for no limit. JSON
    /// <c>capacity</c>.</summary>
    public CapacityLimit? Capacity { get; init; }

    /// <summary>Recorded streams served instead of generated text, re-timed by this profile's TTFT, decode rate,
    /// jitter and faults; <see langword="null"/> (the default) to generate. JSON <c>replay</c>, e.g.
    /// <c>{ "folder": "../replay/openai-chat", "pick": "round_robin" }</c>, read with <see cref="ReplaySet.Load"/>
    /// (the folder relative to the profile file).</summary>
    public ReplaySet? Replay { get; init; }

    /// <summary>How the Batch API turns this model's batches around (<see cref="BatchProfile"/>);
    /// <see langword="null"/> (the default) for <see cref="BatchProfile.Default"/>. JSON <c>batch</c>.</summary>
    public BatchProfile? Batch { get; init; }

    /// <summary>The model's prefix cache (<see cref="PromptCacheSpec"/>: minimum, block size, capacity, lifetime, the TTFT
    /// a cached token saves); <see langword="null"/> (the default) for <see cref="PromptCacheSpec.Default"/>, OpenAI's
    /// documented behaviour. JSON <c>prompt_cache</c>, e.g. <c>{ "min_tokens": 64, "block_tokens": 64 }</c>
    /// (DeepSeek's); <c>{ "capacity_tokens": 0 }</c> turns it off.</summary>
    public PromptCacheSpec? PromptCache { get; init; }

    /// <summary>Where the numbers come from (free text). JSON <c>source</c>.</summary>
    public string? Source { get; init; }

    /// <summary>A replay profile's answers are the recordings (a file may not give <see cref="OutputTokens"/> or
    /// <see cref="TokensPerChunk"/>); any other profile needs a valid <see cref="OutputTokens"/>.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        for (var i = 0; i < Faults.Count; i++)
        {
            if (Faults[i] is { Models.Count: > 0 })
            {
                validation.Item(nameof(Faults), i).Error(
                    nameof(FaultRule.Models), "not allowed in a profile: its rules apply to its own model (name models in a scenario's faults)");
            }
        }

        if (validation.Given(nameof(Replay)) ?? Replay is not null)
        {
            // These would silently do nothing.
            Forbid(nameof(OutputTokens), "the answer length is the recording's");
            Forbid(nameof(TokensPerChunk), "the events are the recording's");
        }
        else if (validation.Given(nameof(OutputTokens)) == false)
        {
            validation.Error(nameof(OutputTokens), "is required");
        }
        else if (!validation.Unreadable(nameof(OutputTokens)))
        {
            var output = validation.Child(nameof(OutputTokens));
            if (!(OutputTokens.MeanTokens >= 1) || !double.IsFinite(OutputTokens.MeanTokens))
            {
                output.Error(nameof(OutputLength.MeanTokens), "must be a finite number of tokens ≥ 1");
            }

            if (!(OutputTokens.SdTokens >= 0) || !double.IsFinite(OutputTokens.SdTokens))
            {
                output.Error(nameof(OutputLength.SdTokens), "must be a finite number of tokens ≥ 0");
            }
        }

        void Forbid(string property, string reason)
        {
            if (validation.Given(property) == true)
            {
                validation.Error(property, $"not used by a replay profile ({reason}): remove it");
            }
        }
    }
}
