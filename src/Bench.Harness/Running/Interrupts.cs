using System.Runtime.InteropServices;
using Bench.Core.Results;

namespace Bench.Harness.Running;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM as a cancellation. The first of them cancels <see cref="Token"/>: a run stops sending,
/// cancels its requests in flight, writes every report file marked as interrupted and exits 130 (SIGINT) or 143
/// (SIGTERM). A second one is left to the operating system's default action, which ends the process at once with the
/// same status (128 + the signal's number); the records already written stay, as each is flushed when it completes.
/// </summary>
/// <remarks>
/// <para><b>Why Bench handles the signals itself.</b> System.CommandLine 2.0.0 handles them only when
/// <c>InvocationConfiguration.ProcessTerminationTimeout</c> is set, and it is <see langword="null"/> by default: no
/// handler was registered, so Ctrl-C and SIGTERM killed the process at once and the interrupted report was never
/// written (dotnet/command-line-api #2739). Setting the timeout would not serve either: its
/// <c>ProcessTerminationHandler</c> cancels the verb's token, then blocks the signal thread waiting for the verb up to
/// the timeout and, past it, returns the signal's exit code while the verb is still writing its report; every later
/// signal waits again instead of ending the process. So <c>bench</c> leaves the timeout unset (System.CommandLine
/// registers nothing) and <c>Program.cs</c> calls <see cref="Listen"/>, which registers a
/// <see cref="PosixSignalRegistration"/> for SIGINT and for SIGTERM; the token it cancels is the one every verb
/// receives.</para>
/// <para><b>Signals ignored at start stay ignored.</b> A process started with SIGINT ignored (a background job of a
/// non-interactive shell, <c>nohup</c>-style launchers) never sees it: the runtime installs no handler for a signal
/// ignored when the process started, as POSIX shells expect.</para>
/// <para>On platforms without POSIX signals (Windows), <see cref="PosixSignalRegistration"/> maps SIGINT to Ctrl-C
/// and SIGTERM to the console's close events; the behaviour is the same.</para>
/// </remarks>
public sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TextWriter? _error;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signal;

    /// <summary>Creates interrupts that only <see cref="Raise"/> triggers (no process signal is registered).</summary>
    /// <param name="error">Where the first interrupt says what happens next (nothing is written when
    /// <see langword="null"/>).</param>
    public Interrupts(TextWriter? error = null) => _error = error;

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The first signal received, or <see langword="null"/> before any.</summary>
    public PosixSignal? Signal => Volatile.Read(ref _signal) is var s and not 0 ? (PosixSignal)s : null;

    /// <summary>The first signal as <see cref="RunInfo.Interrupted"/> names it (<see cref="InterruptReasons.Sigint"/>,
    /// <see cref="InterruptReasons.Sigterm"/>), or <see langword="null"/> before any.</summary>
    public string? Reason => Signal is { } signal ? ReasonOf(signal) : null;

    /// <summary>The exit code after the first signal: <see cref="ExitCodes.Terminated"/> for SIGTERM, else
    /// <see cref="ExitCodes.Interrupted"/>.</summary>
    public int ExitCode => ExitCodeOf(Reason);

    /// <summary>Registers handlers for SIGINT and SIGTERM in this process (see the remarks); dispose to remove
    /// them.</summary>
    /// <param name="error">Where the first signal's notice goes (the console's standard error in <c>bench</c>).</param>
    public static Interrupts Listen(TextWriter? error)
    {
        var interrupts = new Interrupts(error);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                interrupts._registrations.Add(PosixSignalRegistration.Create(signal, context => context.Cancel = interrupts.Raise(context.Signal)));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal (a browser, a mobile OS): it cannot arrive, so nothing to handle.
            }
        }

        return interrupts;
    }

    /// <summary>What a signal handler does: the first signal cancels <see cref="Token"/> and returns
    /// <see langword="true"/> (the signal is handled: the process keeps running to write its report); any later one
    /// returns <see langword="false"/>, so the operating system's default action ends the process at once.</summary>
    /// <param name="signal">SIGINT or SIGTERM.</param>
    public bool Raise(PosixSignal signal)
    {
        if (Interlocked.CompareExchange(ref _signal, (int)signal, 0) != 0)
        {
            return false;
        }

        _error?.WriteLine($"{ReasonOf(signal)}: stopping — cancelling the requests in flight and reporting the records so far "
            + "(a second Ctrl-C exits at once).");
        // Not on this thread: cancellation callbacks run synchronously, and the handler must return at once.
        _ = Task.Run(() =>
        {
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed while the process ends.
            }
        });
        return true;
    }

    /// <summary>The exit code of a run stopped for <paramref name="reason"/> (a <see cref="InterruptReasons"/> value):
    /// <see cref="ExitCodes.Terminated"/> for SIGTERM, <see cref="ExitCodes.MeasuredFailure"/> for a refused key,
    /// <see cref="ExitCodes.ThresholdsFailed"/> for an <c>abort_on_fail</c> threshold, else <see cref="ExitCodes.Interrupted"/>.</summary>
    public static int ExitCodeOf(string? reason) => reason switch
    {
        InterruptReasons.Sigterm => ExitCodes.Terminated,
        InterruptReasons.ApiKeyRefused => ExitCodes.MeasuredFailure,
        InterruptReasons.ThresholdAbort => ExitCodes.ThresholdsFailed,
        _ => ExitCodes.Interrupted,
    };

    /// <summary>Removes the signal handlers.</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _registrations.Clear();
        _cancellation.Dispose();
    }

    private static string ReasonOf(PosixSignal signal) => signal == PosixSignal.SIGTERM ? InterruptReasons.Sigterm : InterruptReasons.Sigint;
}
