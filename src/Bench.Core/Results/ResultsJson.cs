using System.Text.Json;
using System.Text.Json.Serialization;
using Bench.Core.Faults;
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
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(SnakeCaseEnumConverter<FaultKind>), typeof(SnakeCaseEnumConverter<FaultBody>), typeof(SnakeCaseEnumConverter<RetryAfterFormat>), typeof(SnakeCaseEnumConverter<Scenarios.BatchTimeoutAction>)])]
[JsonSerializable(typeof(RequestRecord))]
[JsonSerializable(typeof(RunInfo))]
[JsonSerializable(typeof(ReportSettings))]
[JsonSerializable(typeof(InjectionRecord))]
[JsonSerializable(typeof(Batches.BatchRecord))]
public sealed partial class ResultsJson : JsonSerializerContext
{
    /// <summary>Options for human-readable files (<c>run.json</c>, <c>summary.json</c>): indented.</summary>
    public static JsonSerializerOptions Indented => field ??= new JsonSerializerOptions(Default.Options) { WriteIndented = true };
}

/// <summary>An enum by the snake_case of its member names (or a member's <see cref="JsonStringEnumMemberNameAttribute"/>),
/// as the configuration reader names them: fault kinds (<c>error_mid_stream</c>), bodies (<c>html</c>) and
/// <c>Retry-After</c> formats (<c>date</c>) read and write in result files as they do in scenarios.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
