using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bench.Report.Comparison;

/// <summary>
/// The part of BenchmarkDotNet's full JSON (<c>JsonExporter.Full</c>, <c>*-report-full.json</c>) that
/// <c>bench compare</c> reads, after dotnet/performance ResultsComparer's <c>DataTransferContracts</c>; every field
/// optional, unknown fields ignored.
/// </summary>
public sealed class MicroReport
{
    /// <summary>The report's title.</summary>
    public string? Title { get; set; }

    /// <summary>The benchmarks measured.</summary>
    public List<MicroBenchmark>? Benchmarks { get; set; }

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Reads one file.</summary>
    /// <exception cref="JsonException">Not JSON of this shape.</exception>
    public static MicroReport Read(string path) =>
        JsonSerializer.Deserialize<MicroReport>(File.ReadAllText(path), Options) ?? throw new JsonException("the file holds null");
}

/// <summary>One benchmark case.</summary>
public sealed class MicroBenchmark
{
    /// <summary>Namespace.Type.Method(parameters): the key both sides are matched by.</summary>
    public string? FullName { get; set; }

    /// <summary>Timing statistics.</summary>
    public MicroStatistics? Statistics { get; set; }

    /// <summary>Allocation figures (with <c>--memory</c>).</summary>
    public MicroMemory? Memory { get; set; }
}

/// <summary>Timing statistics, ns per operation.</summary>
public sealed class MicroStatistics
{
    /// <summary>Each measurement iteration's time per operation (ns), outliers included.</summary>
    public List<double>? OriginalValues { get; set; }

    /// <summary>Median (ns).</summary>
    public double? Median { get; set; }

    /// <summary>Mean (ns).</summary>
    public double? Mean { get; set; }
}

/// <summary>Allocation figures.</summary>
public sealed class MicroMemory
{
    /// <summary>Managed bytes allocated per operation (exact: BenchmarkDotNet divides the allocation counter).</summary>
    public long? BytesAllocatedPerOperation { get; set; }
}
