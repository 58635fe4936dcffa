using Bench.Core.Records;
using Bench.Harness.Progress;
using Bench.Load.Running;

namespace Bench.Harness.Tests.Progress;

public class LiveProgressTests
{
    [Fact]
    public void CellLine_CountsDroppedAndCancelledApart_FromDoneAndErrors()
    {
        var output = new StringWriter();
        var progress = new LiveProgress(output, _ => null, TimeProvider.System);
        var cell = new Cell("m", Mode.NonStreaming);

        progress.CellStarted(cell);
        foreach (var outcome in new[] { Outcome.Success, Outcome.Dropped, Outcome.ServerError, Outcome.Dropped, Outcome.Dropped, Outcome.Cancelled })
        {
            progress.RequestCompleted(cell, new RequestRecord { Model = "m", Mode = Mode.NonStreaming, Outcome = outcome, SentMs = 0, EndMs = 10 });
        }

        progress.CellFinished(cell);

        var line = output.ToString();
        Assert.Contains("    2 done  1 errors  3 dropped  1 cancelled", line, StringComparison.Ordinal);
    }

    [Fact]
    public void CellLine_NothingDropped_SaysNothingOfIt()
    {
        var output = new StringWriter();
        var progress = new LiveProgress(output, _ => null, TimeProvider.System);
        var cell = new Cell("m", Mode.NonStreaming);

        progress.CellStarted(cell);
        progress.RequestCompleted(cell, new RequestRecord { Model = "m", Mode = Mode.NonStreaming, Outcome = Outcome.Success, SentMs = 0, EndMs = 10 });
        progress.CellFinished(cell);

        Assert.DoesNotContain("dropped", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("cancelled", output.ToString(), StringComparison.Ordinal);
    }
}
