using System.Text.Json;
using Bench.Core.Batches;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Report.Model;

namespace Bench.Report.Tests.Charts;

/// <summary>
/// Hand-made results folders for chart and HTML tests: two models × two modes with deterministic timings, optional
/// failures and sweep probes, written as a real <c>records.jsonl</c> and <c>run.json</c> in a temp folder.
/// </summary>
internal sealed class TestRun : IDisposable
{
    public const string Alpha = "alpha-model";
    public const string Beta = "beta-model";
    public const string SweepSlo = "fast";
    public const string Retries = "retries-3";

    /// <summary>The policy of the cells <see cref="Standard"/> adds with <c>policies: true</c>.</summary>
    public static readonly Bench.Core.Resilience.ResiliencePolicy RetriesPolicy = new() { Name = Retries, Retry = new Bench.Core.Resilience.RetrySpec { MaxRetries = 3 } };

    public static readonly PriceCatalog Prices = PriceCatalog.Create("test prices",
    [
        new ModelPrice(Alpha, 2m, null, 8m, null, null, "test source"),
        new ModelPrice(Beta, 0.5m, null, 1m, null, null, "test source"),
    ]);

    public static readonly IReadOnlyList<SloSet> Slos = [new SloSet { Name = SweepSlo, MaxMs = new Dictionary<string, double> { ["e2e_ms"] = 900 } }];

    private long _nextId;

    public TestRun()
    {
        Directory = Path.Combine(Path.GetTempPath(), "bench-report-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public List<RequestRecord> Records { get; } = [];

    public RunInfo Run { get; } = new()
    {
        RunId = "20250101-000000-test",
        Scenario = "test",
        Target = "hand-made records",
        StartedUtc = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        EndedUtc = new DateTimeOffset(2025, 1, 1, 0, 0, 20, TimeSpan.Zero),
        ClockOriginUtc = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    /// <summary>The standard folder: both models in both modes, <paramref name="perCell"/> successes each, one
    /// failure in beta streaming, warm-up records that must not show; with <paramref name="policies"/>, alpha in both
    /// modes again under <see cref="Retries"/>, every third request retried once after a 429 and a 1 s server-asked
    /// wait.</summary>
    public static TestRun Standard(int perCell = 12, bool sweep = false, bool policies = false)
    {
        var run = new TestRun();
        var start = 0.0;
        foreach (var model in new[] { Alpha, Beta })
        {
            foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming })
            {
                run.Add(model, mode, start, Phases.Warmup, 0);
                for (var i = 0; i < perCell; i++)
                {
                    run.Add(model, mode, start + 100 + (i * 180), Phases.Measure, i);
                }

                start += 100 + (perCell * 180) + 500;
            }
        }

        run.Add(Beta, Mode.Streaming, start, Phases.Measure, 0, Outcome.RateLimited);
        if (policies)
        {
            start += 500;
            run.Run.Resilience = [RetriesPolicy];
            foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming })
            {
                for (var i = 0; i < perCell; i++)
                {
                    var sent = start + (i * 180);
                    var record = run.Add(Alpha, mode, sent, Phases.Measure, i, retriedAfterMs: i % 3 == 0 ? 1000 : null);
                    record.Policy = Retries;
                }

                start += (perCell * 180) + 1500;
            }
        }

        if (sweep)
        {
            foreach (var rate in new[] { 1.0, 2.0, 4.0 })
            {
                for (var i = 0; i < 6; i++)
                {
                    run.Add(Alpha, Mode.NonStreaming, start + (i * 1000 / rate), Phases.Sweep, i, probeRate: rate, slowdown: rate);
                }

                start += 7000 / rate;
            }
        }

        return run;
    }

    /// <summary>Adds one request. Alpha is slow and pricey, beta fast and cheap; non-streaming takes a little longer.</summary>
    /// <remarks>With <c>retriedAfterMs</c> set, the request is a logical request whose first attempt got a 429 30 ms
    /// after it was sent and whose second attempt, sent that long after (a server-asked wait), succeeded with the usual
    /// timings.</remarks>
    public RequestRecord Add(string model, Mode mode, double sentMs, string phase, int i, Outcome outcome = Outcome.Success, double? probeRate = null, double slowdown = 1,
        double? retriedAfterMs = null)
    {
        if (retriedAfterMs is { } wait)
        {
            var second = sentMs + 30 + wait;
            var retried = Add(model, mode, second, phase, i, outcome, probeRate, slowdown);
            retried.SentMs = sentMs;
            retried.BackoffMs = wait;
            retried.Attempts =
            [
                new AttemptRecord { Number = 1, SentMs = sentMs, EndMs = sentMs + 30, HttpStatus = 429, Outcome = Outcome.RateLimited },
                new AttemptRecord
                {
                    Number = 2, BackoffMs = wait, ServerDelay = true, SentMs = second, FirstByteMs = retried.FirstByteMs, FirstTokenMs = retried.FirstTokenMs, EndMs = retried.EndMs,
                    HttpStatus = retried.HttpStatus, Outcome = retried.Outcome, PromptTokens = retried.PromptTokens, CompletionTokens = retried.CompletionTokens, TokensSource = retried.TokensSource,
                },
            ];
            return retried;
        }

        var ttft = (model == Alpha ? 400 : 150) + ((i % 5) * 20);
        var gap = (model == Alpha ? 12 : 5) + (i % 3);
        const int tokens = 20;
        var e2e = ((ttft + (gap * (tokens - 1))) * (mode == Mode.NonStreaming ? 1.1 : 1.0) * slowdown) + (i % 4 * 15);
        var streaming = mode == Mode.Streaming;
        var ok = outcome == Outcome.Success;
        var record = new RequestRecord
        {
            Id = _nextId++,
            Model = model,
            Mode = mode,
            Phase = phase,
            ProbeRatePerS = probeRate,
            SentMs = sentMs,
            FirstByteMs = ok ? sentMs + 20 : null,
            FirstTokenMs = ok && streaming ? sentMs + ttft : null,
            FirstOutputTokenMs = ok && streaming ? sentMs + ttft : null,
            LastTokenMs = ok && streaming ? sentMs + e2e : null,
            EndMs = ok ? sentMs + e2e : sentMs + 30,
            TokenEventsMs = ok && streaming ? [.. Enumerable.Range(0, tokens).Select(k => sentMs + ttft + (k * (e2e - ttft) / (tokens - 1)))] : [],
            HttpStatus = ok ? 200 : 429,
            Outcome = outcome,
            PromptTokens = ok ? 100 : null,
            CompletionTokens = ok ? tokens : null,
            TokensSource = ok ? TokenSources.Usage : TokenSources.None,
        };
        Records.Add(record);
        return record;
    }

    /// <summary>The batch jobs written to <c>batches.jsonl</c> by <see cref="Save"/> (none: no file, as before batches).</summary>
    public List<BatchRecord> Batches { get; } = [];

    /// <summary>
    /// Adds one batch of <paramref name="lines"/> lines of <paramref name="model"/> in batch-api, each a record as the
    /// client writes it (custom_id <c>bench-{id}</c>, the batch id, sent = submitted, end = downloaded, no token times),
    /// the last <paramref name="expired"/> lines expired (unbilled, no usage); and its batch record: created at a fixed
    /// provider time, in progress after <paramref name="queueS"/>, ended after <paramref name="turnaroundS"/> provider
    /// seconds at <paramref name="timeScale"/> (1: a real endpoint).
    /// </summary>
    public BatchRecord AddBatch(string model, int lines, double turnaroundS, double timeScale = 600, int expired = 0, int promptTokens = 100, int completionTokens = 20,
        double submittedMs = 500, long queueS = 60)
    {
        var batchId = $"batch_{model}_{Batches.Count}";
        var observedS = turnaroundS / timeScale;
        var downloadedMs = submittedMs + (observedS * 1000) + 300;
        for (var i = 0; i < lines; i++)
        {
            var ok = i < lines - expired;
            var id = _nextId++;
            Records.Add(new RequestRecord
            {
                Id = id, Model = model, Mode = Mode.BatchApi, Phase = Phases.Measure, CustomId = $"bench-{id}", BatchId = batchId,
                SentMs = submittedMs, EndMs = downloadedMs, HttpStatus = ok ? 200 : null, Outcome = ok ? Outcome.Success : Outcome.Expired,
                Error = ok ? null : new ErrorInfo("batch_expired", "batch_expired", "This request could not be executed before the completion window expired."),
                PromptTokens = ok ? promptTokens : null, CompletionTokens = ok ? completionTokens : null, TokensSource = ok ? TokenSources.Usage : TokenSources.None,
                FinishReason = ok ? "stop" : null,
            });
        }

        const long created = 1_767_225_600;
        var ended = created + (long)turnaroundS;
        var batch = new BatchRecord
        {
            Model = model, BatchId = batchId, InputFileId = $"file-in-{Batches.Count}", OutputFileId = $"file-out-{Batches.Count}", Status = expired > 0 ? BatchStatuses.Expired : BatchStatuses.Completed,
            Lines = lines, InputBytes = lines * 300L, RequestCounts = new BatchRequestCounts { Total = lines, Completed = lines - expired, Failed = 0 },
            UploadStartMs = submittedMs - 100, SubmittedMs = submittedMs, ObservedEndMs = submittedMs + (observedS * 1000), DownloadedMs = downloadedMs,
            CreatedAt = created, InProgressAt = created + queueS, FinalizingAt = ended - 1, CompletedAt = expired > 0 ? null : ended, ExpiredAt = expired > 0 ? ended : null,
            Polls = 7, TimeScale = timeScale,
        };
        Batches.Add(batch);
        return batch;
    }

    /// <summary>Writes <c>records.jsonl</c>, <c>run.json</c> and, when there are batches, <c>batches.jsonl</c>.</summary>
    public TestRun Save()
    {
        File.WriteAllLines(Path.Combine(Directory, ResultsDirectory.RecordsFile),
            Records.Select(r => JsonSerializer.Serialize(r, ResultsJson.Default.RequestRecord)));
        ResultsDirectory.WriteRunInfo(Directory, Run);
        if (Batches.Count > 0)
        {
            using var writer = BatchesFile.OpenWriter(Directory);
            Batches.ForEach(writer.Append);
        }

        return this;
    }

    /// <summary>The report model of the records as written (aggregated the way <see cref="ReportBuilder"/> does,
    /// with the sweep judged by the SLO set named <see cref="SweepSlo"/> of <paramref name="slos"/>, by default
    /// <see cref="Slos"/>).</summary>
    public RunReport Report(PriceCatalog? prices = null, IReadOnlyList<SloSet>? slos = null, IReadOnlyList<Bench.Core.Thresholds.Threshold>? thresholds = null)
    {
        slos ??= Slos;
        var replicates = new ReplicateAggregator(slos);
        var sweeps = new SweepAggregator(slos);
        foreach (var record in Records)
        {
            replicates.Add(record);
            sweeps.Add(record);
        }

        return RunReport.Build(Run, replicates.Combined, new RecordsReadResult { Records = Records.Count }, prices ?? Prices, slos: slos, sweeps: sweeps.Curves(SweepSlo), batches: Batches,
            replicates: replicates, thresholds: thresholds);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
