using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Load.Running;
using Spectre.Console;

namespace Bench.Harness.Progress;

/// <summary>
/// Live progress per cell: requests done, errors, arrivals dropped by the client (shown once there are any: the
/// in-flight cap was reached or the client fell behind), requests cancelled by an interrupt, current rate, running TTFT
/// p50/p95 (E2E for non-streaming).
/// When its writer is an interactive terminal it draws Spectre.Console progress bars on it; otherwise (CI logs, a
/// file, a test's writer) it writes one line per finished cell and nothing else.
/// </summary>
internal sealed class LiveProgress : ILoadObserver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Cell, CellState> _cells = [];
    private readonly TextWriter _output;
    private readonly Func<Cell, int?> _expectedRequests;
    private readonly TimeProvider _time;
    private ProgressContext? _context;
    private readonly int _repeat;

    /// <param name="output">Where progress goes (bars only when it is the process's terminal).</param>
    /// <param name="expectedRequests">Requests expected per cell, when the workload fixes it (for the bar's length).</param>
    /// <param name="time">The run's time provider (the current rate is requests over its elapsed time).</param>
    /// <param name="repeat">Replicates in the run (<c>--repeat</c>): a cell of one is shown as <c>replicate r/N</c>.</param>
    public LiveProgress(TextWriter output, Func<Cell, int?> expectedRequests, TimeProvider time, int repeat = 1)
    {
        _repeat = repeat;
        _output = output;
        _expectedRequests = expectedRequests;
        _time = time;
    }

    /// <summary>True when drawing live bars: the writer is standard output and that is an interactive terminal.</summary>
    public bool Interactive => ReferenceEquals(_output, Console.Out) && !Console.IsOutputRedirected
        && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="body"/> inside a live progress display (or plainly when not interactive).</summary>
    public async Task RunAsync(Func<Task> body)
    {
        if (!Interactive)
        {
            await body().ConfigureAwait(false);
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_output) });
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                _context = ctx;
                await body().ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    public void CellStarted(Cell cell)
    {
        lock (_lock)
        {
            var state = new CellState(cell, _expectedRequests(cell), _time, _repeat);
            _cells[cell] = state;
            if (_context is { } ctx)
            {
                state.Task = ctx.AddTask(state.Describe(), maxValue: state.Expected ?? 1);
                state.Task.IsIndeterminate = state.Expected is null;
            }
        }
    }

    public void RequestCompleted(Cell cell, RequestRecord record)
    {
        lock (_lock)
        {
            if (!_cells.TryGetValue(cell, out var state))
            {
                return;
            }

            state.Add(record);
            if (state.Task is { } task)
            {
                task.Value = Math.Min(state.Handled, task.MaxValue);
                task.Description = state.Describe();
            }
        }
    }

    public void CellFinished(Cell cell)
    {
        lock (_lock)
        {
            if (!_cells.TryGetValue(cell, out var state))
            {
                return;
            }

            if (state.Task is { } task)
            {
                task.Value = task.MaxValue;
                task.IsIndeterminate = false;
                task.Description = state.Describe();
                task.StopTask();
            }
            else
            {
                _output.WriteLine(state.Describe());
            }
        }
    }

    private sealed class CellState(Cell cell, int? expected, TimeProvider time, int repeat)
    {
        // What a user waits for before the answer starts: TTFT, or E2E where the first token arrives with the end.
        private readonly MetricDescriptor _metric = Metric.JudgedAs(Metric.Ttft, cell.Mode);
        private readonly LatencyHistogram _latency = new();
        private readonly long _started = time.GetTimestamp();

        public int? Expected { get; } = expected;

        public ProgressTask? Task { get; set; }

        public int Done { get; private set; }

        /// <summary>Arrivals handled: requests done plus arrivals dropped (how far the bar of a fixed count has come).</summary>
        public int Handled => Done + Dropped;

        private int Errors { get; set; }

        /// <summary>Open arrivals the client did not send (in-flight cap reached, or the step over): not requests.</summary>
        private int Dropped { get; set; }

        /// <summary>Requests cut short by an interrupt: not counted as done or as errors.</summary>
        private int Cancelled { get; set; }

        public void Add(RequestRecord record)
        {
            if (record.Outcome == Outcome.Dropped)
            {
                Dropped++;
                return;
            }

            if (record.Outcome == Outcome.Cancelled)
            {
                Cancelled++;
                return;
            }

            Done++;
            if (record.Outcome != Outcome.Success)
            {
                Errors++;
                return;
            }

            if (_metric.PerRequest!(record) is { } ms)
            {
                _latency.Record(ms);
            }
        }

        public string Describe()
        {
            var elapsedS = time.GetElapsedTime(_started).TotalSeconds;
            var rate = elapsedS > 0 ? Done / elapsedS : 0;
            var stats = _latency.ToStats();
            var name = _metric.DisplayName;
            // A batch line has no latency of its own (Metric.HasRequestLatency): no "E2E –" that looks like a gap.
            var latency = !Metric.HasRequestLatency(cell.Mode) ? "batch lines (turnaround in the report)" : stats is null ? $"{name} –" : string.Create(CultureInfo.InvariantCulture, $"{name} p50 {stats.P50:N0} ms p95 {stats.P95:N0} ms");
            return string.Create(CultureInfo.InvariantCulture,
                $"{(cell.Replicate is { } r ? $"replicate {r}/{repeat} " : "")}{Markup.Escape(cell.ToString()),-36} {Done,5}{(Expected is { } e ? $"/{e}" : "")} done  {Errors} errors{(Dropped > 0 ? $"  {Dropped} dropped" : "")}{(Cancelled > 0 ? $"  {Cancelled} cancelled" : "")}  {rate,6:0.0} req/s  {latency}");
        }
    }
}
