using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;

// Run in Release: `dotnet run -c Release --project src/Bench.Micro -- --filter '*'`.
// A Debug build runs nothing and still exits 0, so refuse it here rather than report nothing.
#if DEBUG
Console.Error.WriteLine("Bench.Micro must run in Release (-c Release): BenchmarkDotNet does not measure Debug builds.");
return 1;
#else
// Every run writes BenchmarkDotNet's full JSON (each measurement iteration, allocations) into a results folder that
// `bench compare BASELINE CURRENT` reads: results/micro/<yyyyMMdd-HHmmss>/ unless --artifacts DIR names another.
var artifacts = args.Contains("--artifacts", StringComparer.Ordinal)
    ? null
    : Path.Combine("results", "micro", TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
var config = DefaultConfig.Instance.AddExporter(JsonExporter.Full);
if (artifacts is not null)
{
    config = config.WithArtifactsPath(artifacts);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
foreach (var summary in summaries)
{
    Console.WriteLine($"Full JSON for bench compare: {Path.GetFullPath(summary.ResultsDirectoryPath)}");
}

return summaries.Any(s => s.HasCriticalValidationErrors) || summaries.Any(s => s.Reports.Length == 0) ? 1 : 0;
#endif
