using System.IO.Pipelines;
using Bench.Core.Client;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Core.Tests.Client;

public sealed class RequestDeadlinesTests
{
    [Fact]
    public async Task IdleTimeout_ReadsThatEachWaitLessThanIt_NeverFire_ThenTheWaitingReadFiresExactlyOneTimeoutAfterItStarted()
    {
        var time = new FakeTimeProvider();
        using var deadlines = new RequestDeadlines(time, TimeSpan.FromSeconds(100), null, TimeSpan.FromSeconds(5), CancellationToken.None);
        deadlines.Start();
        var pipe = new Pipe();
        await using var body = deadlines.Watch(pipe.Reader.AsStream());
        var buffer = new byte[16];

        // Three reads, each answered after 3 s: 9 s in all, longer than the idle timeout, never 5 s on one read.
        for (var i = 0; i < 3; i++)
        {
            var read = body.ReadAsync(buffer).AsTask();
            time.Advance(TimeSpan.FromSeconds(3));
            await pipe.Writer.WriteAsync(new byte[] { 1 });
            Assert.Equal(1, await read);
        }

        Assert.Null(deadlines.Fired);

        // The fourth read starts at 9 s and waits: the timeout is due at 14 s, not earlier.
        var waiting = body.ReadAsync(buffer, deadlines.Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(4.999));
        Assert.Null(deadlines.Fired);
        Assert.False(deadlines.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("No response byte for 5 s (idle timeout).", deadlines.Fired);
        Assert.True(deadlines.Token.IsCancellationRequested);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void IdleTimeout_NoReadWaiting_NeverFires()
    {
        var time = new FakeTimeProvider();
        using var deadlines = new RequestDeadlines(time, TimeSpan.FromSeconds(100), null, TimeSpan.FromSeconds(5), CancellationToken.None);
        deadlines.Start();

        time.Advance(TimeSpan.FromSeconds(60));

        Assert.Null(deadlines.Fired);
    }
}
