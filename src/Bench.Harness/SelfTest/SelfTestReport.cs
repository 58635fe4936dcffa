using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bench.Core.Metrics;

namespace Bench.Harness.SelfTest;

/// <summary>
/// Writes a self-test's results: <c>selftest.json</c> (every figure), <c>selftest.md</c> (the same, side by side, in
/// tables) and a short console summary. All text uses the invariant culture.
/// </summary>
internal static class SelfTestReport
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>File name of the JSON results.</summary>
    public const string JsonFile = "selftest.json";

    /// <summary>File name of the Markdown report.</summary>
    public const string MarkdownFile = "selftest.md";

    /// <summary>Writes both files into <paramref name="directory"/>.</summary>
    public static void Write(string directory, SelfTestResult result)
    {
        File.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(result, SelfTestJson.Default.SelfTestResult), Utf8);
        File.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown(result), Utf8);
    }

    /// <summary>The Markdown report.</summary>
    public static string Markdown(SelfTestResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var md = new StringBuilder();
        Line(md, $"# Bench self-test {r.RunId}");
        md.AppendLine();
        Line(md, $"`{r.CommandLine}` — {(r.Passed ? "all checks passed" : "SOME CHECKS FAILED")}; {r.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC, {(r.EndedUtc - r.StartedUtc).TotalSeconds:0} s.");
        md.AppendLine();
        Line(md, $"Machine: {Describe(r.Machine)}. Versions: {string.Join(", ", r.Versions.Select(kv => $"{kv.Key} {kv.Value}"))}.");
        md.AppendLine();

        GroundTruthSection(md, r.Accuracy);
        ArrivalSection(md, r.Accuracy);
        ScaleSection(md, r.Scale);
        CeilingSection(md, r.Ceiling);
        WrkSection(md, r.Wrk);

        md.AppendLine("## Goals");
        md.AppendLine();
        md.AppendLine("The harness's own performance goals, reported, never failed on (they depend on the machine and its load).");
        md.AppendLine();
        md.AppendLine("| goal | target | measured | met |");
        md.AppendLine("|---|---|---|---|");
        foreach (var g in r.Goals)
        {
            Line(md, $"| {g.Name} | {g.Target} | {g.Measured} | {(g.Met switch { true => "yes", false => "NO", null => "—" })} |");
        }

        md.AppendLine();
        md.AppendLine("## Checks");
        md.AppendLine();
        md.AppendLine("| check | result | measured |");
        md.AppendLine("|---|---|---|");
        foreach (var c in r.Checks)
        {
            Line(md, $"| {c.Name} | {(c.Passed ? "pass" : "FAIL")} | {c.Detail} |");
        }

        return md.ToString();
    }

    /// <summary>The console summary: one line per figure that matters.</summary>
    public static void Print(SelfTestResult r, string directory, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine();
        output.WriteLine("mode           quantity                     n      p50 µs     p99 µs     max µs");
        foreach (var a in r.Accuracy)
        {
            foreach (var (name, d) in a.ErrorRows())
            {
                if (d is not null)
                {
                    output.WriteLine(Inv($"{a.Mode,-14} {name,-24} {d.Count,6} {d.P50Us,11:N0} {d.P99Us,10:N0} {d.MaxUs,10:N0}"));
                }
            }
        }

        output.WriteLine();
        foreach (var a in r.Accuracy)
        {
            output.WriteLine(Inv($"{a.Mode}: intended {a.IntendedRatePerS:0.##} req/s, achieved {Num(a.AchievedSendRatePerS, "0.###")} req/s; queue_ms p50 {Num(a.QueueMs?.P50, "0.###")}, p99 {Num(a.QueueMs?.P99, "0.###")}, max {Num(a.QueueMs?.Max, "0.###")}"));
        }

        if (r.Scale.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("streams   quantity                     n      p50 µs     p99 µs     max µs   client CPU %  server CPU %");
            foreach (var s in r.Scale)
            {
                if (s.SkippedReason is { } skipped)
                {
                    output.WriteLine(Inv($"{s.Streams,-9:N0} skipped — {skipped}"));
                    continue;
                }

                foreach (var (name, d) in s.ErrorRows().Where(row => row.Value is not null))
                {
                    output.WriteLine(Inv($"{s.Streams,-9:N0} {name,-24} {d!.Count,6} {d.P50Us,11:N0} {d.P99Us,10:N0} {d.MaxUs,10:N0} {s.ClientCpuPercent,14:0.#} {s.ServerCpuPercent,13:0.#}"));
                }
            }
        }


        if (r.Ceiling is { } ceiling)
        {
            output.WriteLine();
            if (ceiling.SkippedReason is { } reason)
            {
                output.WriteLine($"Client ceiling: skipped — {reason}");
            }
            else
            {
                foreach (var peak in Peaks(ceiling))
                {
                    output.WriteLine(Inv($"Client ceiling, {peak.Client}: {peak.EventsPerS:N0} events/s, {peak.RequestsPerS:N0} req/s at concurrency {peak.Concurrency}; client CPU {Num(peak.ClientCpuUsPerRequest, "N1")} µs/request, {Num(peak.ClientCpuUsPerEvent, "N2")} µs/event{(peak.TokenCountingCpuPercent > 0 ? Inv($" (+{Num(peak.TokenCountingCpuUsPerRequest, "N1")} µs/request counting tokens, off the request path)") : "")}; client {peak.ClientCpuPercent:0} % + server {peak.ServerCpuPercent:0} % of {ceiling.LogicalCores} cores"));
                }
            }
        }

        if (r.Wrk is { } wrk)
        {
            output.WriteLine(wrk.Ran
                ? Inv($"wrk (non-streaming, {wrk.Connections} connections): {wrk.RequestsPerS:N0} req/s; Bench at the same concurrency: {Num(wrk.Bench?.RequestsPerS, "N0")} req/s")
                : $"wrk: skipped — {wrk.SkippedReason}");
        }

        foreach (var g in r.Goals)
        {
            output.WriteLine($"Goal {(g.Met switch { true => "met", false => "NOT met", null => "not measured" })}: {g.Name} {g.Target}: {g.Measured}");
        }

        output.WriteLine();
        foreach (var c in r.Checks.Where(c => !c.Passed))
        {
            output.WriteLine($"FAIL {c.Name}: {c.Detail}");
        }

        output.WriteLine($"{(r.Passed ? "All checks passed." : "Some checks failed.")} Results: {directory}{Path.DirectorySeparatorChar}{MarkdownFile}");
    }

    /// <summary>Each client's best step (highest events/s).</summary>
    internal static IEnumerable<CeilingStep> Peaks(CeilingResult ceiling) => ceiling.Steps
        .GroupBy(s => s.Client)
        .Select(g => g.MaxBy(s => s.EventsPerS)!);

    private static void ScaleSection(StringBuilder md, IReadOnlyList<ScaleResult> scale)
    {
        md.AppendLine("## Ground truth at scale: many concurrent streams");
        md.AppendLine();
        if (scale.Count == 0)
        {
            md.AppendLine("Not run (turned off for this run).");
            md.AppendLine();
            return;
        }

        md.AppendLine("Bench's client keeps N streamed requests in flight (closed: each stream sends its next request when the last ends)");
        md.AppendLine("against the simulator in a child process, which appends its record of every request to a timings file");
        md.AppendLine("(`bench simulate --timings`). Its Stopwatch timestamps are `CLOCK_MONOTONIC` on Linux, the same clock as the");
        md.AppendLine("client's, so each request is joined by `X-Bench-Request-Id` and the errors are defined as above. Streams start spread");
        md.AppendLine("evenly over one answer's length (so connects do not overflow the listen backlog and answers do not end in waves);");
        md.AppendLine("requests sent in the measured window that follows are measured, and both processes' CPU is read at its edges");
        md.AppendLine("(% of the whole machine), with the time the client's garbage collector paused it in the window (every stream's");
        md.AppendLine("clock stands still meanwhile). Request transit includes the connect of each stream's first request.");
        md.AppendLine();
        md.AppendLine("| streams | model | profile TTFT ms | profile E2E ms | window s | requests | succeeded | joined | in flight at end | req/s | events/s | client CPU % | server CPU % | client GC pause ms | client gen2 GCs | descriptor limit |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in scale)
        {
            if (s.SkippedReason is { } reason)
            {
                Line(md, $"| {s.Streams:N0} | {s.Model} | | | | | | | | | | | | | | skipped: {Escape(reason)} |");
                continue;
            }

            Line(md, $"| {s.Streams:N0} | {s.Model} | {s.ProfileTtftMs:0.###} | {s.ProfileE2eMs:0.###} | {s.WindowS:0.###} | {s.Requests:N0} | {s.Successes:N0}{(s.FirstFailure is { } f ? $" ({Escape(f)})" : "")} | {s.Joined:N0} | {s.InFlightAtEnd:N0} | {s.RequestsPerS:N0} | {s.EventsPerS:N0} | {s.ClientCpuPercent:0.#} | {s.ServerCpuPercent:0.#} | {s.ClientGcPauseMs:0.#} | {s.ClientGen2Collections} | {(s.DescriptorSoftLimit is { } l ? l.ToString("N0", CultureInfo.InvariantCulture) : "none")} |");
        }

        md.AppendLine();
        md.AppendLine("| streams | quantity | n | p50 µs | p90 µs | p99 µs | max µs | min µs | mean µs |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in scale)
        {
            foreach (var (name, d) in s.ErrorRows().Where(row => row.Value is not null))
            {
                Line(md, $"| {s.Streams:N0} | {name} | {d!.Count} | {d.P50Us:N0} | {d.P90Us:N0} | {d.P99Us:N0} | {d.MaxUs:N0} | {d.MinUs:N0} | {d.MeanUs:N1} |");
            }
        }

        md.AppendLine();
        md.AppendLine("| streams | metric | profile ms | measured p50 ms | p99 ms | max ms |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|");
        foreach (var s in scale)
        {
            if (s.TtftMs is { } ttft)
            {
                Line(md, $"| {s.Streams:N0} | ttft_ms | {s.ProfileTtftMs:0.###} | {ttft.P50:0.###} | {ttft.P99:0.###} | {ttft.Max:0.###} |");
            }

            if (s.E2eMs is { } e2e)
            {
                Line(md, $"| {s.Streams:N0} | e2e_ms | {s.ProfileE2eMs:0.###} | {e2e.P50:0.###} | {e2e.P99:0.###} | {e2e.Max:0.###} |");
            }
        }

        md.AppendLine();
    }

    private static void GroundTruthSection(StringBuilder md, IReadOnlyList<AccuracyResult> accuracy)
    {
        md.AppendLine("## Ground truth: what Bench measured against what the simulator recorded");
        md.AppendLine();
        md.AppendLine("The embedded simulator serves a fixed-delay model and records, per request, when it received it, when it flushed");
        md.AppendLine("the first token-bearing event and when it flushed the last byte (Stopwatch timestamps in the same process as the");
        md.AppendLine("client, so on the same clock). Each of Bench's records is joined to that record by `X-Bench-Request-Id`.");
        md.AppendLine("**TTFT error** = client first-token arrival − server first-token flush (= measured TTFT − true TTFT);");
        md.AppendLine("**E2E error** = client end of response − server last-byte flush. Both include loopback transit and the client's");
        md.AppendLine("own reading and parsing, and can never be negative. **Request transit** (server received − client sent) and the");
        md.AppendLine("**simulator's lateness** against its profile are not errors of Bench; they explain measured − profile below.");
        md.AppendLine();
        md.AppendLine("| mode | quantity | n | p50 µs | p90 µs | p99 µs | max µs | min µs | mean µs |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var a in accuracy)
        {
            foreach (var (name, d) in a.ErrorRows())
            {
                if (d is not null)
                {
                    Line(md, $"| {a.Mode} | {name} | {d.Count} | {d.P50Us:N0} | {d.P90Us:N0} | {d.P99Us:N0} | {d.MaxUs:N0} | {d.MinUs:N0} | {d.MeanUs:N1} |");
                }
            }
        }

        md.AppendLine();
        md.AppendLine("Measured against the profile (server TTFT and E2E are fixed):");
        md.AppendLine();
        md.AppendLine("| mode | metric | profile ms | measured p50 ms | p99 ms | max ms |");
        md.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var a in accuracy)
        {
            if (a.ProfileTtftMs is { } ttft && a.TtftMs is { } measured)
            {
                Line(md, $"| {a.Mode} | ttft_ms | {ttft:0.###} | {measured.P50:0.###} | {measured.P99:0.###} | {measured.Max:0.###} |");
            }

            if (a.E2eMs is { } e2e)
            {
                Line(md, $"| {a.Mode} | e2e_ms | {a.ProfileE2eMs:0.###} | {e2e.P50:0.###} | {e2e.P99:0.###} | {e2e.Max:0.###} |");
            }
        }

        md.AppendLine();
    }

    private static void ArrivalSection(StringBuilder md, IReadOnlyList<AccuracyResult> accuracy)
    {
        md.AppendLine("## Arrival rate: intended against achieved");
        md.AppendLine();
        md.AppendLine("Open load (`inject`, evenly spaced) after a 1 s warm-up at 5 req/s. Scheduled = (n − 1) / span of the intended send");
        md.AppendLine("times; achieved = (n − 1) / span of the actual send times; `queue_ms` = intended → actual send time.");
        md.AppendLine();
        md.AppendLine("| mode | requests | intended req/s | scheduled req/s | achieved req/s | queue_ms p50 | p90 | p99 | p99.9 | max |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var a in accuracy)
        {
            var q = a.QueueMs;
            Line(md, $"| {a.Mode} | {a.Requests} | {a.IntendedRatePerS:0.###} | {Num(a.ScheduledRatePerS, "0.###")} | {Num(a.AchievedSendRatePerS, "0.###")} | {Num(q?.P50, "0.###")} | {Num(q?.P90, "0.###")} | {Num(q?.P99, "0.###")} | {Num(q?.P999, "0.###")} | {Num(q?.Max, "0.###")} |");
        }

        md.AppendLine();
    }

    private static void CeilingSection(StringBuilder md, CeilingResult? ceiling)
    {
        md.AppendLine("## Client ceiling: Bench's client against the OpenAI .NET SDK");
        md.AppendLine();
        if (ceiling is null)
        {
            md.AppendLine("Not run (turned off for this run).");
            md.AppendLine();
            return;
        }

        if (ceiling.SkippedReason is { } reason)
        {
            Line(md, $"Skipped: {reason}");
            md.AppendLine();
            return;
        }

        Line(md, $"The simulator runs in a child process (`{ceiling.ServerCommand}`), so this process's CPU time (`Environment.CpuUsage`) is the client's alone; the child's is read from its process. Model `{ceiling.Model}`: {ceiling.TokensPerAnswer} one-token SSE events per answer, server E2E {ceiling.ServerE2eMs:0.#} ms, so a closed step at concurrency c offers at most c / {ceiling.ServerE2eMs:0.#} ms requests/s. All clients send the same requests, taking turns at each concurrency; `bench` is Bench's `ChatClient` as `bench run` configures it (timestamps every event; the prompt's and answer's tokens are then counted locally on the process's token-counting thread, off the request path), `bench-tokenizer-off` the same with local counting off (`tokenizer: none`), `openai-sdk` the SDK's `CompleteChatStreamingAsync` with each update timestamped and its content read. Events are SSE events on the wire, `[DONE]` included (the SDK consumes it silently; it is counted for it). Concurrency rises until {ClientCeiling.FlatStepsToStop} consecutive steps gain less than {(ClientCeiling.RiseFactor - 1) * 100:0} % events/s over the best step. CPU % is of all {ceiling.LogicalCores} cores (100 % = the machine). Client CPU % is the whole process's; client CPU µs per request and per event are the request path's (socket reads, SSE framing, chunk parsing, timestamps, the record): the process's CPU less the token-counting thread's, which is shown apart (its own thread CPU clock). `bench-tokenizer-off` measures the request path with no counting at all: the two agree when the subtraction is right.");
        md.AppendLine();
        md.AppendLine("| client | concurrency | req/s | events/s | client CPU % | server CPU % | client CPU µs/request | client CPU µs/event | token counting µs/request | failures |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in ceiling.Steps)
        {
            Line(md, $"| {s.Client} | {s.Concurrency} | {s.RequestsPerS:N0} | {s.EventsPerS:N0} | {s.ClientCpuPercent:0.#} | {s.ServerCpuPercent:0.#} | {Num(s.ClientCpuUsPerRequest, "N1")} | {Num(s.ClientCpuUsPerEvent, "N2")} | {(s.TokenCountingCpuPercent > 0 ? Num(s.TokenCountingCpuUsPerRequest, "N1") : "")} | {s.Failures}{(s.FirstFailure is { } f ? $" ({Escape(f)})" : "")} |");
        }

        md.AppendLine();
        var peaks = Peaks(ceiling).ToList();
        foreach (var p in peaks)
        {
            var rising = ceiling.NotLevelledOff.Contains(p.Client) ? "; its events/s still rose by 5 % or more at the highest concurrency tried, so its ceiling lies above this" : "";
            Line(md, $"- **{p.Client}** peaks at **{p.EventsPerS:N0} events/s, {p.RequestsPerS:N0} req/s** (concurrency {p.Concurrency}), using {Num(p.ClientCpuUsPerRequest, "N1")} µs of client CPU per request and {Num(p.ClientCpuUsPerEvent, "N2")} µs per event on the request path{(p.TokenCountingCpuPercent > 0 ? Inv($" (and {Num(p.TokenCountingCpuUsPerRequest, "N1")} µs per request counting tokens off it)") : "")}; client {p.ClientCpuPercent:0} % + server {p.ServerCpuPercent:0} % = {p.ClientCpuPercent + p.ServerCpuPercent:0} % of the machine{rising}.");
        }

        var sdk = peaks.FirstOrDefault(p => p.Client == ClientCeiling.SdkClient);
        foreach (var name in new[] { ClientCeiling.BenchClient, ClientCeiling.BenchNoTokenizerClient })
        {
            var bench = peaks.FirstOrDefault(p => p.Client == name);
            if (bench is null || sdk is null || sdk.EventsPerS <= 0)
            {
                continue;
            }

            // CPU per event falls as concurrency rises (fixed costs such as idle thread-pool spinning are shared by
            // more events), so costs are compared at the same concurrency: the highest both measured.
            var common = ceiling.Steps.Where(s => s.Client == name)
                .Join(ceiling.Steps.Where(s => s.Client == ClientCeiling.SdkClient), s => s.Concurrency, s => s.Concurrency, (b, o) => (Bench: b, Sdk: o))
                .OrderBy(pair => pair.Bench.Concurrency)
                .LastOrDefault();
            var cost = common.Bench?.ClientCpuUsPerEvent is { } be && common.Sdk?.ClientCpuUsPerEvent is { } se && se > 0
                ? Inv($"; at concurrency {common.Bench.Concurrency}, the highest both measured, it spends {be:N2} µs of CPU per event against the SDK's {se:N2} µs ({be / se:0.##}×)")
                : "";
            Line(md, $"- `{name}` reaches {bench.EventsPerS / sdk.EventsPerS:0.##}× the SDK's peak events/s{cost}.");
        }

        md.AppendLine();
    }

    private static void WrkSection(StringBuilder md, WrkResult? wrk)
    {
        md.AppendLine("## Loopback server ceiling: wrk on the non-streaming endpoint");
        md.AppendLine();
        if (wrk is null)
        {
            md.AppendLine("Not run (turned off for this run).");
            md.AppendLine();
            return;
        }

        if (wrk.Ran)
        {
            Line(md, $"{wrk.Version}: `{wrk.Command}` (a Lua script POSTs the non-streaming request Bench's client sends, for `{SelfTestProfiles.ZeroModel}`, answered at once):");
            md.AppendLine();
            md.AppendLine("| client | connections | req/s | latency p50 ms | p99 ms | server CPU % | client CPU µs/request | errors |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            Line(md, $"| wrk | {wrk.Connections} | {wrk.RequestsPerS:N0} | {Num(wrk.LatencyP50Ms, "0.###")} | {Num(wrk.LatencyP99Ms, "0.###")} | {Num(wrk.ServerCpuPercent, "0.#")} | | {wrk.Non2xxResponses} non-2xx, {wrk.SocketErrors} socket |");
        }
        else
        {
            Line(md, $"**wrk skipped:** {wrk.SkippedReason}.");
            md.AppendLine();
            md.AppendLine("| client | connections | req/s | latency p50 ms | p99 ms | server CPU % | client CPU µs/request | errors |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        }

        foreach (var s in new[] { wrk.Bench, wrk.BenchTokenizerOff }.OfType<CeilingStep>())
        {
            Line(md, $"| {s.Client} (non-streaming) | {s.Concurrency} | {s.RequestsPerS:N0} | | | {s.ServerCpuPercent:0.#} | {Num(s.ClientCpuUsPerRequest, "N1")} | {s.Failures} failed |");
        }

        md.AppendLine();
        if (wrk.Ran && wrk.RequestsPerS > 0)
        {
            foreach (var bench in new[] { wrk.Bench, wrk.BenchTokenizerOff }.OfType<CeilingStep>())
            {
                Line(md, $"- `{bench.Client}` reaches {bench.RequestsPerS / wrk.RequestsPerS * 100:0} % of wrk's requests/s on the same server (client CPU {bench.ClientCpuPercent:0} % of the machine; window after {bench.WarmupS:0.#} s of warm-up, the last until the JIT went quiet; methods JIT-compiled in the window: {bench.JitMethodsInWindow:N0}).");
            }

            md.AppendLine();
        }
    }

    /// <summary>"2 logical cores, 23.5 GiB, Debian GNU/Linux 12 (bookworm) X64, load average …".</summary>
    private static string Describe(Dictionary<string, string> machine)
    {
        string? Get(string key) => machine.GetValueOrDefault(key);
        var parts = new List<string>();
        if (Get("logical_cores") is { } cores)
        {
            parts.Add($"{cores} logical cores");
        }

        if (Get("memory_gib") is { } memory)
        {
            parts.Add($"{memory} GiB");
        }

        parts.Add(string.Join(' ', new[] { Get("os"), Get("arch") }.Where(v => v is not null)));
        if (Get("load_average_at_start") is { } start)
        {
            parts.Add($"load average (1, 5, 15 min) {start} at start, {Get("load_average_at_end") ?? "?"} at end");
        }

        return string.Join(", ", parts);
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Num(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder md, FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
}

/// <summary>Source-generated JSON contract of <c>selftest.json</c>: snake_case, nulls omitted, indented.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(SelfTestResult))]
internal sealed partial class SelfTestJson : JsonSerializerContext;
