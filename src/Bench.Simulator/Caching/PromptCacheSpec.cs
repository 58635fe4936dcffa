using System.ComponentModel.DataAnnotations;

namespace Bench.Simulator.Caching;

/// <summary>
/// A model's prefix cache in the simulator (profile field <c>prompt_cache</c>), e.g.
/// <c>"prompt_cache": { "min_tokens": 1024, "block_tokens": 128, "capacity_tokens": 10000000, "ttl_s": 300,
/// "prefill_ms_per_token": 0.09, "min_ttft_fraction": 0.2 }</c>. Without it a profile gets <see cref="Default"/>,
/// OpenAI's documented behaviour.
/// </summary>
/// <remarks>
/// <para><b>What the providers document.</b> OpenAI (platform.openai.com/docs/guides/prompt-caching): automatic for
/// prompts of 1,024 tokens or more, cache hits in increments of 128 tokens, cached prefixes kept through 5–10 minutes of
/// inactivity (up to an hour off-peak). DeepSeek (api-docs.deepseek.com/guides/kv_cache): on by default, on disk, in
/// units of 64 tokens (less is not cached), kept for hours. Gemini (ai.google.dev/gemini-api/docs/caching, implicit
/// caching): on by default for 2.5 models, minimum 1,024 tokens for 2.5 Flash (the page has also said 2,048; the API
/// enforces 1,024) and 2,048–4,096 for 2.5 Pro. Anthropic (docs.anthropic.com, "Prompt caching"): only when the
/// request asks for it with <c>cache_control</c> (top level: automatic caching; or on a block), 1,024 tokens minimum
/// for Sonnet and Opus, 5 minutes' lifetime refreshed on use; it reports writes (<c>cache_creation_input_tokens</c>)
/// as well as reads.</para>
/// <para><b>Model.</b> A prompt's token ids (<see cref="Bench.Core.Tokens.TokenCounter.EncodePrompt"/>) are cut into
/// blocks of <see cref="BlockTokens"/>; block <c>i</c>'s key hashes every id up to its end, so a block matches only
/// behind the same prefix (vLLM's automatic prefix caching works the same way). Cached tokens are the longest run of
/// leading blocks already in the cache, times the block size, or 0 when that is below <see cref="MinTokens"/>; a
/// prompt shorter than <see cref="MinTokens"/> is neither read nor written. After the lookup every whole block of the
/// prompt is in the cache (the new ones are the cache writes), used now. Blocks unused for <see cref="TtlS"/> seconds
/// on the simulator's clock expire; past <see cref="CapacityTokens"/> the least recently used go first.</para>
/// <para><b>TTFT.</b> A profile's TTFT is the drawn TTFT of an uncached prompt; cached tokens skip their prefill, so
/// TTFT = max(drawn − cached × <see cref="PrefillMsPerToken"/>, drawn × <see cref="MinTtftFraction"/>). The default
/// 0.09 ms a token and floor of a fifth come from Anthropic's published example (prompt caching announcement, 2024: a
/// 100,000-token cached book took the first token from 11.5 s to 2.4 s: (11.5 − 2.4) s / 100,000 ≈ 0.09 ms a token,
/// and 2.4 / 11.5 ≈ 0.2 left). A prompt with nothing cached — every prompt of the default run, all under 1,024
/// tokens — keeps its drawn TTFT exactly, so calibrated figures do not move.</para>
/// </remarks>
public sealed record PromptCacheSpec
{
    /// <summary>OpenAI's documented behaviour: 1,024 tokens minimum, 128-token blocks, 5 minutes' idle lifetime,
    /// 10 million tokens per model, Anthropic's published prefill saving.</summary>
    public static PromptCacheSpec Default { get; } = new();

    /// <summary>The shortest prompt that is cached, and the fewest cached tokens reported (≥ 0). JSON
    /// <c>min_tokens</c>; default 1,024.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "must be an integer ≥ 0")]
    public int MinTokens { get; init; } = 1024;

    /// <summary>Tokens per cache block (≥ 1): cached tokens are a whole number of blocks. JSON <c>block_tokens</c>;
    /// default 128.</summary>
    [Range(1, 1_000_000, ErrorMessage = "must be an integer from 1 to 1,000,000")]
    public int BlockTokens { get; init; } = 128;

    /// <summary>Tokens the model's cache holds (≥ 0; 0 turns the cache off). JSON <c>capacity_tokens</c>; default
    /// 10,000,000.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "must be an integer ≥ 0")]
    public int CapacityTokens { get; init; } = 10_000_000;

    /// <summary>Seconds a block stays cached after its last use (&gt; 0), on the simulator's clock. JSON <c>ttl_s</c>;
    /// default 300.</summary>
    [Range(0, 31_536_000, MinimumIsExclusive = true, ErrorMessage = "must be a number of seconds > 0 and ≤ 31,536,000 (a year)")]
    public double TtlS { get; init; } = 300;

    /// <summary>Milliseconds of TTFT each cached token saves (≥ 0). JSON <c>prefill_ms_per_token</c>; default 0.09.</summary>
    [Range(0, 1_000, ErrorMessage = "must be a number of milliseconds from 0 to 1,000")]
    public double PrefillMsPerToken { get; init; } = 0.09;

    /// <summary>The least fraction of the drawn TTFT a cache hit leaves (0 … 1). JSON <c>min_ttft_fraction</c>;
    /// default 0.2.</summary>
    [Range(0, 1, ErrorMessage = "must be a number from 0 to 1")]
    public double MinTtftFraction { get; init; } = 0.2;

    /// <summary>Whether the cache can hold anything.</summary>
    public bool Enabled => CapacityTokens >= BlockTokens;
}
