using System.Text;
using System.Text.Json;
using Bench.Core.Results;
using Bench.Harness.Reporting;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bench.Harness.Tests.Reporting;

/// <summary>
/// <c>bench report</c> never crashes on any <c>records.jsonl</c>: records whose every field may be absurd (NaN, ±∞,
/// negative or huge doubles and ints, nulls, strange strings, unknown outcomes and modes, values of the wrong type)
/// mixed with corrupt lines go through the same code <c>bench report</c> runs (<see cref="ReportHarness.Rebuild"/>),
/// which must succeed, write every report file, and count each line it skipped.
/// </summary>
public class ReportRebuildPropertyTests
{
    private static readonly string[] s_reportFiles = ["summary.csv", "summary.json", "records.csv", "report.md", "report.html"];

    private const string ScenarioRunJson = """
        { "run_id": "prop", "scenario": "prop", "target": "hostile",
          "scenario_json": {
            "name": "prop", "models": ["m1", "m2"], "modes": ["streaming", "non-streaming"],
            "workload": [ { "type": "sweep", "start_rate": 1, "max_rate": 8, "duration": "5s", "slo": "interactive" } ],
            "slos": [ { "name": "interactive", "max_ms": { "ttft_ms": 500, "e2e_ms": 2000 }, "percentile": 95, "min_success_rate": 0.5 },
                      { "name": "batch", "max_ms": { "e2e_ms": 60000 } } ] } }
        """;

    [Property(MaxTest = 100, Arbitrary = new[] { typeof(HostileRecords) })]
    public void Rebuild_AnyRecordsFile_WritesEveryFileAndCountsBadLines(RecordsFile file)
    {
        var dir = Directory.CreateTempSubdirectory("bench-prop-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, ResultsDirectory.RecordsFile), file.Text);
            if (file.WithScenario)
            {
                // SLOs, a sweep and both modes: the recommendation, SLO, sweep and comparison paths run too.
                File.WriteAllText(Path.Combine(dir, ResultsDirectory.RunFile), ScenarioRunJson);
            }

            var output = new StringWriter();

            var exit = ReportHarness.Rebuild(dir, new ReportOverrides(), output, output);

            Assert.Equal(ExitCodes.Success, exit);
            foreach (var name in s_reportFiles)
            {
                Assert.True(File.Exists(Path.Combine(dir, name)), $"{name} missing; {output}");
            }

            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            var read = RecordsReader.Read(Path.Combine(dir, ResultsDirectory.RecordsFile), _ => { });
            Assert.Equal(file.Lines, read.Records + read.Skipped);
            Assert.True(read.Skipped >= file.CorruptLines, $"{read.Skipped} skipped, {file.CorruptLines} corrupt written");
            if (read.Skipped > 0)
            {
                Assert.Contains($"Skipped {read.Skipped} unreadable line(s)", output.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Rebuild_ScenarioOfTheProperty_IsReadSoItsPathsRun()
    {
        var dir = Directory.CreateTempSubdirectory("bench-prop-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(dir, ResultsDirectory.RecordsFile),
            [
                """{"id":0,"model":"m1","mode":"streaming","outcome":"success","sent_ms":0,"end_ms":900,"first_token_ms":100,"token_events_ms":[100,800]}""",
                """{"id":1,"model":"m1","mode":"non-streaming","outcome":"success","sent_ms":0,"end_ms":700}""",
                """{"id":2,"model":"m1","mode":"streaming","phase":"sweep","probe_rate_per_s":1,"outcome":"success","sent_ms":0,"end_ms":700,"first_token_ms":100}""",
            ]);
            File.WriteAllText(Path.Combine(dir, ResultsDirectory.RunFile), ScenarioRunJson);

            Assert.Equal(ExitCodes.Success, ReportHarness.Rebuild(dir, new ReportOverrides(), TextWriter.Null, TextWriter.Null));

            var md = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("## SLOs and goodput", md, StringComparison.Ordinal);
            Assert.Contains("## Sweep", md, StringComparison.Ordinal);
            Assert.Contains("## Streaming against non-streaming", md, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Rebuild_TimesAtTheEndsOfTheDoubles_SkipsThemAndWritesEverything()
    {
        var dir = Directory.CreateTempSubdirectory("bench-prop-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(dir, ResultsDirectory.RecordsFile),
            [
                """{"id":0,"model":"m","mode":"streaming","outcome":"success","sent_ms":-1e308,"end_ms":1e308,"first_token_ms":1e308,"token_events_ms":[-1e308,1e308]}""",
                """{"id":1,"model":"m","mode":"streaming","outcome":"success","sent_ms":10,"end_ms":"Infinity"}""",
                """{"id":2,"model":"m","mode":"streaming","outcome":"success","sent_ms":10,"end_ms":50,"first_token_ms":1e300,"token_events_ms":[20,"NaN",1e300,30]}""",
            ]);
            var output = new StringWriter();

            var exit = ReportHarness.Rebuild(dir, new ReportOverrides(), output, output);

            Assert.Equal(ExitCodes.Success, exit);
            Assert.Contains("Skipped 2 unreadable line(s) of records.jsonl (cut off mid-write or corrupt): line 1 (sent_ms or end_ms is not a time (-1E+308, 1E+308)); line 2 (", output.ToString(), StringComparison.Ordinal);
            var record = Assert.Single(RecordsReader.ReadAll(Path.Combine(dir, ResultsDirectory.RecordsFile)));
            Assert.Null(record.FirstTokenMs);
            Assert.Equal([20.0, 30.0], record.TokenEventsMs);
            Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>A generated <c>records.jsonl</c>: its text, its non-blank lines, and how many of them are certainly not
/// records.</summary>
public sealed record RecordsFile(string Text, int Lines, int CorruptLines, bool WithScenario)
{
    /// <summary>The file as FsCheck prints a counterexample.</summary>
    public override string ToString() => $"{(WithScenario ? "with" : "without")} run.json:\n{Text}";
}

/// <summary>FsCheck generators of hostile records files.</summary>
public static class HostileRecords
{
    private static readonly string[] s_outcomes =
        ["success", "timeout", "rate_limited", "server_error", "client_error", "connection_error", "stream_interrupted", "malformed",
         "empty_response", "provider_error", "local_error", "dropped", "cancelled", "bogus", ""];

    private static readonly string[] s_strings = ["m1", "m2", "", "é😀\u0000", "a,b\"c\nd", new('x', 300), "<script>alert(1)</script>", "| pipe |"];

    /// <summary>The generator FsCheck uses for <see cref="RecordsFile"/>.</summary>
    public static Arbitrary<RecordsFile> File() => Arb.From(
        from lines in Gen.ListOf(Line()).Select(l => l.Take(12).ToList())
        from withScenario in Gen.Elements(true, false)
        select new RecordsFile(string.Join("\n", lines.Select(l => l.Text)) + "\n", lines.Count(l => !string.IsNullOrWhiteSpace(l.Text)), lines.Count(l => l.Corrupt), withScenario));

    private static Gen<(string Text, bool Corrupt)> Line() => Gen.Frequency(
        (8, Record().Select(r => (r, false))),
        (1, Record().Zip(Gen.Choose(1, 99)).Select(p => (p.Item1[..Math.Max(1, p.Item1.Length * p.Item2 / 100)], true))),
        (1, Gen.Elements("not json", "[1,2]", "{", "\"x\"", "null", "{\"outcome\":\"success\",\"mode\":\"streaming\",\"sent_ms\":\"NaN\",\"end_ms\":1}").Select(t => (t, true))));

    private static Gen<string> Record() =>
        from id in Long()
        from model in Gen.Frequency((8, Gen.Elements(s_strings).Select(s => (object?)s)), (1, Gen.Constant<object?>(null)))
        from mode in Gen.Elements<object?>("streaming", "non-streaming", "bogus", 7, null)
        from phase in Gen.Elements<object?>("measure", "measure", "warmup", "sweep", "x", null)
        from outcome in Gen.Frequency((10, Gen.Elements(s_outcomes).Select(o => (object?)o)), (1, Gen.Elements<object?>(57, -1, null)))
        from times in Gen.ArrayOf(Number(), 8)
        from counts in Gen.ArrayOf(Count(), 10)
        from events in Gen.ListOf(Number()).Select(e => e.Take(20).ToArray())
        from status in Count()
        from message in Gen.Elements(s_strings).Select(s => (object?)s)
        from source in Gen.Elements<object?>("usage", "tokenizer", "none", "x", null)
        from issue in Gen.Elements<object?>(null, null, null, "negative: x", "x", "")
        select Write(w =>
        {
            Field(w, "id", id);
            Field(w, "model", model);
            Field(w, "mode", mode);
            Field(w, "phase", phase);
            Field(w, "probe_rate_per_s", times[0]);
            Field(w, "intended_ms", times[1]);
            Field(w, "sent_ms", times[2]);
            Field(w, "first_byte_ms", times[3]);
            Field(w, "first_token_ms", times[4]);
            Field(w, "first_output_token_ms", times[5]);
            Field(w, "last_token_ms", times[6]);
            Field(w, "end_ms", times[7]);
            w.WriteStartArray("token_events_ms");
            foreach (var e in events)
            {
                Value(w, e);
            }

            w.WriteEndArray();
            Field(w, "http_status", status);
            Field(w, "outcome", outcome);
            w.WriteStartObject("error");
            Field(w, "type", "t");
            Field(w, "message", message);
            w.WriteEndObject();
            Field(w, "finish_reason", message);
            Field(w, "prompt_tokens", counts[0]);
            Field(w, "completion_tokens", counts[1]);
            Field(w, "reasoning_tokens", counts[2]);
            Field(w, "cached_tokens", counts[3]);
            Field(w, "tokens_source", source);
            Field(w, "tokenizer_prompt_tokens", counts[4]);
            Field(w, "tokenizer_completion_tokens", counts[5]);
            Field(w, "events", counts[6]);
            Field(w, "content_chars", counts[7]);
            Field(w, "reasoning_chars", counts[8]);
            Field(w, "usage_issue", issue);
        });

    private static Gen<object?> Long() => Gen.OneOf(
        Gen.Choose(0, 50).Select(i => (object?)(long)i),
        Gen.Elements<object?>(long.MinValue, long.MaxValue, -1L));

    /// <summary>Doubles: realistic milliseconds mostly, and every absurd value.</summary>
    private static Gen<object?> Number() => Gen.Frequency(
        (6, Gen.Choose(0, 60_000).Select(i => (object?)(i / 7.0))),
        (3, Gen.Elements<object?>(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1.0, -1e308, 1e308, double.Epsilon, 0.0, 3.6e12, null)),
        (1, ArbMap.Default.GeneratorFor<double>().Select(d => (object?)d)));

    /// <summary>Ints: realistic counts mostly, the extremes, nulls, and a value of the wrong type now and then.</summary>
    private static Gen<object?> Count() => Gen.Frequency(
        (6, Gen.Choose(0, 500).Select(i => (object?)i)),
        (3, Gen.Elements<object?>(int.MinValue, int.MaxValue, -1, 200, 429, 500, null, 2_000_000_000)),
        (1, Gen.Elements<object?>(12.5, 1e30, "7", true)));

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Field(Utf8JsonWriter w, string name, object? value)
    {
        w.WritePropertyName(name);
        Value(w, value);
    }

    /// <summary>Writes a value as records.jsonl would: non-finite doubles as their names ("NaN", "Infinity").</summary>
    private static void Value(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d when !double.IsFinite(d): w.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case double d: w.WriteNumberValue(d); break;
            default: throw new ArgumentException($"unexpected {value}");
        }
    }
}
