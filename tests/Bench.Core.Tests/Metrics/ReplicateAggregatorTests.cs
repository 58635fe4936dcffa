using Bench.Core.Metrics;
using Bench.Core.Records;

namespace Bench.Core.Tests.Metrics;

/// <summary>The combined view and the per-replicate views of one run's records.</summary>
public sealed class ReplicateAggregatorTests
{
    private static RequestRecord Record(int? replicate, Outcome outcome, double e2eMs, string model = "m") => new()
    {
        Model = model,
        Mode = Mode.NonStreaming,
        SentMs = 0,
        EndMs = e2eMs,
        Outcome = outcome,
        Replicate = replicate,
        PromptTokens = outcome == Outcome.Success ? 10 : null,
        CompletionTokens = outcome == Outcome.Success ? 5 : null,
    };

    [Fact]
    public void Add_RecordsOfTwoReplicates_CombinedHasAllAndEachReplicateItsOwn()
    {
        var aggregator = new ReplicateAggregator();
        aggregator.Add(Record(2, Outcome.Success, 100));
        aggregator.Add(Record(1, Outcome.Success, 200));
        aggregator.Add(Record(1, Outcome.ServerError, 50));
        aggregator.Add(Record(2, Outcome.Success, 300, model: "other"));

        var combined = aggregator.Combined.Summarize();
        Assert.Equal(3, combined.Single(c => c.Model == "m").Requests);
        Assert.Equal([1, 2], aggregator.Replicates.Select(r => r.Replicate));
        var first = aggregator.Replicates[0].Aggregator.Summarize();
        Assert.Equal(2, first.Single().Requests);
        Assert.Equal(1, first.Single().Successes);
        var second = aggregator.Replicates[1].Aggregator.Summarize();
        Assert.Equal(["m", "other"], second.Select(c => c.Model));
    }

    [Fact]
    public void Add_RecordsWithoutReplicate_OnlyCombined()
    {
        var aggregator = new ReplicateAggregator();
        aggregator.Add(Record(null, Outcome.Success, 100));
        Assert.Empty(aggregator.Replicates);
        Assert.Equal(1, aggregator.Combined.Summarize().Single().Requests);
    }
}
