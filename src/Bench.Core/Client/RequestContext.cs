using Bench.Core.Records;

namespace Bench.Core.Client;

/// <summary>What the load engine knows about a request before it is sent; copied into its <see cref="RequestRecord"/>.</summary>
/// <param name="Id">Sequence number within the run, from 0; also sent as the <c>X-Bench-Request-Id</c> header.</param>
/// <param name="Phase"><see cref="Phases.Measure"/> or <see cref="Phases.Warmup"/>.</param>
/// <param name="IntendedMs">Open load only: when the schedule intended the request to be sent (ms on the run clock).</param>
/// <param name="Attempt">The attempt's number under a resilience policy (1 for the first send), sent as the
/// <c>X-Bench-Attempt</c> header so the simulator draws each attempt's faults apart and its injection record joins to
/// the attempt.</param>
public readonly record struct RequestContext(long Id, string Phase = Phases.Measure, double? IntendedMs = null, int Attempt = 1);
