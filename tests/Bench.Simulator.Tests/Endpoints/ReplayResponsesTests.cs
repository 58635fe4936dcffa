using System.Diagnostics;
using System.Text;
using Bench.Core.Faults;
using Bench.Simulator.Endpoints;
using Bench.Simulator.Generation;
using Bench.Simulator.Replay;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using static Bench.Simulator.Tests.Replay.Recordings;

namespace Bench.Simulator.Tests.Endpoints;

public class ReplayResponsesTests
{
    private const string KeepAlive = ": keep-alive\n\n";

    [Fact]
    public async Task StreamAsync_Recording_FlushesEveryRecordedEventOnItsOwn()
    {
        string[] events = [KeepAlive, Role, Content("abcd"), KeepAlive, Content("abcdefgh"), Content("wxyz"), Finish, Usage, Done];
        var recording = RecordedStream.Parse("test.sse", Encoding.UTF8.GetBytes(string.Concat(events)));
        var (context, body) = Context();
        var progress = new ResponseProgress();

        await ReplayResponses.StreamAsync(context, recording, AtOnce, Stopwatch.GetTimestamp(), progress);

        Assert.Equal(events, body.Flushes);
        Assert.Equal("text/event-stream", context.Response.ContentType);
        Assert.NotNull(progress.FirstTokenTimestamp);
        Assert.Equal((4, "stop"), (progress.CompletionTokens, progress.FinishReason));
    }

    [Fact]
    public async Task StreamAsync_InterruptedFault_FlushesTheEventsBeforeHalfTheTokenEventsThenAborts()
    {
        var recording = RecordedStream.Parse("test.sse", Encoding.UTF8.GetBytes(Paced));
        var (context, body) = Context();
        var aborted = false;
        context.Features.Set<IHttpRequestLifetimeFeature>(new Lifetime(() => aborted = true));
        var progress = new ResponseProgress();

        await ReplayResponses.StreamAsync(
            context, recording, AtOnce with { Fault = new FaultRule { Kind = FaultKind.Disconnect, Reset = true } }, Stopwatch.GetTimestamp(), progress);

        // 3 token events: the second (index 1 = 3 / 2) is not sent.
        Assert.Equal([Role, Content("abcd")], body.Flushes);
        Assert.True(aborted);
        Assert.Equal((1, (string?)null), (progress.CompletionTokens, progress.FinishReason));
    }

    /// <summary>Every event due at once.</summary>
    private static CompletionPlan AtOnce => new(0, 0, 0, 0, "stop");

    private static (HttpContext Context, FlushLog Body) Context()
    {
        var body = new FlushLog();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return (context, body);
    }

    /// <summary>Records what was written between flushes.</summary>
    private sealed class FlushLog : Stream
    {
        private readonly MemoryStream _pending = new();

        public List<string> Flushes { get; } = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
            if (_pending.Length > 0)
            {
                Flushes.Add(Encoding.UTF8.GetString(_pending.ToArray()));
                _pending.SetLength(0);
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flush();
            return Task.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _pending.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class Lifetime(Action onAbort) : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }

        public void Abort() => onAbort();
    }
}
