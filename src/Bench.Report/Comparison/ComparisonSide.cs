using System.Text.Json;
using Bench.Core.Configuration;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;

namespace Bench.Report.Comparison;

/// <summary>What a side of a comparison is.</summary>
public enum SideKind
{
    /// <summary>A Bench results folder (run.json + records.jsonl).</summary>
    Run,

    /// <summary>A folder holding BenchmarkDotNet full JSON reports (<c>*-report-full.json</c>).</summary>
    Micro,
}

/// <summary>One cell of a results folder as the comparison reads it.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Mode">Mode.</param>
/// <param name="Policy">Resilience policy, or null.</param>
/// <param name="Combined">Every replicate together (what summary.csv shows).</param>
/// <param name="Replicates">Each replicate's figures, in replicate order (empty without <c>--repeat</c>).</param>
/// <param name="Samples">Per distribution id (<c>ttft_ms</c>), the per-request values of the cell's measured requests
/// (successful ones; every attempted one for queue and response).</param>
public sealed record SideCell(string Model, Mode Mode, string? Policy, CellResult Combined, IReadOnlyList<CellResult> Replicates,
    IReadOnlyDictionary<string, double[]> Samples)
{
    /// <summary>The target's name, or null for records written before targets existed.</summary>
    public string? Target { get; init; }

    /// <summary>The cell's identity: target × model × mode × policy.</summary>
    public CellKey Key => new(Target, Model, Mode, Policy);

    /// <summary>The cell as written in output: <c>target · model · mode[ · policy]</c> (<c>model · mode[ · policy]</c>
    /// without a target).</summary>
    public string Name => Key.ToString();
}

/// <summary>One BenchmarkDotNet case.</summary>
/// <param name="FullName">Its full name (the match key).</param>
/// <param name="TimesNs">Each measurement iteration's ns per operation.</param>
/// <param name="AllocatedBytes">Bytes allocated per operation, or null without a memory diagnoser.</param>
public sealed record MicroCase(string FullName, double[] TimesNs, long? AllocatedBytes);

/// <summary>A side of <c>bench compare</c>: a results folder or a folder of micro-benchmark reports, loaded.</summary>
public sealed class ComparisonSide
{
    private ComparisonSide(string path, SideKind kind) => (Path, Kind) = (path, kind);

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>What it holds.</summary>
    public SideKind Kind { get; }

    /// <summary>The run's cells (kind <see cref="SideKind.Run"/>).</summary>
    public IReadOnlyList<SideCell> Cells { get; private init; } = [];

    /// <summary>The distinct targets of the run's cells, in order of first appearance (null for records without a
    /// target).</summary>
    public IReadOnlyList<string?> Targets => [.. Cells.Select(c => c.Target).Distinct()];

    /// <summary>The SLO set names of the run's scenario.</summary>
    public IReadOnlyList<string> SloNames { get; private init; } = [];

    /// <summary>The benchmark cases (kind <see cref="SideKind.Micro"/>).</summary>
    public IReadOnlyList<MicroCase> Cases { get; private init; } = [];

    /// <summary>The file suffix of BenchmarkDotNet's full JSON.</summary>
    public const string MicroSuffix = "-report-full.json";

    /// <summary>Loads <paramref name="directory"/>, pricing a run with <paramref name="prices"/> (the same catalogue for
    /// both sides, so a price change is never a regression).</summary>
    /// <returns>The side, or null with every problem added to <paramref name="errors"/>.</returns>
    public static ComparisonSide? Load(string directory, PriceCatalog prices, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var dir = System.IO.Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
        {
            errors.Add($"{dir}: no such folder.");
            return null;
        }

        if (File.Exists(System.IO.Path.Combine(dir, ResultsDirectory.RecordsFile)))
        {
            return LoadRun(dir, prices, errors);
        }

        var reports = Directory.GetFiles(dir, "*" + MicroSuffix, SearchOption.AllDirectories);
        if (reports.Length > 0)
        {
            return LoadMicro(dir, reports, errors);
        }

        errors.Add($"{dir}: neither a results folder ({ResultsDirectory.RecordsFile}) nor a folder of BenchmarkDotNet reports (*{MicroSuffix}).");
        return null;
    }

    private static ComparisonSide? LoadRun(string dir, PriceCatalog prices, List<string> errors)
    {
        IReadOnlyList<SloSet> slos = [];
        try
        {
            if (ResultsDirectory.ReadRunInfo(dir)?.ScenarioJson is { } json)
            {
                slos = ScenarioLoader.Parse(json.GetRawText(), ResultsDirectory.RunFile).Slos ?? [];
            }
        }
        catch (Exception e) when (e is ConfigException or JsonException or IOException)
        {
            errors.Add($"{System.IO.Path.Combine(dir, ResultsDirectory.RunFile)}: {e.Message}");
            return null;
        }

        var recordsPath = System.IO.Path.Combine(dir, ResultsDirectory.RecordsFile);
        // One pass over records.jsonl: the aggregation and the per-request samples read the same records.
        var aggregator = new ReplicateAggregator(slos);
        var samples = new Dictionary<CellKey, Dictionary<string, List<double>>>();
        var read = RecordsReader.Read(recordsPath, r =>
        {
            aggregator.Add(r);
            AddSamples(samples, r);
        });
        if (read.Records == 0)
        {
            errors.Add($"{recordsPath}: no readable record.");
            return null;
        }

        var (batches, _) = BatchesFile.ReadAll(dir);
        var replicates = aggregator.Replicates.Select(r => r.Aggregator.Summarize().ToDictionary(s => s.Key)).ToList();
        var cells = aggregator.Combined.Summarize().Select(s =>
        {
            var key = s.Key;
            var perReplicate = replicates.Where(r => r.ContainsKey(key)).Select(r => CellResult.Create(r[key], prices, batches)).ToList();
            return new SideCell(s.Model, s.Mode, s.Policy, CellResult.Create(s, prices, batches), perReplicate,
                samples.TryGetValue(key, out var cellSamples) ? cellSamples.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()) : [])
            {
                Target = s.Target,
            };
        }).ToList();
        return new ComparisonSide(dir, SideKind.Run) { Cells = cells, SloNames = [.. slos.Select(s => s.Name)] };
    }

    /// <summary>The distributions a per-request sample is read for: those of a threshold-eligible catalogue statistic
    /// that have a per-request formula.</summary>
    public static IReadOnlyList<MetricDescriptor> SampledDistributions { get; } =
        [.. MetricCatalog.All.Where(m => m.ThresholdEligible && m.Distribution?.PerRequest is not null).Select(m => m.Distribution!).Distinct()];

    private static void AddSamples(Dictionary<CellKey, Dictionary<string, List<double>>> samples, RequestRecord r)
    {
        if (r.Phase != Phases.Measure || !r.Outcome.IsAttempt())
        {
            return;
        }

        var key = CellKey.Of(r);
        if (!samples.TryGetValue(key, out var cell))
        {
            samples[key] = cell = [];
        }

        foreach (var metric in SampledDistributions)
        {
            // As the catalogue's statistics: queue and response over every attempted request, the rest over successes.
            var everyAttempt = metric == Metric.Queue || metric == Metric.Response;
            if ((everyAttempt || r.Outcome == Outcome.Success) && metric.PerRequest!(r) is { } value && double.IsFinite(value))
            {
                if (!cell.TryGetValue(metric.Id, out var list))
                {
                    cell[metric.Id] = list = [];
                }

                list.Add(value);
            }
        }
    }

    private static ComparisonSide? LoadMicro(string dir, string[] reports, List<string> errors)
    {
        var cases = new Dictionary<string, MicroCase>(StringComparer.Ordinal);
        foreach (var file in reports.Order(StringComparer.Ordinal))
        {
            MicroReport report;
            try
            {
                report = MicroReport.Read(file);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                errors.Add($"{file}: not BenchmarkDotNet full JSON ({e.Message}).");
                continue;
            }

            foreach (var b in report.Benchmarks ?? [])
            {
                if (b.FullName is { Length: > 0 } name)
                {
                    cases[name] = new MicroCase(name, [.. b.Statistics?.OriginalValues ?? []], b.Memory?.BytesAllocatedPerOperation);
                }
            }
        }

        if (cases.Count == 0)
        {
            errors.Add($"{dir}: the BenchmarkDotNet reports hold no benchmark.");
            return null;
        }

        return new ComparisonSide(dir, SideKind.Micro) { Cases = [.. cases.Values] };
    }
}
