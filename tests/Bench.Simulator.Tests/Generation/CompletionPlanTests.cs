using Bench.Simulator.Generation;

namespace Bench.Simulator.Tests.Generation;

public class CompletionPlanTests
{
    private static readonly CompletionPlan Plan = new(Fault.None, TtftTicks: 1000, TicksPerToken: 10, 20, "stop");

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 1010)]
    [InlineData(20, 1190)]
    public void ChunkDeadline_OneTokenPerChunk_TokenKIsDueAtTtftPlusKMinusOneDecodeTimes(int tokensSoFar, long due) =>
        Assert.Equal(100 + due, Plan.ChunkDeadline(arrival: 100, tokensSoFar, firstChunkTokens: 1));

    [Theory]
    [InlineData(3, 1000)]
    [InlineData(6, 1030)]
    [InlineData(20, 1170)]
    public void ChunkDeadline_ThreeTokensPerChunk_FirstChunkAtTtftLaterOnesPerTokenAdded(int tokensSoFar, long due) =>
        Assert.Equal(due, Plan.ChunkDeadline(arrival: 0, tokensSoFar, firstChunkTokens: 3));

    [Fact]
    public void CompletionDeadline_NonStreaming_IsTtftPlusAllTokens() =>
        Assert.Equal(1200, Plan.CompletionDeadline(arrival: 0));

    [Fact]
    public void InterruptAfterTokens_IsHalfRoundedDown() =>
        Assert.Equal(3, (Plan with { CompletionTokens = 7 }).InterruptAfterTokens);
}
