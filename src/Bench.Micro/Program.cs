using BenchmarkDotNet.Running;

// Run in Release: `dotnet run -c Release --project src/Bench.Micro -- --filter '*'`.
// A Debug build runs nothing and still exits 0, so refuse it here rather than report nothing.
#if DEBUG
Console.Error.WriteLine("Bench.Micro must run in Release (-c Release): BenchmarkDotNet does not measure Debug builds.");
return 1;
#else
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
#endif
