using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;

namespace Bench.Harness.Tests.Running;

/// <summary><c>request.conversation</c> on the embedded simulator, end to end: every turn's prompt holds the previous
/// answers, so its prompt tokens rise by at least the previous answer's tokens; records carry the session, turn and
/// drawn turns.</summary>
[Collection(WholeRuns.Name)]
public sealed class SessionRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-sessions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_Conversation_PromptTokensGrowByThePreviousAnswerEachTurn()
    {
        var profiles = Path.Combine(_dir, "profiles");
        Directory.CreateDirectory(profiles);
        File.Copy(Path.Combine(RepoPaths.Root, "scenarios", "profiles", "fixed-100ms.json"), Path.Combine(profiles, "fixed-100ms.json"));
        var scenario = new Scenario
        {
            Name = "sessions",
            Target = new TargetSpec { Profiles = profiles },
            Models = ["fixed-100ms"],
            Modes = [Mode.Streaming],
            Request = new RequestShape
            {
                PromptTokens = 20, MaxTokens = 16, TimeoutS = 30,
                Conversation = new ConversationSpec
                {
                    Turns = new LengthDistribution { Kind = DistributionKind.Fixed, Value = 3 },
                    ThinkTimeMs = new LengthDistribution { Kind = DistributionKind.Fixed, Value = 10 },
                },
            },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 6 }],
        };
        var results = Path.Combine(_dir, "run");
        var overrides = new PlanOverrides();

        var outcome = await RunHarness.RunAsync(Plan.Create(scenario, overrides, "<test>"), null,
            new RunRequest { OutputDirectory = results, Preflight = false, Overrides = overrides }, new StringWriter(), TextWriter.Null, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var records = RecordsReader.ReadAll(Path.Combine(results, ResultsDirectory.RecordsFile));
        Assert.Equal(6, records.Count);
        Assert.All(records, r => Assert.Equal((Outcome.Success, 3), (r.Outcome, r.SessionTurns)));
        Assert.DoesNotContain("answer_text", File.ReadAllText(Path.Combine(results, ResultsDirectory.RecordsFile)), StringComparison.Ordinal);
        var sessions = records.GroupBy(r => r.SessionId!).ToList();
        Assert.Equal(["s1", "s2"], sessions.Select(s => s.Key).Order(StringComparer.Ordinal));
        foreach (var session in sessions)
        {
            var turns = session.OrderBy(r => r.Turn).ToList();
            Assert.Equal([1, 2, 3], turns.Select(r => r.Turn!.Value));
            for (var k = 1; k < turns.Count; k++)
            {
                // The local tokenizer counts every message apart, so turn k's prompt is turn k-1's, plus its answer,
                // plus the new user message: at least the sum.
                Assert.True(turns[k].TokenizerPromptTokens >= turns[k - 1].TokenizerPromptTokens + turns[k - 1].TokenizerCompletionTokens,
                    $"{session.Key} turn {k + 1}: {turns[k].TokenizerPromptTokens} < {turns[k - 1].TokenizerPromptTokens} + {turns[k - 1].TokenizerCompletionTokens}");
                // The server's count (the simulator's) grows too.
                Assert.True(turns[k].PromptTokens > turns[k - 1].PromptTokens);
                Assert.True(turns[k].SentMs >= turns[k - 1].EndMs + 10);
            }
        }
    }
}
