using System.Text.Json;
using Bench.Core.Batches;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;

namespace Bench.Report.Tests.Model;

/// <summary>
/// A hand-made results folder for the budget plan's hand check (issue 18, point 6): four cells of one target with round
/// token counts, a few failures and one batch job, written as a real <c>run.json</c> (scenario, target, report
/// settings), <c>records.jsonl</c> and <c>batches.jsonl</c>, so the report is built by the one path <c>bench report
/// DIR</c> takes (<see cref="ReportBuilder.Write"/>).
/// </summary>
/// <remarks>
/// <para>One target because a scenario with batch-api runs against one target (<c>$.modes</c>: "the batch-api mode runs
/// against one target"): the target is <c>direct</c> (list price in USD) or, with <c>relay: true</c>, <c>relay</c>
/// billing ¥1 per listed $1 at a market rate of ¥7.3 = $1 (SEED-FIGURES.md's relay).</para>
/// <para>Every successful request bills 1,000 prompt tokens and 200 completion tokens, except D's (250); failures carry
/// no usage (billed 0).</para>
/// <list type="table">
/// <listheader><term>cell</term><description>records</description></listheader>
/// <item><term>A gpt-4.1 · streaming</term><description>20: 20 successes, TTFT 400 ms, E2E 2,400 ms</description></item>
/// <item><term>B deepseek-v3.2 · non-streaming</term><description>20: 19 successes (E2E 3,000 ms, so TTFT as judged =
/// 3,000 ms), the 10th a server error (HTTP 500)</description></item>
/// <item><term>C gpt-4.1 · batch-api</term><description>30 lines of one batch: 29 successes, the last a server error
/// in the batch's error file; the batch turned around in 2 h (7,200 s on the provider's clock, a real endpoint: time
/// scale 1)</description></item>
/// <item><term>D deepseek-v3.2 · streaming</term><description>20: 18 successes of 1,000 + 250 tokens (TTFT 450 ms),
/// the 5th rate limited (HTTP 429), the 12th a server error (HTTP 500)</description></item>
/// </list>
/// <para>Traffic classes (scenario <c>slos</c>, shares of <c>--monthly-requests</c> 2,000,000):
/// <c>chat</c> 50 % (ttft_ms ≤ 800 for 70 % of requests), <c>bulk</c> 30 % (success rate ≥ 70 %), <c>overnight</c>
/// 20 % (success rate ≥ 80 %, tolerates a batch turnaround up to 24 h). Targets of 70 % and 80 % because a sample of
/// 20 shows little: the one-sided 95 % exact lower bounds are 20/20 → 0.8609, 19/20 → 0.7839, 18/20 → 0.7174, 29/30 →
/// 0.8514 (Clopper–Pearson, computed with an exact binomial tail by bisection).</para>
/// </remarks>
internal sealed class BudgetPlanFixture : IDisposable
{
    public const string Gpt = "gpt-4.1";
    public const string DeepSeek = "deepseek-v3.2";

    /// <summary>The default scenario of the fixture: three classes with shares, one tolerating a batch turnaround.</summary>
    public const string DefaultSlos = """
        [
          { "name": "chat", "share": 50, "max_ms": { "ttft_ms": 800 }, "percentile": 70 },
          { "name": "bulk", "share": 30, "min_success_rate": 0.7 },
          { "name": "overnight", "share": 20, "min_success_rate": 0.8, "max_turnaround_h": 24 }
        ]
        """;

    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private long _nextId = 1;

    private BudgetPlanFixture(string slosJson, bool relay, bool simulated)
    {
        Directory = Path.Combine(Path.GetTempPath(), "bench-budget-check", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Target = relay ? "relay" : "direct";
        var url = relay ? "https://relay.example.cn/v1" : "https://api.example.com/v1";
        var where = simulated ? "\"simulator\": true" : $"\"base_url\": \"{url}\"";
        var billing = relay ? """, "billing": { "currency": "CNY", "units_per_list_usd": 1, "market_units_per_usd": 7.3 }""" : "";
        var scenario = $$"""
            {
              "name": "budget-hand-check",
              "targets": [ { "name": "{{Target}}", {{where}}{{billing}} } ],
              "models": ["{{Gpt}}", "{{DeepSeek}}"],
              "modes": ["streaming", "non-streaming", "batch-api"],
              "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 20 } ],
              "slos": {{slosJson}}
            }
            """;
        Run = new RunInfo
        {
            RunId = "20261130-120000-budget-hand-check",
            Scenario = "budget-hand-check",
            ScenarioJson = JsonDocument.Parse(scenario).RootElement.Clone(),
            Target = simulated ? "embedded simulator (http://127.0.0.1:40000/v1/)" : url,
            Targets =
            [
                new TargetInfo
                {
                    Name = Target, BaseUrl = simulated ? "embedded simulator" : url,
                    Billing = relay ? new TargetBilling { Currency = "CNY", UnitsPerListUsd = 1m, MarketUnitsPerUsd = 7.3m } : null,
                },
            ],
            StartedUtc = Start,
            EndedUtc = Start.AddHours(2).AddMinutes(2),
            ClockOriginUtc = Start,
        };
        Run.Report.MonthlyRequests = 2_000_000m;
        Run.Report.MonthlyRequestsGiven = true;
        Run.Report.Fx = ["CNY=7.3"];
        Run.Report.Current = "gpt-4.1:streaming";

        // A: gpt-4.1 streaming, 20 successes.
        for (var i = 0; i < 20; i++)
        {
            Synchronous(Gpt, Mode.Streaming, 1_000 + (i * 500), ttftMs: 400, e2eMs: 2_400);
        }

        // D: deepseek-v3.2 streaming, 18 successes of 250 completion tokens, the 5th rate limited, the 12th a server error.
        for (var i = 0; i < 20; i++)
        {
            var outcome = i == 4 ? Outcome.RateLimited : i == 11 ? Outcome.ServerError : Outcome.Success;
            Synchronous(DeepSeek, Mode.Streaming, 12_000 + (i * 500), ttftMs: 450, e2eMs: 2_450, outcome, completionTokens: 250);
        }

        // B: deepseek-v3.2 non-streaming, 19 successes, the 10th a server error.
        for (var i = 0; i < 20; i++)
        {
            Synchronous(DeepSeek, Mode.NonStreaming, 23_000 + (i * 500), ttftMs: null, e2eMs: 3_000, i == 9 ? Outcome.ServerError : Outcome.Success);
        }

        // C: gpt-4.1 batch-api, 30 lines: 29 successes, the last failed (a server error in the error file);
        // turnaround 7,200 s.
        AddBatch(lines: 30, failed: 1, turnaroundS: 7_200);
    }

    /// <summary>The cells' target: <c>direct</c> or <c>relay</c>.</summary>
    public string Target { get; }

    /// <summary>The folder with the default classes (<see cref="DefaultSlos"/>), written to disk.</summary>
    /// <param name="slosJson">The scenario's <c>slos</c> array, or null for <see cref="DefaultSlos"/>.</param>
    /// <param name="relay">True: the target bills ¥1 per listed $1 at a market rate of ¥7.3.</param>
    /// <param name="simulated">True: the target was the embedded simulator (run.json <c>targets[].base_url</c>).</param>
    public static BudgetPlanFixture Create(string? slosJson = null, bool relay = false, bool simulated = false) =>
        new BudgetPlanFixture(slosJson ?? DefaultSlos, relay, simulated).Save();

    public string Directory { get; }

    public RunInfo Run { get; }

    public List<RequestRecord> Records { get; } = [];

    public List<BatchRecord> Batches { get; } = [];

    /// <summary>Rewrites <c>run.json</c> (after a change to <see cref="Run"/>'s report settings), as <c>bench report
    /// DIR --monthly-requests … --current …</c> does before rebuilding.</summary>
    public void SaveRun() => ResultsDirectory.WriteRunInfo(Directory, Run);

    /// <summary>Builds every report file through <see cref="ReportBuilder.Write"/> with the built-in catalogue (whose
    /// gpt-4.1 and deepseek-v3.2 prices the hand check copies) and returns the model and report.md.</summary>
    public (Bench.Report.Model.RunReport Report, string Markdown) Build()
    {
        var report = ReportBuilder.Write(Directory, Run, PriceCatalog.BuiltIn);
        return (report, File.ReadAllText(Path.Combine(Directory, "report.md")));
    }

    private BudgetPlanFixture Save()
    {
        File.WriteAllLines(Path.Combine(Directory, ResultsDirectory.RecordsFile),
            Records.Select(r => JsonSerializer.Serialize(r, ResultsJson.Default.RequestRecord)));
        SaveRun();
        using var writer = BatchesFile.OpenWriter(Directory);
        Batches.ForEach(writer.Append);
        return this;
    }

    private void Synchronous(string model, Mode mode, double sentMs, double? ttftMs, double e2eMs, Outcome outcome = Outcome.Success, int completionTokens = 200)
    {
        var ok = outcome == Outcome.Success;
        var streaming = mode == Mode.Streaming;
        Records.Add(new RequestRecord
        {
            Id = _nextId++,
            Target = Target,
            Model = model,
            Mode = mode,
            Phase = Phases.Measure,
            SentMs = sentMs,
            HeadersMs = sentMs + 50,
            FirstByteMs = sentMs + 50,
            FirstTokenMs = ok && streaming ? sentMs + ttftMs : null,
            FirstOutputTokenMs = ok && streaming ? sentMs + ttftMs : null,
            LastTokenMs = ok && streaming ? sentMs + e2eMs : null,
            EndMs = ok ? sentMs + e2eMs : sentMs + 60,
            TokenEventsMs = ok && streaming ? [sentMs + ttftMs!.Value, sentMs + e2eMs] : [],
            HttpStatus = outcome switch { Outcome.RateLimited => 429, Outcome.ServerError => 500, _ => 200 },
            Outcome = outcome,
            Error = outcome switch
            {
                Outcome.RateLimited => new ErrorInfo("rate_limit_exceeded", "rate_limit_exceeded", "Rate limit reached for requests"),
                Outcome.ServerError => new ErrorInfo("server_error", "server_error", "The server had an error while processing your request."),
                _ => null,
            },
            FinishReason = ok ? "stop" : null,
            PromptTokens = ok ? 1_000 : null,
            CompletionTokens = ok ? completionTokens : null,
            TokensSource = ok ? TokenSources.Usage : TokenSources.None,
            Events = ok && streaming ? 2 : 0,
            ContentChars = ok ? completionTokens * 4 : 0, // ~4 characters a token: usage the reader believes (UsageCheck)
        });
    }

    private void AddBatch(int lines, int failed, long turnaroundS)
    {
        const string batchId = "batch_hand_check_1";
        const double submittedMs = 500;
        var downloadedMs = submittedMs + (turnaroundS * 1000.0) + 30_000;
        for (var i = 0; i < lines; i++)
        {
            var ok = i < lines - failed;
            var id = _nextId++;
            Records.Add(new RequestRecord
            {
                Id = id, Target = Target, Model = Gpt, Mode = Mode.BatchApi, Phase = Phases.Measure, CustomId = $"bench-{id}", BatchId = batchId,
                SentMs = submittedMs, EndMs = downloadedMs, HttpStatus = ok ? 200 : 500, Outcome = ok ? Outcome.Success : Outcome.ServerError,
                Error = ok ? null : new ErrorInfo("server_error", "server_error", "The server had an error while processing your request."),
                PromptTokens = ok ? 1_000 : null, CompletionTokens = ok ? 200 : null, TokensSource = ok ? TokenSources.Usage : TokenSources.None,
                FinishReason = ok ? "stop" : null, ContentChars = ok ? 800 : 0,
            });
        }

        const long created = 1_796_040_000;
        Batches.Add(new BatchRecord
        {
            Model = Gpt, BatchId = batchId, InputFileId = "file-in-1", OutputFileId = "file-out-1", Status = BatchStatuses.Completed,
            Lines = lines, InputBytes = lines * 900L, RequestCounts = new BatchRequestCounts { Total = lines, Completed = lines - failed, Failed = failed },
            UploadStartMs = submittedMs - 200, SubmittedMs = submittedMs, ObservedEndMs = submittedMs + (turnaroundS * 1000.0), DownloadedMs = downloadedMs,
            CreatedAt = created, InProgressAt = created + 600, FinalizingAt = created + turnaroundS - 60, CompletedAt = created + turnaroundS,
            Polls = 40, TimeScale = 1,
        });
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
