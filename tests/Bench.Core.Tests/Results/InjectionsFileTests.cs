using Bench.Core.Faults;
using Bench.Core.Results;

namespace Bench.Core.Tests.Results;

/// <summary><c>injections.jsonl</c>: one snake_case line per injection, on disk when <see cref="InjectionsWriter.Append"/>
/// returns, whole lines under concurrent appends; the reader skips what is not an injection and never throws.</summary>
public sealed class InjectionsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-injections-").FullName;

    private string Path_ => Path.Combine(_dir, ResultsDirectory.InjectionsFile);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Append_WritesOneSnakeCaseLine_OnDiskBeforeItReturns()
    {
        using var writer = new InjectionsWriter(Path_);

        writer.Append(new InjectionRecord { Epoch = 2, AtMs = 31_250.5, RequestId = "17", Attempt = 2, Model = "m", Stream = true, Kind = FaultKind.ErrorMidStream, Cause = "rule 3" });
        writer.Append(new InjectionRecord { Epoch = 2, AtMs = 40, Kind = FaultKind.ConnectionRefused });

        // Read through another handle while the writer is open: what a killed process leaves behind.
        using var other = new StreamReader(new FileStream(Path_, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Assert.Equal(
            """
            {"epoch":2,"at_ms":31250.5,"request_id":"17","attempt":2,"model":"m","stream":true,"kind":"error_mid_stream","cause":"rule 3"}
            {"epoch":2,"at_ms":40,"attempt":1,"model":"","stream":false,"kind":"connection_refused"}

            """.ReplaceLineEndings("\n"), other.ReadToEnd());
        Assert.Equal(2, writer.Written);
    }

    [Fact]
    public async Task Append_FromManyThreadsAtOnce_KeepsEveryLineWhole()
    {
        using (var writer = new InjectionsWriter(Path_))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 250; i++)
                {
                    writer.Append(new InjectionRecord { RequestId = $"{(t * 1000) + i}", Model = "m", Kind = FaultKind.AbsurdUsage, Cause = new string('c', 100) });
                }
            })));
        }

        var read = InjectionsReader.Read(Path_, _ => { });

        Assert.Equal(2000, read.Records);
        Assert.Equal(0, read.Skipped);
        Assert.Equal(2000, InjectionsReader.ReadAll(Path_).Select(i => i.RequestId).Distinct().Count());
    }

    [Fact]
    public void Append_AfterDispose_IsIgnored()
    {
        var writer = new InjectionsWriter(Path_);
        writer.Dispose();

        writer.Append(new InjectionRecord { Kind = FaultKind.Stall });
        writer.Dispose();

        Assert.Empty(File.ReadAllText(Path_));
    }

    [Fact]
    public void Read_SkipsWhatIsNotAnInjection_WithLineAndReason_AndNeverThrows()
    {
        File.WriteAllText(Path_, string.Join('\n',
            """{"epoch":1,"at_ms":5,"request_id":"3","attempt":1,"model":"m","stream":false,"kind":"server_error","status":503}""",
            "not json",
            """{"epoch":1,"at_ms":5,"kind":"teleport"}""",
            """{"epoch":1,"at_ms":5,"attempt":-1,"kind":"stall"}""",
            "",
            """{"epoch":1,"at_ms":NaN,"kind":"stall"}""",
            """{"epoch":1,"at_ms":6,"kind":"hang_before_headers"}""",
            """{"epoch":1,"at_ms":7,"request_id":"4","att"""));

        var kept = new List<InjectionRecord>();
        var read = InjectionsReader.Read(Path_, kept.Add);

        Assert.Equal([FaultKind.ServerError, FaultKind.HangBeforeHeaders], kept.Select(i => i.Kind));
        Assert.Equal(503, kept[0].Status);
        Assert.Equal((1, ""), (kept[1].Attempt, kept[1].Model)); // absent: the first attempt; a refused connection has no model
        Assert.Equal([2, 3, 4, 6, 8], read.SkippedLines);
    }
}
