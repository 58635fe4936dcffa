using System.Text.Json;
using System.Text.Json.Serialization;
using Bench.Core.Records;

namespace Bench.Core.Results;

/// <summary>
/// Source-generated JSON contracts for Bench's result files: snake_case property names, enums by their file names
/// (<c>non-streaming</c>, <c>rate_limited</c>), nulls omitted, comments and trailing commas accepted on read.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RequestRecord))]
[JsonSerializable(typeof(RunInfo))]
[JsonSerializable(typeof(ReportSettings))]
public sealed partial class ResultsJson : JsonSerializerContext
{
    /// <summary>Options for human-readable files (<c>run.json</c>, <c>summary.json</c>): indented.</summary>
    public static JsonSerializerOptions Indented => field ??= new JsonSerializerOptions(Default.Options) { WriteIndented = true };
}
