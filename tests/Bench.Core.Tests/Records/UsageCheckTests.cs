using Bench.Core.Records;

namespace Bench.Core.Tests.Records;

public class UsageCheckTests
{
    private static RequestRecord Usage(int? prompt, int? completion, int? reasoning = null, int? cached = null, int contentChars = 400, int? localCompletion = 100, int? localPrompt = 50) => new()
    {
        PromptTokens = prompt,
        CompletionTokens = completion,
        ReasoningTokens = reasoning,
        CachedTokens = cached,
        ContentChars = contentChars,
        TokensSource = TokenSources.Usage,
        TokenizerPromptTokens = localPrompt,
        TokenizerCompletionTokens = localCompletion,
    };

    [Theory]
    [InlineData(50, 100, null, null, 256, null)]
    [InlineData(50, 100, 0, 50, 256, null)]
    [InlineData(50, 512 + 64, null, null, 256, null)] // 2 × max_tokens + 64 is still believed
    [InlineData(50, 512 + 65, null, null, 256, UsageCheck.Kinds.AboveMaxTokens)]
    [InlineData(50, -1, null, null, 256, UsageCheck.Kinds.Negative)]
    [InlineData(int.MinValue, 1, null, null, 256, UsageCheck.Kinds.Negative)]
    [InlineData(50, int.MaxValue, null, null, null, UsageCheck.Kinds.Implausible)]
    [InlineData(50, 100, null, 51, 256, UsageCheck.Kinds.CachedAbovePrompt)]
    [InlineData(null, 100, null, 1, 256, UsageCheck.Kinds.CachedAbovePrompt)]
    [InlineData(50, 100, 101, null, 256, UsageCheck.Kinds.ReasoningAboveCompletion)]
    [InlineData(50, 200, 150, null, 256, null)] // hidden reasoning within max_tokens: believed
    [InlineData(50, 250, null, null, 256, null)] // within max_tokens: believed whatever the text (hidden reasoning)
    [InlineData(50, 300, null, null, 256, null)] // above max_tokens, but 400 characters can hold 300 tokens
    [InlineData(50, 700, null, null, null, UsageCheck.Kinds.AboveReceivedText)] // no limit, 100 characters: 700 > max(3 × 100, 4 × 100) + 64
    [InlineData(50_000, 100, null, null, 256, UsageCheck.Kinds.PromptAboveLocalCount)]
    [InlineData(4 * 50 + 4096, 100, null, null, 256, null)]
    public void Check_Counts_FlagsOnlyWhatTheRulesSay(int? prompt, int? completion, int? reasoning, int? cached, int? maxTokens, string? kind)
    {
        var record = Usage(prompt, completion, reasoning, cached);
        if (kind == UsageCheck.Kinds.AboveReceivedText)
        {
            record.ContentChars = 100; // 700 > max(300, 400) + 64
        }

        var issue = UsageCheck.Check(record, maxTokens);

        if (kind is null)
        {
            Assert.Null(issue);
        }
        else
        {
            Assert.Equal([kind], UsageCheck.KindsOf(issue));
        }
    }

    [Fact]
    public void Check_CacheReadsAndWritesTogetherAbovePrompt_AreFlagged_AndNotConsistent()
    {
        // Anthropic: prompt = input + cache reads + cache writes, so reads + writes ≤ prompt (CostModel's rule).
        var fits = Usage(1_300, 100, cached: 100);
        fits.CacheWriteTokens = 1_200;
        var over = Usage(1_300, 100, cached: 101);
        over.CacheWriteTokens = 1_200;
        var negative = Usage(1_300, 100);
        negative.CacheWriteTokens = -1;

        Assert.Null(UsageCheck.Check(fits, 256));
        Assert.True(UsageCheck.IsConsistent(fits));
        Assert.Equal([UsageCheck.Kinds.CachedAbovePrompt], UsageCheck.KindsOf(UsageCheck.Check(over, 256)));
        Assert.False(UsageCheck.IsConsistent(over));
        Assert.Equal([UsageCheck.Kinds.Negative], UsageCheck.KindsOf(UsageCheck.Check(negative, 256)));
        Assert.False(UsageCheck.IsConsistent(negative));
    }

    [Fact]
    public void Apply_FlaggedRecord_DropsItsCacheWritesWithTheOtherServerCounts()
    {
        // A flagged record's prompt count is replaced by the local one, which knows nothing of cache writes: kept, they
        // were billed beside it, and a cell's writes could exceed its prompt tokens (bench report threw on pricing it).
        var record = Usage(1_300, 700, contentChars: 100);
        record.CacheWriteTokens = 1_200;

        Assert.True(UsageCheck.Apply(record));

        Assert.Equal(UsageCheck.Kinds.AboveReceivedText, Assert.Single(UsageCheck.KindsOf(record.UsageIssue)));
        Assert.Null(record.CacheWriteTokens);
        Assert.Null(record.CachedTokens);
        Assert.Equal(50, record.PromptTokens);
    }

    [Fact]
    public void Check_ToolCallsNotCountedLocally_DoesNotJudgeTheText()
    {
        var record = Usage(50, 700, contentChars: 0, localCompletion: null);
        record.FinishReason = "tool_calls";

        Assert.Null(UsageCheck.Check(record));
    }

    [Fact]
    public void Apply_LocalCountsThemselves_OnlySignAndSizeJudged()
    {
        var record = Usage(50, 5000, contentChars: 10);
        record.TokensSource = TokenSources.Tokenizer;

        Assert.False(UsageCheck.Apply(record, maxTokens: 16));
        Assert.Null(record.UsageIssue);
    }

    [Fact]
    public void Apply_AlreadyFlagged_LeavesItAlone()
    {
        var record = Usage(null, null);
        record.UsageIssue = "negative: earlier";

        Assert.True(UsageCheck.Apply(record, readIssue: "overflow: x"));
        Assert.Equal("negative: earlier", record.UsageIssue);
    }

    [Fact]
    public void Apply_ReadIssueAndBadCounts_KeepsBothReasons()
    {
        var record = Usage(-1, null);

        UsageCheck.Apply(record, 16, "not_integer: usage.completion_tokens = 1.5 is not a whole number");

        Assert.Equal([UsageCheck.Kinds.NotInteger, UsageCheck.Kinds.Negative], UsageCheck.KindsOf(record.UsageIssue));
        Assert.Equal((50, 100, TokenSources.Tokenizer), (record.PromptTokens, record.CompletionTokens, record.TokensSource));
    }

    [Fact]
    public void Apply_LocalCountsAbsurdToo_LeavesNoCounts()
    {
        var record = Usage(-1, 5, localPrompt: -3, localCompletion: int.MaxValue);

        UsageCheck.Apply(record);

        Assert.Equal((null, null, TokenSources.None), (record.PromptTokens, record.CompletionTokens, record.TokensSource));
        Assert.True(UsageCheck.IsConsistent(record));
    }

    [Fact]
    public void Apply_HugeReason_IsCut()
    {
        var record = Usage(-1, 5);

        UsageCheck.Apply(record, readIssue: new string('x', 5000));

        Assert.Equal(UsageCheck.MaxIssueChars, record.UsageIssue!.Length);
    }
}
