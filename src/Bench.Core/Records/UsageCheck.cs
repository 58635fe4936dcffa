using System.Globalization;
using System.Text;

namespace Bench.Core.Records;

/// <summary>
/// Decides whether a server's <c>usage</c> can be believed, in one place: a record whose counts are impossible or
/// inconsistent is flagged (<see cref="RequestRecord.UsageIssue"/>) and its counts are replaced by the local
/// tokenizer's, or dropped (the request is then unpriced) — never priced at face value.
/// </summary>
/// <remarks>
/// <para>The rules, each a <c>kind</c> of <see cref="RequestRecord.UsageIssue"/>:</para>
/// <list type="table">
/// <listheader><term>kind</term><description>flagged when</description></listheader>
/// <item><term><c>not_integer</c>, <c>overflow</c>, <c>not_a_number</c>, <c>not_an_object</c></term><description>a
/// count is fractional (<c>12.5</c>), beyond a 32-bit count (<c>3000000000</c>, <c>1e30</c>), not a number
/// (<c>"many"</c>), or <c>usage</c> is not an object — found while reading (Core/Wire, <c>ChunkParser</c>), which
/// keeps the raw text in the detail.</description></item>
/// <item><term><c>negative</c></term><description>a count is below 0.</description></item>
/// <item><term><c>implausible</c></term><description>a count is above <see cref="MaxPlausibleTokens"/>
/// (10,000,000: the largest context window any model offers, Llama 4 Scout's; no request can use more).</description></item>
/// <item><term><c>cached_above_prompt</c></term><description><c>cached_tokens</c> &gt; <c>prompt_tokens</c>, or
/// <c>cached_tokens</c> + <c>cache_write_tokens</c> &gt; <c>prompt_tokens</c> (cache reads and writes are disjoint parts
/// of the prompt).</description></item>
/// <item><term><c>reasoning_above_completion</c></term><description><c>reasoning_tokens</c> &gt;
/// <c>completion_tokens</c> (reasoning is part of the completion).</description></item>
/// <item><term><c>above_max_tokens</c></term><description><c>completion_tokens</c> &gt; 2 × the request's
/// <c>max_tokens</c> + <see cref="MaxTokensSlack"/> (64). Servers overshoot the limit by a token or two (a stop token,
/// a closing tool-call bracket) — never by twice the limit.</description></item>
/// <item><term><c>above_received_text</c></term><description><c>completion_tokens</c> is above <c>max_tokens</c> (or
/// no limit is known) <i>and</i> the tokens that should be visible (completion minus hidden reasoning) exceed what
/// the received text can hold: 3 per character of content and reasoning (a byte-level BPE token holds at least one
/// UTF-8 byte, a UTF-16 character at most three), or 4 per locally counted token, plus <see cref="TextSlack"/> (64,
/// for tool-call framing and special tokens). Within <c>max_tokens</c> the server's count is believed: hidden
/// reasoning is legitimate and the request's own limit bounds the bill.</description></item>
/// <item><term><c>prompt_above_local_count</c></term><description><c>prompt_tokens</c> &gt; 4 × the local count of
/// the prompt + <see cref="PromptSlack"/> (4,096): room for another tokenizer (up to about 2× on unusual text) and a
/// relay's injected system prompt.</description></item>
/// </list>
/// <para>Counts that are the local tokenizer's (<see cref="TokenSources.Tokenizer"/>) are checked only for sign and
/// size: they are what the text holds by construction. A record already flagged is left as it is.</para>
/// <para>Applied once per request at the end of <see cref="Client.ChatClient.SendAsync"/> (with the request's
/// <c>max_tokens</c> and the reader's findings) and again to every record read back from <c>records.jsonl</c>
/// (without them), so results written before this check existed, or edited by hand, are treated the same way.</para>
/// </remarks>
public static class UsageCheck
{
    /// <summary>Above this many tokens a count is impossible (the largest context window offered).</summary>
    public const long MaxPlausibleTokens = 10_000_000;

    /// <summary>Tokens allowed above 2 × <c>max_tokens</c>.</summary>
    public const int MaxTokensSlack = 64;

    /// <summary>Tokens allowed above what the received text can hold.</summary>
    public const int TextSlack = 64;

    /// <summary>Tokens allowed above 4 × the local prompt count.</summary>
    public const int PromptSlack = 4096;

    /// <summary>A reason is cut to this many characters.</summary>
    public const int MaxIssueChars = 500;

    /// <summary>Issue kinds (the text before the colon of each reason).</summary>
    public static class Kinds
    {
        /// <summary>A count with a fractional part.</summary>
        public const string NotInteger = "not_integer";

        /// <summary>A count beyond a 32-bit integer.</summary>
        public const string Overflow = "overflow";

        /// <summary>A count that is not a JSON number.</summary>
        public const string NotANumber = "not_a_number";

        /// <summary><c>usage</c> (or a details object) that is not a JSON object.</summary>
        public const string NotAnObject = "not_an_object";

        /// <summary>A negative count.</summary>
        public const string Negative = "negative";

        /// <summary>A count above <see cref="MaxPlausibleTokens"/>.</summary>
        public const string Implausible = "implausible";

        /// <summary>Cached tokens above prompt tokens, or cached and cache-write tokens together above them.</summary>
        public const string CachedAbovePrompt = "cached_above_prompt";

        /// <summary>Reasoning tokens above completion tokens.</summary>
        public const string ReasoningAboveCompletion = "reasoning_above_completion";

        /// <summary>Completion tokens far above the request's limit.</summary>
        public const string AboveMaxTokens = "above_max_tokens";

        /// <summary>Completion tokens above what the received text can hold.</summary>
        public const string AboveReceivedText = "above_received_text";

        /// <summary>Prompt tokens far above the local count of the prompt.</summary>
        public const string PromptAboveLocalCount = "prompt_above_local_count";
    }

    /// <summary>
    /// Checks <paramref name="record"/>'s usage and, when it cannot be believed, flags it and replaces its counts: by
    /// the local tokenizer's counts (<see cref="TokenSources.Tokenizer"/>) when the record has them, else by none
    /// (<see cref="TokenSources.None"/>: unpriced). Never throws on any count.
    /// </summary>
    /// <param name="record">The record, changed in place.</param>
    /// <param name="maxTokens">The request's <c>max_tokens</c>, when known (not stored in the record).</param>
    /// <param name="readIssue">What the reader found wrong with the <c>usage</c> text (fractional, overflowing or
    /// non-numeric values, which it could not store), or <see langword="null"/>.</param>
    /// <returns>Whether the record is flagged (now or before).</returns>
    public static bool Apply(RequestRecord record, int? maxTokens = null, string? readIssue = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.UsageIssue is not null)
        {
            return true;
        }

        var reason = Join(readIssue, Check(record, maxTokens));
        if (reason is null)
        {
            return false;
        }

        record.UsageIssue = Truncate(reason);
        if (record.TokensSource == TokenSources.Tokenizer && Check(record) is null)
        {
            // No usage was kept (it was unreadable): the counts are already the local ones.
            return true;
        }

        record.ReasoningTokens = null;
        record.CachedTokens = null;
        // Cache writes are a part of the prompt count being replaced: kept, they would be billed beside a local prompt
        // count that does not include them (and a cell's cache writes could exceed its prompt tokens).
        record.CacheWriteTokens = null;
        if (Sane(record.TokenizerPromptTokens) is not null || Sane(record.TokenizerCompletionTokens) is not null)
        {
            record.PromptTokens = Sane(record.TokenizerPromptTokens);
            record.CompletionTokens = Sane(record.TokenizerCompletionTokens);
            record.TokensSource = TokenSources.Tokenizer;
        }
        else
        {
            record.PromptTokens = null;
            record.CompletionTokens = null;
            record.TokensSource = TokenSources.None;
        }

        return true;
    }

    /// <summary>Why <paramref name="record"/>'s current counts cannot be believed (the rules of the class remarks
    /// that the record alone can judge, plus <c>above_max_tokens</c> when <paramref name="maxTokens"/> is given), or
    /// <see langword="null"/> when they can. Pure; never throws.</summary>
    public static string? Check(RequestRecord record, int? maxTokens = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var issues = new StringBuilder();
        CheckRange(issues, "usage.prompt_tokens", record.PromptTokens);
        CheckRange(issues, "usage.completion_tokens", record.CompletionTokens);
        CheckRange(issues, "usage.completion_tokens_details.reasoning_tokens", record.ReasoningTokens);
        CheckRange(issues, "usage.prompt_tokens_details.cached_tokens", record.CachedTokens);
        CheckRange(issues, "cache_write_tokens", record.CacheWriteTokens);
        var prompt = record.PromptTokens ?? 0;
        var completion = record.CompletionTokens ?? 0;
        if (record.CachedTokens is { } cached && cached > prompt)
        {
            Add(issues, Kinds.CachedAbovePrompt, $"cached_tokens {cached} > prompt_tokens {prompt}");
        }
        else if (record.CacheWriteTokens is { } written and >= 0 && (long)(record.CachedTokens ?? 0) + written > prompt)
        {
            // Cache reads and writes are disjoint parts of the prompt (CostModel): together they cannot exceed it.
            Add(issues, Kinds.CachedAbovePrompt, $"cached_tokens {record.CachedTokens ?? 0} + cache_write_tokens {written} > prompt_tokens {prompt}");
        }

        if (record.ReasoningTokens is { } reasoning && reasoning > completion)
        {
            Add(issues, Kinds.ReasoningAboveCompletion, $"reasoning_tokens {reasoning} > completion_tokens {completion}");
        }

        if (record.TokensSource != TokenSources.Tokenizer && issues.Length == 0)
        {
            CheckAgainstRequest(issues, record, maxTokens);
        }

        return issues.Length == 0 ? null : issues.ToString();
    }

    /// <summary>Whether <paramref name="record"/>'s counts can be added up and priced without harm: each in 0 ..
    /// <see cref="MaxPlausibleTokens"/>, cached ≤ prompt, reasoning ≤ completion (an absent count is 0). Allocation-free:
    /// the aggregation's guard for records that did not pass through <see cref="Apply"/>.</summary>
    public static bool IsConsistent(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return InRange(record.PromptTokens) && InRange(record.CompletionTokens) && InRange(record.ReasoningTokens) && InRange(record.CachedTokens)
            && InRange(record.CacheWriteTokens)
            && (long)(record.CachedTokens ?? 0) + (record.CacheWriteTokens ?? 0) <= (record.PromptTokens ?? 0)
            && (record.ReasoningTokens ?? 0) <= (record.CompletionTokens ?? 0);

        static bool InRange(int? count) => count is null or (>= 0 and <= (int)MaxPlausibleTokens);
    }

    /// <summary>The kinds of a <see cref="RequestRecord.UsageIssue"/>, in order, without repeats.</summary>
    public static IReadOnlyList<string> KindsOf(string? usageIssue)
    {
        if (string.IsNullOrEmpty(usageIssue))
        {
            return [];
        }

        var kinds = new List<string>();
        foreach (var part in usageIssue.Split("; ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var kind = colon > 0 ? part[..colon] : part;
            if (kind.Length > 40)
            {
                kind = kind[..40];
            }

            if (!kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        return kinds;
    }

    /// <summary>One reason, <c>kind: detail</c>, as the reader and the rules write it.</summary>
    public static string Reason(string kind, string detail) => $"{kind}: {detail}";

    /// <summary>Joins two reasons (either may be null) with <c>"; "</c>.</summary>
    public static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : $"{first}; {second}";

    private static void CheckAgainstRequest(StringBuilder issues, RequestRecord record, int? maxTokens)
    {
        long completion = record.CompletionTokens ?? 0;
        if (maxTokens is > 0 and { } limit && completion > 2L * limit + MaxTokensSlack)
        {
            Add(issues, Kinds.AboveMaxTokens, $"completion_tokens {completion} > 2 × max_tokens {limit} + {MaxTokensSlack}");
        }

        if (record.CompletionTokens is not null && (maxTokens is not > 0 || completion > maxTokens))
        {
            // Reasoning sent as text is visible; reasoning reported but not sent is hidden (OpenAI's o-series).
            long hidden = record.ReasoningChars > 0 ? 0 : Math.Min(record.ReasoningTokens ?? 0, completion);
            long visible = completion - hidden;
            long chars = (long)Math.Max(0, record.ContentChars) + Math.Max(0, record.ReasoningChars);
            long local = Math.Max(0, record.TokenizerCompletionTokens ?? 0);
            var toolCallsUncounted = record.TokenizerCompletionTokens is null && record.FinishReason == "tool_calls";
            var bound = Math.Max(3 * chars, 4 * local) + TextSlack;
            if (!toolCallsUncounted && visible > bound)
            {
                Add(issues, Kinds.AboveReceivedText, FormattableString.Invariant(
                    $"completion_tokens {completion} (visible {visible}) > what {chars} received characters can hold ({bound})"));
            }
        }

        if (record.PromptTokens is { } prompt && record.TokenizerPromptTokens is { } localPrompt and >= 0
            && prompt > 4L * localPrompt + PromptSlack)
        {
            Add(issues, Kinds.PromptAboveLocalCount, $"prompt_tokens {prompt} > 4 × the local count {localPrompt} + {PromptSlack}");
        }
    }

    private static void CheckRange(StringBuilder issues, string field, int? count)
    {
        if (count is < 0)
        {
            Add(issues, Kinds.Negative, $"{field} = {count.Value.ToString(CultureInfo.InvariantCulture)}");
        }
        else if (count > MaxPlausibleTokens)
        {
            Add(issues, Kinds.Implausible, FormattableString.Invariant($"{field} = {count.Value} > {MaxPlausibleTokens:N0}"));
        }
    }

    private static void Add(StringBuilder issues, string kind, string detail)
    {
        if (issues.Length > 0)
        {
            issues.Append("; ");
        }

        issues.Append(Reason(kind, detail));
    }

    private static int? Sane(int? count) => count is >= 0 and <= (int)MaxPlausibleTokens ? count : null;

    private static string Truncate(string text) =>
        text.Length <= MaxIssueChars ? text : string.Concat(text.AsSpan(0, MaxIssueChars - 1), "…");
}
