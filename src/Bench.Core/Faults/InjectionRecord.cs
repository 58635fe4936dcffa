using System.Text.Json.Serialization;

namespace Bench.Core.Faults;

/// <summary>
/// What the simulator injected into one request (or, for <see cref="FaultKind.ConnectionRefused"/>, one connection):
/// one line of <c>injections.jsonl</c>, written beside <c>records.jsonl</c> for a run on the embedded simulator, so the
/// report and tests can join each injection to Bench's record of the same request (<see cref="RequestId"/> is the
/// record's <c>id</c>, sent as <c>X-Bench-Request-Id</c>; <see cref="Attempt"/> its attempt, sent as
/// <c>X-Bench-Attempt</c>).
/// </summary>
public sealed record InjectionRecord
{
    /// <summary>The fault clock's epoch: 0 from the simulator's start, then one more each time it is restarted (the
    /// embedded simulator restarts it at each cell, so every cell meets the same windows).</summary>
    public int Epoch { get; init; }

    /// <summary>When the fault was drawn, ms since the epoch began (the simulator's clock).</summary>
    public double AtMs { get; init; }

    /// <summary>The request's <c>X-Bench-Request-Id</c>, when it had one (none for a refused connection).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestId { get; init; }

    /// <summary>The request's <c>X-Bench-Attempt</c> (1 when absent).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The requested model (empty for a refused connection).</summary>
    public string Model { get; init; } = "";

    /// <summary>Whether the request streamed (false for a refused connection).</summary>
    public bool Stream { get; init; }

    /// <summary>The fault injected.</summary>
    public FaultKind Kind { get; init; }

    /// <summary>The HTTP status answered, when one was.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Status { get; init; }

    /// <summary>Why: <c>rule 2</c> (the index of the rule in the model's list, profile rules first), <c>rpm</c> or
    /// <c>tpm</c> (a 429 from the rate-limit buckets), with the window when the rule has one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cause { get; init; }
}
