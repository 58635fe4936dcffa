using System.ComponentModel.DataAnnotations;

namespace Bench.Simulator.Profiles;

/// <summary>
/// How many requests of one model the simulator serves at once, like a saturated real server. JSON:
/// <c>"capacity": { "max_concurrent": 64 }</c>.
/// </summary>
/// <remarks>
/// At most <see cref="MaxConcurrent"/> requests are being answered at a time (from their first byte to their last); a
/// further request waits in first-come-first-served order for one to end, and its clock (TTFT, decode deadlines)
/// starts only when it gets the slot, so the wait shows up in its TTFT and E2E as on a real queue. Nothing is sent
/// while it waits, not even the headers. Faults (429, 500) are answered at once, without a slot. Slots are per
/// simulator and model. A closed load of <c>c</c> concurrent requests of mean duration <c>d</c> seconds is unaffected
/// while <c>c ≤ MaxConcurrent</c>; an open load saturates near <c>MaxConcurrent / d</c> requests per second.
/// </remarks>
/// <param name="MaxConcurrent">Requests served at once (≥ 1).</param>
public sealed record CapacityLimit(
    [property: Range(1, int.MaxValue, ErrorMessage = "must be an integer ≥ 1")] int MaxConcurrent);
