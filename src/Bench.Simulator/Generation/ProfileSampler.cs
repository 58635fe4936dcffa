using Bench.Simulator.Caching;
using Bench.Simulator.Profiles;
using Bench.Simulator.Replay;

namespace Bench.Simulator.Generation;

/// <summary>
/// A validated <see cref="ModelProfile"/> with its distributions fitted once, drawing one <see cref="CompletionPlan"/>
/// per request; one per simulator and model, so it also holds that model's serving state: the capacity gate and the
/// replay turn counter.
/// </summary>
internal sealed class ProfileSampler
{
    private readonly LogNormal? _ttft;
    private readonly LogNormal? _decodeJitter;
    private readonly double _ticksPerToken;
    private readonly double _frequency;
    private long _replayTurns;

    /// <summary>Fits the profile's distributions; the profile must be valid.</summary>
    /// <param name="profile">The model's profile.</param>
    /// <param name="timestampFrequency">Timestamps per second of the simulator's clock, which plans are drawn in
    /// (<see cref="TimeProvider.TimestampFrequency"/>); the system clock's when <see langword="null"/>.</param>
    /// <param name="time">The simulator's clock, which the prefix cache's lifetimes run on; without it the sampler has
    /// no cache (<see cref="Cache"/> null).</param>
    public ProfileSampler(ModelProfile profile, long? timestampFrequency = null, TimeProvider? time = null)
    {
        _frequency = timestampFrequency ?? TimeProvider.System.TimestampFrequency;
        Profile = profile;
        var ttft = profile.TimeToFirstToken;
        _ttft = ttft.IsFixed ? null : LogNormal.FitMeanAndP95(ttft.MeanMs, ttft.P95Ms!.Value);
        _decodeJitter = profile.DecodeJitterCv > 0 ? LogNormal.FromMeanAndCv(1, profile.DecodeJitterCv) : null;
        _ticksPerToken = _frequency / profile.DecodeTokensPerSecond;
        Capacity = profile.Capacity is { } capacity ? new CapacityGate(capacity.MaxConcurrent) : null;
        var cache = profile.PromptCache ?? PromptCacheSpec.Default;
        Cache = time is not null && cache.Enabled ? new PrefixCache(cache, time) : null;
        _prefillTicksPerToken = cache.PrefillMsPerToken * _frequency / 1000.0;
        _minTtftFraction = cache.MinTtftFraction;
    }

    private readonly double _prefillTicksPerToken;
    private readonly double _minTtftFraction;

    /// <summary>The model's prefix cache (<see cref="ModelProfile.PromptCache"/>), or <see langword="null"/> when it is
    /// off (capacity 0) or the sampler has no clock.</summary>
    public PrefixCache? Cache { get; }

    /// <summary>
    /// The plan with its TTFT shortened by the prefill the cached tokens skip (<see cref="PromptCacheSpec"/>):
    /// <c>max(TTFT − cached × prefill_ms_per_token, TTFT × min_ttft_fraction)</c>, in whole timestamps; unchanged
    /// when nothing is cached.
    /// </summary>
    public CompletionPlan Prefill(CompletionPlan plan, int cachedTokens)
    {
        if (cachedTokens <= 0)
        {
            return plan;
        }

        var saved = (long)Math.Floor(cachedTokens * _prefillTicksPerToken);
        var floor = (long)Math.Ceiling(plan.TtftTicks * _minTtftFraction);
        return plan with { TtftTicks = Math.Max(plan.TtftTicks - saved, floor) };
    }

    /// <summary>The profile drawn from.</summary>
    public ModelProfile Profile { get; }

    /// <summary>The model's slots when the profile has a <see cref="ModelProfile.Capacity"/>, else
    /// <see langword="null"/>.</summary>
    public CapacityGate? Capacity { get; }

    /// <summary>
    /// A replay profile's recording for a request (see <see cref="ReplayPick"/>), <see langword="null"/> for a
    /// generating profile. Call after <see cref="Draw"/>: a random pick draws from the same source, after the plan.
    /// </summary>
    /// <param name="random">The request's random source.</param>
    /// <param name="requestSeed">The request's <c>seed</c>, if any.</param>
    public RecordedStream? ChooseRecording(Random random, long? requestSeed) =>
        Profile.Replay?.Choose(requestSeed, ref _replayTurns, random);

    /// <summary>
    /// Draws a plan. The draws happen in a fixed order and number (the first attempt's fault draw, TTFT, length,
    /// jitter), so the random state left for the answer's text depends only on the seed, and the timing of a request
    /// is the same whatever fault its attempts meet.
    /// </summary>
    /// <param name="random">The request's random source.</param>
    /// <param name="maxTokens">The request's <c>max_tokens</c> (≥ 1).</param>
    /// <param name="ignoreEos">vLLM's <c>ignore_eos</c>: the answer is exactly <paramref name="maxTokens"/> tokens
    /// (<c>finish_reason</c> <c>length</c>).</param>
    /// <param name="minTokens">vLLM's <c>min_tokens</c> (0 … <paramref name="maxTokens"/>): the natural length is raised
    /// to at least this many tokens.</param>
    /// <remarks>The same draws happen with or without the two options, so they change the length alone.</remarks>
    public CompletionPlan Draw(Random random, int maxTokens, bool ignoreEos = false, int minTokens = 0)
    {
        var faultDraw = random.NextDouble();
        var ttftMs = _ttft?.Sample(random) ?? Profile.TimeToFirstToken.MeanMs;
        var length = Profile.OutputTokens;
        var natural = Math.Round(length.MeanTokens + (length.SdTokens * StandardNormal.Sample(random)));
        var jitter = _decodeJitter?.Sample(random) ?? 1.0;

        natural = ignoreEos ? maxTokens : Math.Max(natural, minTokens);
        var tokens = (int)Math.Clamp(natural, 1, maxTokens);
        var finishReason = ignoreEos || natural > maxTokens ? "length" : "stop";
        var ttftTicks = (long)Math.Ceiling(ttftMs * _frequency / 1000.0);
        return new CompletionPlan(faultDraw, ttftTicks, _ticksPerToken * jitter, tokens, finishReason);
    }
}
