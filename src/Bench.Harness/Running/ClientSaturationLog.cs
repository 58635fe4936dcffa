using System.Globalization;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Load.Running;
using Bench.Load.Saturation;
using CsvHelper;

namespace Bench.Harness.Running;

/// <summary>
/// The client machine's own load during a run: a <see cref="ClientSampler"/> on the run clock writing one row per
/// sample to <c>client.csv</c> (flushed per row, so a killed run keeps it) and, when stopped, the summary that goes into
/// <c>run.json</c>. Columns: <c>time_ms</c> (run clock), <c>scheduler_lag_ms</c>, <c>cpu_share</c> (0–1 of every
/// logical core), <c>thread_pool_queue</c>, <c>thread_pool_threads</c>, <c>in_flight</c>, <c>dropped</c> (cumulative).
/// </summary>
internal sealed class ClientSaturationLog : IDisposable
{
    private readonly StreamWriter _file;
    private readonly CsvWriter _csv;
    private readonly ClientSampler _sampler;
    private ClientSaturation? _summary;

    private ClientSaturationLog(string directory, RunClock clock, ILoadGauge gauge)
    {
        _file = new StreamWriter(Path.Combine(directory, ResultsDirectory.ClientFile));
        _csv = new CsvWriter(_file, CultureInfo.InvariantCulture);
        foreach (var header in (string[])["time_ms", "scheduler_lag_ms", "cpu_share", "thread_pool_queue", "thread_pool_threads", "in_flight", "dropped"])
        {
            _csv.WriteField(header);
        }

        _csv.NextRecord();
        _csv.Flush();
        _sampler = new ClientSampler(clock, gauge, ProcessReadings.Instance, Write);
    }

    /// <summary>Creates <c>client.csv</c> in <paramref name="directory"/> and starts sampling.</summary>
    public static ClientSaturationLog Start(string directory, RunClock clock, ILoadGauge gauge) => new(directory, clock, gauge);

    /// <summary>Stops sampling, closes <c>client.csv</c> and returns the summary (the same one on every call).</summary>
    public ClientSaturation Stop()
    {
        if (_summary is null)
        {
            _summary = _sampler.Stop(); // no sample is written after this returns
            _csv.Dispose();
            _file.Dispose();
        }

        return _summary;
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    private void Write(ClientSample s)
    {
        _csv.WriteField(s.TimeMs);
        _csv.WriteField(s.SchedulerLagMs);
        _csv.WriteField(s.CpuShare);
        _csv.WriteField(s.ThreadPoolQueue);
        _csv.WriteField(s.ThreadPoolThreads);
        _csv.WriteField(s.InFlight);
        _csv.WriteField(s.Dropped);
        _csv.NextRecord();
        _csv.Flush();
    }
}
