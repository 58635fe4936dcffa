namespace Bench.Simulator.Replay;

/// <summary>How a replay profile chooses the recorded stream for a request (JSON <c>replay.pick</c>).</summary>
public enum ReplayPick
{
    /// <summary>
    /// <c>round_robin</c> (the default): recording <c>seed mod n</c> in file-name order for a request with a
    /// <c>seed</c> (Bench sends consecutive seeds, so the recordings take turns whatever order requests arrive in), else
    /// the next recording in turn for that model.
    /// </summary>
    RoundRobin,

    /// <summary><c>random</c>: a uniform draw from the request's random source, so the same request seed always gets
    /// the same recording.</summary>
    Random,
}
