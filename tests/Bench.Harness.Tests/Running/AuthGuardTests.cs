using Bench.Core.Records;
using Bench.Harness.Running;

namespace Bench.Harness.Tests.Running;

public sealed class AuthGuardTests
{
    private static RequestRecord Answer(int? status, Outcome outcome = Outcome.ClientError) =>
        new() { HttpStatus = status, Outcome = status is >= 200 and < 300 ? Outcome.Success : outcome };

    [Fact]
    public void Observe_FirstRequestsAllRefused_StopsTheRun()
    {
        using var stop = new CancellationTokenSource();
        var guard = new AuthGuard(stop);
        var first = Answer(401);

        guard.Observe(first);
        guard.Observe(Answer(403));
        Assert.Null(guard.Refusal);
        guard.Observe(Answer(401));

        Assert.Same(first, guard.Refusal);
        Assert.True(SpinWait.SpinUntil(() => stop.IsCancellationRequested, TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(429)]
    [InlineData(404)]
    [InlineData(null)]
    public void Observe_AnyOtherAnswerAmongTheFirst_NeverStops(int? other)
    {
        using var stop = new CancellationTokenSource();
        var guard = new AuthGuard(stop);

        guard.Observe(Answer(401));
        guard.Observe(Answer(other, Outcome.ConnectionError));
        for (var i = 0; i < 10; i++)
        {
            guard.Observe(Answer(401));
        }

        Assert.Null(guard.Refusal);
        Assert.False(stop.IsCancellationRequested);
    }

    [Fact]
    public void Observe_RecordsThatWereNotAttempts_AreNotCounted()
    {
        using var stop = new CancellationTokenSource();
        var guard = new AuthGuard(stop);

        guard.Observe(Answer(401));
        guard.Observe(new RequestRecord { Outcome = Outcome.Dropped });
        guard.Observe(new RequestRecord { Outcome = Outcome.Cancelled });
        guard.Observe(Answer(401));

        Assert.Null(guard.Refusal);
    }

    [Fact]
    public void Describe_Refusal_NamesStatusCodeAndMessage()
    {
        var refusal = new RequestRecord
        {
            HttpStatus = 403,
            Outcome = Outcome.ClientError,
            Error = new ErrorInfo("permission_error", null, "Project does not have access"),
        };

        Assert.StartsWith("stopped: the endpoint refused access with the API key (403 permission_error: Project does not have access);",
            AuthGuard.Describe(refusal), StringComparison.Ordinal);
    }
}
