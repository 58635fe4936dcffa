using Bench.Core.Planning;
using Bench.Core.Results;
using Bench.Harness.Reporting;

namespace Bench.Harness.Running;

/// <summary>What <c>bench run</c> was asked for: a scenario file, the overrides given as flags, where to write and how
/// to project cost.</summary>
public sealed record RunRequest
{
    /// <summary>Scenario file; <see langword="null"/> for <c>scenarios/default.json</c> (see
    /// <see cref="ScenarioFiles.Locate"/>).</summary>
    public string? ScenarioPath { get; init; }

    /// <summary>Results folder; <see langword="null"/> for <c>results/&lt;yyyyMMdd-HHmmss&gt;-&lt;scenario&gt;</c>.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>A results folder to resume (<c>--resume DIR</c>): its run.json's scenario is run again where it stopped
    /// (see <see cref="RunHarness"/>'s resume); <see cref="ScenarioPath"/> and <see cref="OutputDirectory"/> are then
    /// not used.</summary>
    public string? ResumeDirectory { get; init; }

    /// <summary>A folder every shard of the run sees (<c>--sync-dir</c>), where they meet before each step so every step
    /// starts at one instant in all of them (<see cref="FolderBarrier"/>); null: only the first step is aligned (by
    /// <c>--start-at</c>). Needs <see cref="PlanOverrides.Shard"/>.</summary>
    public string? SyncDirectory { get; init; }

    /// <summary>The command line's changes to the scenario.</summary>
    public PlanOverrides Overrides { get; init; } = PlanOverrides.None;

    /// <summary>Start a non-empty <see cref="OutputDirectory"/> afresh (<c>--force</c>): only a Bench results folder,
    /// and only the files Bench wrote are deleted (<see cref="ResultsFolder"/>). Without it a non-empty folder is
    /// refused.</summary>
    public bool Force { get; init; }

    /// <summary>Send the API key over plain <c>http://</c> to a host that is not loopback
    /// (<c>--allow-insecure-http</c>); refused otherwise, since anyone on the path can read it.</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>Look at a real endpoint with <c>GET {base}/models</c> before the run (<see cref="Preflight"/>);
    /// <c>--no-preflight</c> turns it off.</summary>
    public bool Preflight { get; init; } = true;

    /// <summary>The report's cost projection settings (kept in <c>run.json</c>).</summary>
    public ReportSettings Report { get; init; } = new();

    /// <summary><c>report.pdf</c> too (<c>--pdf</c>, <c>--paper</c>), printed after every other report file; Chromium
    /// is looked for before anything is sent. <see langword="null"/>: no PDF.</summary>
    public PdfRequest? Pdf { get; init; }

    /// <summary>The clock of the run: record times, schedule waits, request timeouts, the embedded simulator's pacing,
    /// and run.json's start and end. <see cref="TimeProvider.System"/> unless a test injects another.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The process's SIGINT and SIGTERM (<c>bench</c> passes the <see cref="Running.Interrupts"/> its
    /// Program.cs listens to): when the run's cancellation token fires, names the signal in run.json and picks the exit
    /// code (130 for SIGINT, 143 for SIGTERM). <see langword="null"/> in process: a cancellation is then
    /// <see cref="InterruptReasons.Cancelled"/>, exit 130.</summary>
    public Interrupts? Interrupts { get; init; }

    /// <summary>Tests only: sees the embedded simulator's options just before it starts (the faults, rate limits and
    /// <c>OnInjected</c> the run gives it), so a test can drive the injection log through the run's own callback.</summary>
    internal Action<Simulator.Hosting.SimulatorOptions>? SimulatorStarting { get; init; }
}

/// <summary>How a verb ended.</summary>
/// <param name="ExitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="Directory">The results folder written, or <see langword="null"/> when nothing was written (bad input).</param>
public sealed record RunOutcome(int ExitCode, string? Directory);
