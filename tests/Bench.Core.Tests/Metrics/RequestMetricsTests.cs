using Bench.Core.Metrics;
using Bench.Core.Records;

namespace Bench.Core.Tests.Metrics;

public class RequestMetricsTests
{
    /// <summary>A streaming request sent at 1,000 ms: prelude at 1,100, tokens at 1,250 / 1,300 / 1,400 / 1,450, end at 1,460.</summary>
    private static RequestRecord Streamed() => new()
    {
        Mode = Mode.Streaming,
        SentMs = 1000,
        FirstByteMs = 1100,
        FirstTokenMs = 1250,
        FirstOutputTokenMs = 1300,
        LastTokenMs = 1450,
        EndMs = 1460,
        TokenEventsMs = [1250, 1300, 1400, 1450],
        CompletionTokens = 5,
        Outcome = Outcome.Success,
    };

    [Fact]
    public void Ttfb_Streamed_IsSentToFirstByte() => Assert.Equal(100, RequestMetrics.TtfbMs(Streamed()));

    [Fact]
    public void Ttft_Streamed_IsSentToFirstTokenEvent() => Assert.Equal(250, RequestMetrics.TtftMs(Streamed()));

    [Fact]
    public void Ttfo_Streamed_IsSentToFirstNonReasoningToken() => Assert.Equal(300, RequestMetrics.TtfoMs(Streamed()));

    [Fact]
    public void E2e_Streamed_IsSentToEnd() => Assert.Equal(460, RequestMetrics.E2eMs(Streamed()));

    [Fact]
    public void Tpot_FiveTokens_IsSpanOverFourGaps()
    {
        // (1450 − 1250) / (5 − 1) = 50 ms: tokens, not events, divide the span (vLLM's definition).
        Assert.Equal(50, RequestMetrics.TpotMs(Streamed()));
    }

    [Fact]
    public void Tpot_OneToken_IsUndefined()
    {
        var r = Streamed();
        r.CompletionTokens = 1;
        Assert.Null(RequestMetrics.TpotMs(r));
    }

    [Fact]
    public void Tpot_NoUsage_IsUndefined()
    {
        var r = Streamed();
        r.CompletionTokens = null;
        Assert.Null(RequestMetrics.TpotMs(r));
    }

    [Fact]
    public void Itl_FourEvents_AreThreeGaps() => Assert.Equal([50.0, 100.0, 50.0], RequestMetrics.ItlMs(Streamed()));

    [Fact]
    public void DecodeTps_FiveTokensOver200Ms_Is25PerSecond() => Assert.Equal(25, RequestMetrics.DecodeTps(Streamed()));

    [Fact]
    public void StreamingOnlyMetrics_NonStreaming_AreUndefined()
    {
        var r = new RequestRecord { Mode = Mode.NonStreaming, SentMs = 10, FirstByteMs = 2000, EndMs = 2010, CompletionTokens = 100 };
        Assert.Null(RequestMetrics.TtftMs(r));
        Assert.Null(RequestMetrics.TtfoMs(r));
        Assert.Null(RequestMetrics.TpotMs(r));
        Assert.Null(RequestMetrics.DecodeTps(r));
        Assert.Equal(1990, RequestMetrics.TtfbMs(r));
        Assert.Equal(2000, RequestMetrics.E2eMs(r));
    }

    [Fact]
    public void QueueAndResponse_OpenLoad_MeasureFromIntendedTime()
    {
        var r = Streamed();
        r.IntendedMs = 990;
        Assert.Equal(10, RequestMetrics.QueueMs(r));
        Assert.Equal(470, RequestMetrics.ResponseMs(r));
    }

    [Fact]
    public void QueueAndResponse_ClosedLoad_AreUndefined()
    {
        Assert.Null(RequestMetrics.QueueMs(Streamed()));
        Assert.Null(RequestMetrics.ResponseMs(Streamed()));
    }
}
