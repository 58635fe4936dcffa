using System.Text.Json;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Reporting;
using Bench.Harness.Tests.TestSupport;
using Bench.Tests.Shared;

namespace Bench.Harness.Tests.Reporting;

/// <summary>A whole run against a server that answers well but reports huge and negative usage (this crashed the run
/// and <c>bench report</c> before): the run finishes, every report is written, the requests are flagged and priced
/// from the local count, and the rebuild agrees.</summary>
public sealed class UsageRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-usage-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] s_usages =
    [
        """{"prompt_tokens":-7,"completion_tokens":5}""",
        """{"prompt_tokens":10,"completion_tokens":2000000000,"total_tokens":2000000010}""",
        """{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":900}}""",
        """{"prompt_tokens":10,"completion_tokens":1e30}""",
    ];

    [Fact]
    public async Task Run_HugeAndNegativeUsage_FinishesFlagsAndPricesTheLocalCount()
    {
        var served = 0;
        await using var server = HostileServer.Start(async exchange =>
        {
            if (!exchange.Head.StartsWith("POST ", StringComparison.Ordinal))
            {
                await exchange.RespondAsync(404, "application/json", """{"error":{"message":"not here","type":"not_found"}}""");
                return true;
            }

            var usage = s_usages[Interlocked.Increment(ref served) % s_usages.Length];
            if (exchange.IsStreaming)
            {
                await exchange.BeginEventStreamAsync();
                await exchange.WriteAsync("""data: {"choices":[{"index":0,"delta":{"content":"Five tokens of answer here."},"finish_reason":null}]}""" + "\n\n");
                await exchange.WriteAsync("""data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n");
                await exchange.WriteAsync($$"""data: {"choices":[],"usage":{{usage}}}""" + "\n\ndata: [DONE]\n\n");
                return false;
            }

            await exchange.RespondAsync(200, "application/json",
                $$"""{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Five tokens of answer here."},"finish_reason":"stop"}],"usage":{{usage}}}""");
            return true;
        });
        var keyFile = Path.Combine(_dir, "key.txt");
        File.WriteAllText(keyFile, "sk-usage-test");
        var results = Path.Combine(_dir, "results");
        var scenario = new Scenario
        {
            Name = "usage",
            Target = new TargetSpec { BaseUrl = server.BaseUrl, ApiKeyFile = keyFile },
            Models = ["gpt-4o-mini"],
            Modes = [Mode.Streaming, Mode.NonStreaming],
            Request = new RequestShape { PromptTokens = 10, MaxTokens = 16 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 8 }],
        };

        await TestRuns.RunAsync(scenario, null, results, new StringWriter(), CancellationToken.None);

        var records = RecordsReader.ReadAll(Path.Combine(results, ResultsDirectory.RecordsFile)).Where(r => r.Phase == Phases.Measure).ToList();
        Assert.Equal(16, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal(Outcome.Success, r.Outcome);
            Assert.NotNull(r.UsageIssue);
            Assert.Equal(TokenSources.Tokenizer, r.TokensSource);
        });
        var md = File.ReadAllText(Path.Combine(results, "report.md"));
        Assert.Contains("## Usage the server reported that could not be believed", md, StringComparison.Ordinal);
        AssertCheap(results);

        // bench report on the same folder: the same figures, no crash.
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, ReportHarness.Rebuild(results, new ReportOverrides(), output, output));
        AssertCheap(results);
    }

    private static void AssertCheap(string results)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "summary.json")));
        foreach (var cell in json.RootElement.GetProperty("cells").EnumerateArray())
        {
            Assert.Equal(8, cell.GetProperty("usage_flagged").GetInt64());
            Assert.True(cell.GetProperty("cost").GetProperty("cost_usd").GetDecimal() < 0.01m, cell.ToString());
            Assert.True(cell.GetProperty("billed_tokens").GetProperty("completion_tokens").GetInt64() < 200, cell.ToString());
        }
    }
}
