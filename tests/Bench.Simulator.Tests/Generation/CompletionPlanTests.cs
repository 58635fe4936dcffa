using Bench.Core.Faults;
using Bench.Simulator.Generation;

namespace Bench.Simulator.Tests.Generation;

public class CompletionPlanTests
{
    private static readonly CompletionPlan Plan = new(FaultDraw: 0.5, TtftTicks: 1000, TicksPerToken: 10, 20, "stop");

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
    public void CompletionDeadline_OneTokenPerChunk_IsWhenTheLastTokenWouldBeStreamed()
    {
        Assert.Equal(1190, Plan.CompletionDeadline(arrival: 0, tokensPerChunk: 1));
        Assert.Equal(Plan.ChunkDeadline(arrival: 0, 20, firstChunkTokens: 1), Plan.CompletionDeadline(0, 1));
    }

    [Theory]
    [InlineData(3, 1170)]
    [InlineData(50, 1000)]
    public void CompletionDeadline_SeveralTokensPerChunk_IsWhenTheLastChunkWouldBeStreamed(int tokensPerChunk, long due) =>
        Assert.Equal(due, Plan.CompletionDeadline(arrival: 0, tokensPerChunk));

    [Fact]
    public void CompletionDeadline_OneToken_IsTtft() =>
        Assert.Equal(1000, (Plan with { CompletionTokens = 1 }).CompletionDeadline(arrival: 0, 1));

    [Fact]
    public void FaultAfterTokens_DefaultAt_IsHalfRoundedDown() =>
        Assert.Equal(3, (Plan with { CompletionTokens = 7, Fault = new FaultRule { Kind = FaultKind.Disconnect } }).FaultAfterTokens);
}
