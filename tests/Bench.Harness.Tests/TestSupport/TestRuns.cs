using Bench.Core.Planning;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Running;

namespace Bench.Harness.Tests.TestSupport;

/// <summary>Runs a scenario built in code through the harness, as <c>bench run</c> does after reading a file — without
/// the preflight <c>GET /models</c> (PreflightTests cover it), so a test's server sees only the run's requests.</summary>
internal static class TestRuns
{
    public static Task<RunOutcome> RunAsync(Scenario scenario, string? scenarioFile, string directory, TextWriter output, CancellationToken cancellationToken,
        ReportSettings? settings = null, Interrupts? interrupts = null, TextWriter? error = null) =>
        RunHarness.RunAsync(Plan.Create(scenario, PlanOverrides.None, scenarioFile ?? "<test>"), scenarioFile,
            new RunRequest { OutputDirectory = directory, Report = settings ?? new ReportSettings(), Interrupts = interrupts, Preflight = false }, output, error ?? TextWriter.Null,
            cancellationToken);
}
