using Bench.Core.Client;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Tokens;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Hostile;

/// <summary>A server that answers well but reports impossible <c>usage</c>: the request keeps its outcome, the record
/// is flagged with the reason, its counts are the local tokenizer's and its cost is the tokenizer's, never the server's
/// face value.</summary>
public class UsageHostileTests
{
    private const string Answer = "Hello there, my friend.";

    private static readonly ModelPrice Price = new("m", 1m, null, 2m, null, null, "test");

    public static TheoryData<string, int, string> BadUsage => new()
    {
        { """{"prompt_tokens":10,"completion_tokens":-5}""", 16, UsageCheck.Kinds.Negative },
        { """{"prompt_tokens":-10,"completion_tokens":5}""", 16, UsageCheck.Kinds.Negative },
        { """{"prompt_tokens":10,"completion_tokens":2000000000}""", 16, UsageCheck.Kinds.Implausible },
        { """{"prompt_tokens":10,"completion_tokens":2147483647,"total_tokens":2147483657}""", 16, UsageCheck.Kinds.Implausible },
        { """{"prompt_tokens":10,"completion_tokens":12.5}""", 16, UsageCheck.Kinds.NotInteger },
        { """{"prompt_tokens":10,"completion_tokens":1e30}""", 16, UsageCheck.Kinds.Overflow },
        { """{"prompt_tokens":10,"completion_tokens":3000000000}""", 16, UsageCheck.Kinds.Overflow },
        { """{"prompt_tokens":10,"completion_tokens":"5"}""", 16, UsageCheck.Kinds.NotANumber },
        { """{"prompt_tokens":10,"completion_tokens":[5]}""", 16, UsageCheck.Kinds.NotANumber },
        { "\"many\"", 16, UsageCheck.Kinds.NotAnObject },
        { """{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":50}}""", 16, UsageCheck.Kinds.CachedAbovePrompt },
        { """{"prompt_tokens":10,"completion_tokens":5,"completion_tokens_details":{"reasoning_tokens":9}}""", 16, UsageCheck.Kinds.ReasoningAboveCompletion },
        { """{"prompt_tokens":10,"completion_tokens":500}""", 16, UsageCheck.Kinds.AboveMaxTokens },
        { """{"prompt_tokens":10,"completion_tokens":150}""", 100, UsageCheck.Kinds.AboveReceivedText },
        { """{"prompt_tokens":900000,"completion_tokens":5}""", 16, UsageCheck.Kinds.PromptAboveLocalCount },
    };

    [Theory]
    [MemberData(nameof(BadUsage))]
    public async Task SendAsync_ImpossibleUsage_FlagsTheRecordAndCountsLocally(string usage, int maxTokens, string kind)
    {
        foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming })
        {
            var record = await SendAsync(usage, mode, maxTokens);

            Assert.Equal(Outcome.Success, record.Outcome);
            Assert.NotNull(record.UsageIssue);
            Assert.Contains(kind, UsageCheck.KindsOf(record.UsageIssue));
            Assert.Equal(TokenSources.Tokenizer, record.TokensSource);
            Assert.Equal(record.TokenizerCompletionTokens, record.CompletionTokens);
            Assert.Equal(record.TokenizerPromptTokens, record.PromptTokens);
            Assert.Null(record.CachedTokens);
            Assert.True(record.CompletionTokens < 20, $"{mode}: {record.CompletionTokens} tokens counted for a 5-token answer");

            // Priced from the local counts: a few millionths of a dollar, never thousands.
            var cost = CostModel.RequestCostUsd(record, Price);
            Assert.NotNull(cost);
            Assert.True(cost < 0.001m, $"{mode}: {cost}");
        }
    }

    [Fact]
    public async Task SendAsync_ImpossibleUsage_CellCountsItAndBillsTheLocalCount()
    {
        var aggregator = new CellAggregator("m", Mode.Streaming);
        aggregator.Add(await SendAsync("""{"prompt_tokens":-7,"completion_tokens":2000000000,"prompt_tokens_details":{"cached_tokens":99}}""", Mode.Streaming, 16));
        aggregator.Add(await SendAsync("""{"prompt_tokens":10,"completion_tokens":5}""", Mode.Streaming, 16));

        var summary = aggregator.Summarize();
        var cost = CellCost.Of(summary, PriceCatalog.Create("test", [Price]));

        Assert.Equal(1, summary.UsageFlagged);
        Assert.Equal(0, summary.UsageFlaggedUnpriced);
        Assert.Equal([0L], summary.UsageFlaggedExampleIds);
        Assert.Contains(summary.UsageIssueKinds, k => k.Key == UsageCheck.Kinds.Negative);
        Assert.True(summary.BilledTokens.CompletionTokens < 40, summary.BilledTokens.ToString());
        Assert.True(cost.CostUsd < 0.001m, $"{cost.CostUsd}");
    }

    [Fact]
    public async Task SendAsync_ImpossibleUsageWithCountingOff_IsUnpriced()
    {
        var record = await SendAsync("""{"prompt_tokens":10,"completion_tokens":-5}""", Mode.Streaming, 16, TokenEncodings.None);

        Assert.NotNull(record.UsageIssue);
        Assert.Equal(TokenSources.None, record.TokensSource);
        Assert.Null(record.CompletionTokens);
        Assert.Null(record.PromptTokens);
        Assert.Null(CostModel.RequestCostUsd(record, Price));
    }

    [Fact]
    public async Task SendAsync_SaneUsage_IsBelievedAndNotFlagged()
    {
        foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming })
        {
            var record = await SendAsync("""{"prompt_tokens":10,"completion_tokens":6,"prompt_tokens_details":{"cached_tokens":4}}""", mode, 16);

            Assert.Null(record.UsageIssue);
            Assert.Equal(TokenSources.Usage, record.TokensSource);
            Assert.Equal(6, record.CompletionTokens);
            Assert.Equal(4, record.CachedTokens);
        }
    }

    private static async Task<RequestRecord> SendAsync(string usage, Mode mode, int maxTokens, string? tokenizer = null)
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            if (exchange.IsStreaming)
            {
                await exchange.BeginEventStreamAsync();
                await exchange.WriteAsync($$"""data: {"choices":[{"index":0,"delta":{"content":"{{Answer}}"},"finish_reason":null}]}""" + "\n\n");
                await exchange.WriteAsync($$"""data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n");
                await exchange.WriteAsync($$"""data: {"choices":[],"usage":{{usage}}}""" + "\n\ndata: [DONE]\n\n");
                return false;
            }

            await exchange.RespondAsync(200, "application/json",
                $$"""{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"{{Answer}}"},"finish_reason":"stop"}],"usage":{{usage}}}""");
            return true;
        });
        using var http = new HttpClient();
        var options = new ChatClientOptions { Tokenizer = tokenizer };
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, "sk-hostile"), new RunClock(TimeProvider.System), options);
        return await client.SendAsync(new ChatRequest("m", mode, [new ChatMessage("user", "hi")], maxTokens), new RequestContext(0));
    }
}
