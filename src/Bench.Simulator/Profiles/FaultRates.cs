using System.ComponentModel.DataAnnotations;
using Bench.Core.Configuration;

namespace Bench.Simulator.Profiles;

/// <summary>
/// Probabilities (0–1, summing to at most 1) that a request fails instead of completing. JSON:
/// <c>"faults": { "rate_limited": 0.0018, "server_error": 0.0004, "stream_interrupted": 0.0012 }</c>; the seed
/// articles measured 429 on 0.18 %, 5xx on 0.04 % of requests and interrupted streams on 0.12 % of sessions
/// (SEED-FIGURES.md). A rate the file leaves out is 0.
/// </summary>
/// <param name="RateLimited">HTTP 429 with <c>Retry-After: 1</c>, answered at once.</param>
/// <param name="ServerError">HTTP 500 with an OpenAI-shaped <c>server_error</c>, answered at once.</param>
/// <param name="StreamInterrupted">Streaming only: the connection is aborted (reset) when the first chunk past half
/// the answer is due; as with a real dropped connection, bytes the client has not read by then are lost.
/// Non-streaming requests ignore it (they complete normally).</param>
public sealed record FaultRates(
    [property: Range(0, 1, ErrorMessage = FaultRates.Probability)] double RateLimited = 0,
    [property: Range(0, 1, ErrorMessage = FaultRates.Probability)] double ServerError = 0,
    [property: Range(0, 1, ErrorMessage = FaultRates.Probability)] double StreamInterrupted = 0) : IConfigValidatable
{
    private const string Probability = "must be a probability between 0 and 1";

    /// <summary>No faults.</summary>
    public static FaultRates None { get; } = new(0, 0, 0);

    /// <summary>The probabilities (each checked by its range) sum to at most 1.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        double[] rates = [RateLimited, ServerError, StreamInterrupted];
        if (rates.All(r => r is >= 0 and <= 1) && rates.Sum() > 1)
        {
            validation.Error("the probabilities must sum to at most 1");
        }
    }
}
