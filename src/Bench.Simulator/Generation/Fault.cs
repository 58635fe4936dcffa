namespace Bench.Simulator.Generation;

/// <summary>The fault, if any, drawn for one request (see <see cref="Profiles.FaultRates"/>).</summary>
internal enum Fault
{
    /// <summary>The request completes.</summary>
    None,

    /// <summary>HTTP 429 at once.</summary>
    RateLimited,

    /// <summary>HTTP 500 at once.</summary>
    ServerError,

    /// <summary>Streaming: the connection is aborted after about half the tokens.</summary>
    StreamInterrupted,
}
