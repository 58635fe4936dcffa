using Bench.Core.Records;

namespace Bench.Harness.Running;

/// <summary>
/// Stops a run whose endpoint refuses the API key: when the first <see cref="FirstRequests"/> requests of the run to
/// complete were all answered HTTP 401 or 403, it cancels the run, so a wrong or expired key costs a few requests
/// instead of the whole plan. One success or any other answer among them (a 429, a timeout, a 404 for an unknown
/// model) and it never stops the run.
/// </summary>
/// <remarks>
/// The first requests to complete all belong to the plan's first cell (cells run one after another, warm-up first):
/// a key refused for every model shows there. A 403 for one model only (a key without access to it) also stops the
/// run when that model comes first; the message names the status and the provider's words, so the fix is plain.
/// A run stopped this way exits <see cref="ExitCodes.MeasuredFailure"/> (1), not <see cref="ExitCodes.BadInput"/>
/// (2): code 2 promises that nothing was sent, while a refused key is found only by sending, and the results folder
/// keeps the refusals as evidence. Requests that were not attempts (dropped, cancelled) are not counted.
/// </remarks>
internal sealed class AuthGuard(CancellationTokenSource stop)
{
    /// <summary>How many completed requests, all refused, stop the run.</summary>
    public const int FirstRequests = 3;

    private readonly Lock _lock = new();
    private RequestRecord? _first;
    private int _refused;
    private bool _decided;

    /// <summary>The first refused record once the run was stopped for it; else <see langword="null"/>.</summary>
    public RequestRecord? Refusal { get; private set; }

    /// <summary>Looks at a completed record (thread-safe; called from the records sink).</summary>
    public void Observe(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Outcome.IsAttempt())
        {
            return;
        }

        lock (_lock)
        {
            if (_decided)
            {
                return;
            }

            if (record.HttpStatus is not (401 or 403))
            {
                _decided = true;
                return;
            }

            _first ??= record;
            if (++_refused < FirstRequests)
            {
                return;
            }

            _decided = true;
            Refusal = _first;
        }

        // The sink runs on the request's own path: cancel off it (cancellation callbacks run synchronously).
        _ = stop.CancelAsync();
    }

    /// <summary>The line printed when the guard stopped the run, e.g. <c>stopped: the endpoint refused the API key (401
    /// invalid_api_key: Incorrect API key provided: sk-***)</c>.</summary>
    public static string Describe(RequestRecord refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var what = refusal.HttpStatus == 403 ? "refused access with the API key" : "refused the API key";
        return $"stopped: the endpoint {what} ({FailureSummary.Describe(refusal)}); the first {FirstRequests} requests were all refused, so the rest of the plan was not sent.";
    }
}
