using System.Text.Json.Serialization;

namespace Bench.Simulator.Profiles;

/// <summary>
/// The natural answer length of a profile in tokens: normal with this mean and standard deviation, rounded, at least
/// 1, then clipped to the request's <c>max_tokens</c> (<c>finish_reason</c> <c>length</c> when clipped, else
/// <c>stop</c>). JSON: <c>"output_tokens": { "mean": 170, "sd": 15 }</c>.
/// </summary>
/// <param name="MeanTokens">Mean natural length in tokens (≥ 1).</param>
/// <param name="SdTokens">Standard deviation in tokens (≥ 0; 0 gives a fixed length).</param>
public readonly record struct OutputLength(
    [property: JsonPropertyName("mean")] double MeanTokens,
    [property: JsonPropertyName("sd")] double SdTokens);
