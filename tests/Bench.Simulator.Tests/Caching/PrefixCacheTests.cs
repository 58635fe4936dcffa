using Bench.Core.Client;
using Bench.Core.Text;
using Bench.Core.Tokens;
using Bench.Simulator.Caching;
using Bench.Simulator.Generation;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Simulator.Tests.Caching;

/// <summary>The prefix cache on a fake clock: hits in whole leading blocks, the minimum, lifetime and capacity.</summary>
public class PrefixCacheTests
{
    /// <summary>A system prompt of 2,000 synthetic words (2,000 o200k tokens: each vocabulary word with its leading space
    /// is one token) shared by two questions.</summary>
    private static readonly string s_system = SyntheticText.Prompt(2000, seed: 3);

    private static (List<int> Ids, int Count) Encode(params ChatMessage[] messages)
    {
        var ids = new List<int>();
        var count = TokenCounter.ForModel("gpt-4.1").EncodePrompt(messages, ids, out _);
        return (ids, count);
    }

    private static int CommonPrefix(List<int> a, List<int> b)
    {
        var n = 0;
        while (n < a.Count && n < b.Count && a[n] == b[n])
        {
            n++;
        }

        return n;
    }

    [Fact]
    public void SecondRequest_SameTwoThousandTokenPrefix_ReadsTheWholeBlocksOfTheSharedPrefix()
    {
        var cache = new PrefixCache(PromptCacheSpec.Default, new FakeTimeProvider());
        var first = Encode(new ChatMessage("system", s_system), new ChatMessage("user", "Summarise the first chapter."));
        var second = Encode(new ChatMessage("system", s_system), new ChatMessage("user", "What happens at the end?"));
        var shared = CommonPrefix(first.Ids, second.Ids);
        Assert.InRange(shared, 2000, 2020); // the prompt, its message's markers and role, the next message's start

        var one = cache.Use(first.Ids, first.Count);
        var two = cache.Use(second.Ids, second.Count);

        Assert.Equal((first.Count, 0, first.Count / 128 * 128), (one.PromptTokens, one.CachedTokens, one.CacheWriteTokens));
        Assert.Equal(shared / 128 * 128, two.CachedTokens); // 15 blocks of 128 = 1,920
        Assert.Equal(1920, two.CachedTokens);
        Assert.Equal(((second.Count / 128) - 15) * 128, two.CacheWriteTokens);
        Assert.Equal(second.Count - two.CachedTokens - two.CacheWriteTokens, two.UncachedTokens);
    }

    [Fact]
    public void ShortPrompt_BelowTheMinimum_IsNeitherReadNorWritten()
    {
        var cache = new PrefixCache(PromptCacheSpec.Default, new FakeTimeProvider());
        var prompt = Encode(new ChatMessage("user", SyntheticText.Prompt(1000, seed: 1)));
        Assert.True(prompt.Count < 1024);

        cache.Use(prompt.Ids, prompt.Count);
        var again = cache.Use(prompt.Ids, prompt.Count);

        Assert.Equal(new PromptUsage(prompt.Count), again);
        Assert.Equal(0, cache.Blocks);
    }

    [Fact]
    public void Hit_ShorterThanTheMinimum_ReportsNothingCached()
    {
        var cache = new PrefixCache(PromptCacheSpec.Default, new FakeTimeProvider());
        var prefix = SyntheticText.Prompt(600, seed: 5);
        var first = Encode(new ChatMessage("system", prefix), new ChatMessage("user", SyntheticText.Prompt(600, seed: 6)));
        var second = Encode(new ChatMessage("system", prefix), new ChatMessage("user", SyntheticText.Prompt(600, seed: 7)));
        Assert.InRange(CommonPrefix(first.Ids, second.Ids), 600, 1023);

        cache.Use(first.Ids, first.Count);

        Assert.Equal(0, cache.Use(second.Ids, second.Count).CachedTokens); // 4 blocks match: 512 < 1,024
    }

    [Fact]
    public void Lifetime_BlocksIdleForTheTtlExpire_UseRefreshesThem()
    {
        var time = new FakeTimeProvider();
        var cache = new PrefixCache(PromptCacheSpec.Default with { TtlS = 300 }, time);
        var prompt = Encode(new ChatMessage("system", s_system), new ChatMessage("user", "q"));
        var whole = prompt.Ids.Count / 128 * 128;

        cache.Use(prompt.Ids, prompt.Count);
        time.Advance(TimeSpan.FromSeconds(300) - TimeSpan.FromTicks(1));
        Assert.Equal(whole, cache.Use(prompt.Ids, prompt.Count).CachedTokens); // used again: idle time starts over
        time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(whole, cache.Use(prompt.Ids, prompt.Count).CachedTokens);
        time.Advance(TimeSpan.FromSeconds(300));

        var expired = cache.Use(prompt.Ids, prompt.Count);

        Assert.Equal((0, whole), (expired.CachedTokens, expired.CacheWriteTokens));
    }

    [Fact]
    public void Capacity_LeastRecentlyUsedPromptIsEvictedFirst()
    {
        // Room for 40 blocks of 128: two prompts of 17 whole blocks fit, a third evicts the least recently used.
        var cache = new PrefixCache(PromptCacheSpec.Default with { CapacityTokens = 40 * 128 }, new FakeTimeProvider());
        var prompts = Enumerable.Range(0, 3)
            .Select(i => Encode(new ChatMessage("system", SyntheticText.Prompt(2200, seed: 10 + i)), new ChatMessage("user", "q")))
            .ToList();
        Assert.All(prompts, p => Assert.Equal(17, p.Ids.Count / 128));

        cache.Use(prompts[0].Ids, prompts[0].Count);
        cache.Use(prompts[1].Ids, prompts[1].Count);
        Assert.Equal(17 * 128, cache.Use(prompts[0].Ids, prompts[0].Count).CachedTokens); // now the most recent
        cache.Use(prompts[2].Ids, prompts[2].Count); // 51 blocks: the 11 least recently used (prompt 1's first) go

        Assert.Equal(40, cache.Blocks);
        Assert.Equal(17 * 128, cache.Use(prompts[0].Ids, prompts[0].Count).CachedTokens);
        Assert.Equal(0, cache.Use(prompts[1].Ids, prompts[1].Count).CachedTokens); // its leading blocks were evicted
    }

    [Fact]
    public void Keys_ABlockMatchesOnlyBehindTheSamePrefix()
    {
        int[] a = [1, 2, 3, 4, 5, 6];
        int[] b = [9, 2, 3, 4, 5, 6];

        var keysA = PrefixCache.Keys(a, 2);
        var keysB = PrefixCache.Keys(b, 2);

        Assert.Equal(3, keysA.Length);
        Assert.Empty(keysA.Intersect(keysB)); // the same blocks 2 and 3 behind another first block differ
        Assert.Equal(keysA, PrefixCache.Keys([.. a, 7], 2)); // the partial block adds no key
    }

    [Fact]
    public void Prefill_CachedTokensShortenTtft_ByThePrefillTimeDownToTheFloor()
    {
        var sampler = new ProfileSampler(TestSimulator.Fast() with { PromptCache = PromptCacheSpec.Default }, TimeSpan.TicksPerSecond);
        var plan = new CompletionPlan(0, TtftTicks: 5_000_000, TicksPerToken: 1, CompletionTokens: 1, FinishReason: "stop"); // 500 ms

        // 1,920 cached tokens × 0.09 ms = 172.8 ms = 1,728,000 ticks of 100 ns.
        Assert.Equal(5_000_000 - 1_728_000, sampler.Prefill(plan, 1920).TtftTicks);
        Assert.Equal(plan, sampler.Prefill(plan, 0));
        // 100,000 × 0.09 ms = 9 s would go below zero: a fifth of 500 ms is left.
        Assert.Equal(1_000_000, sampler.Prefill(plan, 100_000).TtftTicks);
    }
}
