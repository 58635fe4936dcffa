using HdrHistogram;
using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// A cell's intended against achieved lengths (issue 15): over its successful requests that carry an intended length
/// (<see cref="RequestRecord.IntendedPromptTokens"/>, <see cref="RequestRecord.IntendedCompletionTokens"/>) and
/// believed usage, the mean and p50 of the intended and the server's counts. Achieved prompt tokens include the chat
/// template's overhead (OpenAI's cookbook: 3 tokens per message plus 3 priming the reply), which intended counts leave out.
/// </summary>
/// <param name="Requests">Successful requests with an intended prompt length and usage.</param>
/// <param name="IntendedPromptMean">Mean intended prompt tokens.</param>
/// <param name="IntendedPromptP50">Median intended prompt tokens.</param>
/// <param name="AchievedPromptMean">Mean usage <c>prompt_tokens</c> of the same requests.</param>
/// <param name="AchievedPromptP50">Median usage <c>prompt_tokens</c>.</param>
/// <param name="CompletionRequests">Successful requests with an intended answer length and usage.</param>
/// <param name="IntendedCompletionMean">Mean intended completion tokens, or null.</param>
/// <param name="IntendedCompletionP50">Median intended completion tokens, or null.</param>
/// <param name="AchievedCompletionMean">Mean usage <c>completion_tokens</c> of the same requests, or null.</param>
/// <param name="AchievedCompletionP50">Median usage <c>completion_tokens</c>, or null.</param>
public sealed record LengthComparison(
    long Requests,
    double? IntendedPromptMean,
    double? IntendedPromptP50,
    double? AchievedPromptMean,
    double? AchievedPromptP50,
    long CompletionRequests,
    double? IntendedCompletionMean,
    double? IntendedCompletionP50,
    double? AchievedCompletionMean,
    double? AchievedCompletionP50)
{
    /// <summary>Mean achieved minus mean intended prompt tokens: the chat template's overhead (and any difference of
    /// tokenizer), or null.</summary>
    public double? PromptOverheadMean => AchievedPromptMean - IntendedPromptMean;
}

/// <summary>Collects a cell's <see cref="LengthComparison"/>: exact means, medians from HdrHistogram (3 significant
/// digits, as the latency histograms).</summary>
public sealed class LengthTally
{
    private readonly Side _intendedPrompt = new();
    private readonly Side _achievedPrompt = new();
    private readonly Side _intendedCompletion = new();
    private readonly Side _achievedCompletion = new();

    /// <summary>Adds a successful record whose usage was believed.</summary>
    public void Add(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.IntendedPromptTokens is { } ip && r.PromptTokens is { } ap)
        {
            _intendedPrompt.Add(ip);
            _achievedPrompt.Add(ap);
        }

        if (r.IntendedCompletionTokens is { } ic && r.CompletionTokens is { } ac)
        {
            _intendedCompletion.Add(ic);
            _achievedCompletion.Add(ac);
        }
    }

    /// <summary>The comparison, or null when no record carried an intended length.</summary>
    public LengthComparison? ToComparison() => _intendedPrompt.Count == 0 && _intendedCompletion.Count == 0
        ? null
        : new LengthComparison(
            _intendedPrompt.Count, _intendedPrompt.Mean, _intendedPrompt.P50, _achievedPrompt.Mean, _achievedPrompt.P50,
            _intendedCompletion.Count, _intendedCompletion.Mean, _intendedCompletion.P50, _achievedCompletion.Mean, _achievedCompletion.P50);

    private sealed class Side
    {
        private readonly LongHistogram _histogram = new(1, 1L << 36, 3);
        private double _sum;

        public long Count { get; private set; }

        public double? Mean => Count == 0 ? null : _sum / Count;

        public double? P50 => Count == 0 ? null : _histogram.GetValueAtPercentile(50);

        public void Add(long value)
        {
            Count++;
            _sum += value;
            _histogram.RecordValue(Math.Max(1, value));
        }
    }
}
