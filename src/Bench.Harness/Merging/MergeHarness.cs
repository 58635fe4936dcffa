using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bench.Core.Batches;
using Bench.Core.Faults;
using Bench.Core.Planning;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Harness.Reporting;
using Bench.Harness.Running;
using Bench.Report;
using Bench.Report.Exporters;
using Bench.Report.Model;
using Bench.Report.Terminal;
using HdrHistogram;

namespace Bench.Harness.Merging;

/// <summary>
/// <c>bench merge DIR... --out DIR</c>: the shards of one plan (<c>bench run --shard I/N</c>, on one host or many) as
/// one results folder, reported as one run.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Refused</b> (exit 2, nothing written, every problem listed with its folder): no folders; a folder that is
/// not a results folder; a folder whose run.json says no shard; shards of different plans (run.json's scenario, its
/// resilience policies and repeat); two folders with one index; different counts; an <c>--out</c> that is one of the
/// shards, or is not new or empty (<c>--force</c> as in <c>bench run</c>).</item>
/// <item><b>Missing or failed shards are reported, never dropped silently</b>: an index of 1..N with no folder, a
/// folder without records, a run.json interrupted or without an end (killed) are listed in run.json's
/// <c>shard.missing</c>, on standard error and at the top of the report, and the merge exits 1; it still writes what
/// it has (an interrupted shard's records up to its stop are merged).</item>
/// <item><b>One clock</b>: every run-clock time of a record (sent, headers, first byte, first token, last token, end,
/// intended, token events, the attempts'), of a batch (upload, submitted, observed end, downloaded) is moved onto the
/// earliest shard's clock: its origin is <c>clock_origin_utc − clock_offset_ms</c>, and each shard's times are shifted
/// by the difference of its origin from the earliest (rounded to the µs). Durations (back-off, limiter waits) and the
/// provider's and the fault clock's times are kept.</item>
/// <item><b>Ids</b> are kept when unique across the shards; otherwise every record's id becomes
/// <c>id × N + (shard − 1)</c> (the rule is in run.json's <c>shard.id_rule</c> and the report), injections' request ids
/// and batch submissions' first ids with them. Every record carries its <c>shard</c>.</item>
/// <item><b>Histograms</b>: the report is rebuilt from the merged records as for one run (<see cref="ReportBuilder"/>,
/// the one truth for every file, <c>histograms/*.hlog</c> included); the shards' own <c>.hlog</c> files are added
/// (HdrHistogram's log reader, histograms with the same file and tag summed) and must equal the rebuilt ones value
/// for value — a disagreement is a warning on standard error and in run.json.</item>
/// </list>
/// </remarks>
public static partial class MergeHarness
{
    /// <summary>The name of a shard's folder under <c>bench run --shards N</c>'s output (<c>shards/shard-3</c>); a folder
    /// so named says its index when its run.json cannot be read.</summary>
    public const string ShardFolderPrefix = "shard-";

    /// <summary>Top-level keys of run.json's <c>scenario_json</c> a shard may differ in without being another plan.</summary>
    private static readonly string[] ShardOwnKeys = ["shard", "shards", "start_at"];

    /// <summary>Merges the shard folders of <paramref name="request"/> into its output folder and rebuilds every report
    /// file there; prints the summary table on <paramref name="output"/> and each missing or failed shard on
    /// <paramref name="error"/>.</summary>
    /// <returns><see cref="ExitCodes.BadInput"/> when refused (nothing written); <see cref="ExitCodes.ThresholdsFailed"/>
    /// when a threshold of the plan failed on the merged cells; <see cref="ExitCodes.MeasuredFailure"/> when a shard was
    /// missing or failed (the folder is written all the same); else <see cref="ExitCodes.Success"/>.</returns>
    public static async Task<int> MergeAsync(MergeRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var problems = new List<string>();
        var shards = Inspect(request, problems, out var unreadable);
        var count = CountOf(request, shards, unreadable, problems);
        CheckPlans(shards, problems);
        CheckOutput(request, problems);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"bench merge: {problem}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Nothing was written.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var missing = new List<(int Index, string Reason)>();
        for (var index = 1; index <= count; index++)
        {
            if (request.KnownMissing?.GetValueOrDefault(index) is { } known)
            {
                missing.Add((index, known));
            }
            else if (unreadable.FirstOrDefault(u => u.Index == index) is { Folder: not null } broken)
            {
                missing.Add((index, $"run.json cannot be read in {broken.Folder}"));
            }
            else if (shards.All(s => s.Index != index))
            {
                missing.Add((index, "no folder given"));
            }
        }

        foreach (var shard in shards)
        {
            if (!File.Exists(Path.Combine(shard.Directory, ResultsDirectory.RecordsFile)))
            {
                shard.Merged = false;
                missing.Add((shard.Index, $"no {ResultsDirectory.RecordsFile} in {shard.Folder} (the shard wrote no record)"));
            }
            else if (shard.Run.Interrupted is { } reason)
            {
                missing.Add((shard.Index, $"interrupted ({reason})"));
            }
            else if (shard.Run.EndedUtc is null)
            {
                missing.Add((shard.Index, "did not finish (run.json has no end: killed?)"));
            }
        }

        missing.Sort((a, b) => a.Index.CompareTo(b.Index));
        var merged = shards.Where(s => s.Merged).OrderBy(s => s.Index).ToList();
        if (merged.Count == 0)
        {
            foreach (var (index, reason) in missing)
            {
                await error.WriteLineAsync($"bench merge: shard {index} of {count}: {reason}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("bench merge: no shard has records to merge; nothing was written.").ConfigureAwait(false);
            return ExitCodes.MeasuredFailure;
        }

        var directory = Path.GetFullPath(request.OutputDirectory);
        if (request.Force && !request.OutputHoldsShards && ResultsFolder.StartAfresh(directory) is { Count: > 0 } kept)
        {
            await error.WriteLineAsync($"--force: started {request.OutputDirectory} afresh; kept what Bench did not write: {string.Join(", ", kept)}").ConfigureAwait(false);
        }

        Directory.CreateDirectory(directory);
        PlaceOnOneClock(merged);
        var renumber = HasDuplicateIds(merged);
        await WriteRecordsAsync(merged, count, renumber, directory).ConfigureAwait(false);
        var run = Combine(merged, count, missing, renumber, directory);
        WriteBatches(merged, directory);
        WriteInjections(merged, count, renumber, directory);
        ResultsDirectory.WriteRunInfo(directory, run);

        var added = AddHistogramLogs(merged, out var withoutLogs);
        RunReport report;
        try
        {
            report = ReportBuilder.Write(directory, run, ReportPrices.Catalog(run.Report));
        }
        catch (PricingException e)
        {
            await error.WriteLineAsync($"bench merge: the shards' report settings cannot be priced: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        // A shard killed before its report wrote no logs: the shards' sum cannot cover its records, so comparing would
        // only list every histogram as short by its records; the one warning below says why instead.
        var disagreements = withoutLogs.Count > 0 ? [] : CompareHistogramLogs(added, directory);
        if (withoutLogs.Count > 0)
        {
            run.Warnings.Add($"histograms: shard(s) {string.Join(", ", withoutLogs)} wrote no .hlog (killed before its report), so the sum of the shards' logs does not cover them; the merged logs are the records'");
        }

        run.Warnings.AddRange(disagreements);
        if (withoutLogs.Count > 0 || disagreements.Count > 0)
        {
            ResultsDirectory.WriteRunInfo(directory, run);
        }

        SummaryTable.Print(report, output);
        ThresholdTable.Print(report, output);
        output.WriteLine();
        output.WriteLine(withoutLogs.Count > 0
            ? $"Histograms: not checked against the shards' .hlog files: shard(s) {string.Join(", ", withoutLogs)} wrote none; the merged files are the records'."
            : disagreements.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Histograms: the shards' .hlog files added ({added.Count} histograms) equal those of the merged records, value for value.")
            : "Histograms: the shards' .hlog files added do NOT equal those of the merged records (see the warnings); the merged files are the records'.");
        if (run.Shard?.IdRule is { } rule)
        {
            output.WriteLine($"Ids: {rule}.");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Merged shard(s) {string.Join(", ", merged.Select(s => s.Index))} of {count} ({report.Records.Records:N0} records) into {directory}{Path.DirectorySeparatorChar}"));
        foreach (var warning in disagreements)
        {
            await error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        foreach (var (index, reason) in missing)
        {
            await error.WriteLineAsync($"bench merge: shard {index} of {count}: {reason}").ConfigureAwait(false);
        }

        return report.ThresholdsFailed ? ExitCodes.ThresholdsFailed
            : missing.Count > 0 ? ExitCodes.MeasuredFailure
            : ExitCodes.Success;
    }

    /// <summary>A shard folder as read: its run.json, index and count, and the shift of its clock.</summary>
    private sealed class Shard(string folder, string directory, RunInfo run, int index, int count)
    {
        public string Folder { get; } = folder;

        public string Directory { get; } = directory;

        public RunInfo Run { get; } = run;

        public int Index { get; } = index;

        public int Count { get; } = count;

        /// <summary>Its records are merged (false: it has none to merge).</summary>
        public bool Merged { get; set; } = true;

        /// <summary>Its clock's origin on the shared calendar: <c>clock_origin_utc − clock_offset_ms</c>.</summary>
        public DateTimeOffset Origin => Run.ClockOriginUtc - TimeSpan.FromMilliseconds(Run.Shard?.ClockOffsetMs ?? 0);

        public double ShiftMs { get; set; }

        public long Records { get; set; }

        public long Skipped { get; set; }
    }

    /// <summary>Reads each folder's run.json: the shards found, and the folders whose run.json could not be read (with
    /// the index their name gives, when it gives one).</summary>
    private static List<Shard> Inspect(MergeRequest request, List<string> problems, out List<(string? Folder, int Index)> unreadable)
    {
        unreadable = [];
        var shards = new List<Shard>();
        if (request.Directories.Count == 0)
        {
            problems.Add("no shard folders given: bench merge DIR... --out DIR (each DIR written by bench run --shard I/N).");
        }

        var output = string.IsNullOrWhiteSpace(request.OutputDirectory) ? null : Path.GetFullPath(request.OutputDirectory);
        foreach (var folder in request.Directories)
        {
            var directory = Path.GetFullPath(folder);
            var known = request.Known?.GetValueOrDefault(directory);
            if (directory == output)
            {
                problems.Add($"{folder}: is also --out; name a new folder for the merged run.");
                continue;
            }

            if (!System.IO.Directory.Exists(directory))
            {
                problems.Add($"{folder}: no such folder.");
                continue;
            }

            var runFile = Path.Combine(directory, ResultsDirectory.RunFile);
            if (!File.Exists(runFile))
            {
                problems.Add($"{folder}: not a results folder (no {ResultsDirectory.RunFile}).");
                continue;
            }

            if (ResultsDirectory.ReadRunInfo(directory) is not { } run)
            {
                var named = ShardFolderName().Match(Path.GetFileName(directory));
                var index = known?.Index ?? (named.Success && int.TryParse(named.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null);
                if (index is { } i)
                {
                    unreadable.Add((folder, i));
                }
                else
                {
                    problems.Add($"{folder}: {ResultsDirectory.RunFile} cannot be read, and the folder's name (not {ShardFolderPrefix}I) does not say which shard it is.");
                }

                continue;
            }

            var shardIndex = run.Shard?.Index ?? known?.Index;
            var shardCount = run.Shard is { Count: > 0 } block ? block.Count : known?.Count;
            if (run.Shard is { Merged: not null })
            {
                problems.Add($"{folder}: is a merged folder (run.json shard.merged); merge the shards' own folders.");
                continue;
            }

            if (shardIndex is not { } idx || shardCount is not { } cnt)
            {
                problems.Add($"{folder}: {ResultsDirectory.RunFile} has no shard (index and count): not a shard written by bench run --shard I/N.");
                continue;
            }

            if (idx < 1 || idx > cnt)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{folder}: shard.index {idx} is outside 1..{cnt} (shard.count)."));
                continue;
            }

            shards.Add(new Shard(folder, directory, run, idx, cnt));
        }

        foreach (var twice in shards.Select(s => (s.Index, s.Folder)).Concat(unreadable.Select(u => (u.Index, u.Folder!))).GroupBy(s => s.Index).Where(g => g.Count() > 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{string.Join(" and ", twice.Select(s => s.Item2))}: both are shard {twice.Key}; give each shard once."));
        }

        return shards;
    }

    /// <summary>The shards' common count (N); a problem when they disagree.</summary>
    private static int CountOf(MergeRequest request, List<Shard> shards, List<(string? Folder, int Index)> unreadable, List<string> problems)
    {
        var counts = shards.Select(s => s.Count).Distinct().ToList();
        if (counts.Count > 1)
        {
            problems.Add("the folders are shards of different splits: " + string.Join("; ", shards.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Folder} is {s.Index}/{s.Count}"))) + ".");
        }

        var count = counts.Count > 0 ? counts.Max() : request.Count ?? (request.Known?.Values.Select(k => k.Count).DefaultIfEmpty(0).Max() ?? 0);
        foreach (var (folder, index) in unreadable.Where(u => count > 0 && u.Index > count))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{folder}: its name says shard {index}, outside 1..{count}."));
        }

        return count;
    }

    /// <summary>Every shard must have run the same plan: run.json's scenario (but for what a shard may differ in),
    /// resilience policies and repeat.</summary>
    private static void CheckPlans(List<Shard> shards, List<string> problems)
    {
        if (shards.Count < 2)
        {
            return;
        }

        var first = shards.OrderBy(s => s.Index).First();
        foreach (var shard in shards.Where(s => s != first))
        {
            var difference = shard.Run.Scenario != first.Run.Scenario ? $"scenario '{shard.Run.Scenario}', not '{first.Run.Scenario}'"
                : FirstDifference(Plain(first.Run.ScenarioJson), Plain(shard.Run.ScenarioJson), "$.scenario_json") is { } path ? $"run.json differs at {path}"
                : Policies(shard.Run) != Policies(first.Run) ? "run.json's resilience policies differ"
                : shard.Run.Repeat != first.Run.Repeat ? "run.json's repeat differs"
                : null;
            if (difference is not null)
            {
                problems.Add($"{shard.Folder}: not the same plan as {first.Folder} ({difference}); merge only the shards of one run.");
            }
        }
    }

    private static string Policies(RunInfo run) => JsonSerializer.Serialize(run.Resilience, ResultsJson.Default.GetTypeInfo(typeof(List<Core.Resilience.ResiliencePolicy>))!);

    /// <summary>The scenario JSON without the keys a shard may differ in.</summary>
    private static JsonElement? Plain(JsonElement? scenario)
    {
        if (scenario is not { ValueKind: JsonValueKind.Object } json)
        {
            return scenario;
        }

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in json.EnumerateObject().Where(p => !ShardOwnKeys.Contains(p.Name)))
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }

    /// <summary>The JSON path of the first place two values differ, or null when they are equal.</summary>
    private static string? FirstDifference(JsonElement? a, JsonElement? b, string path)
    {
        if (a is not { } x || b is not { } y)
        {
            return a is null && b is null ? null : path;
        }

        if (x.ValueKind != y.ValueKind)
        {
            return path;
        }

        switch (x.ValueKind)
        {
            case JsonValueKind.Object:
                var names = x.EnumerateObject().Select(p => p.Name).Union(y.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);
                foreach (var name in names)
                {
                    var hasX = x.TryGetProperty(name, out var vx);
                    var hasY = y.TryGetProperty(name, out var vy);
                    if (hasX != hasY)
                    {
                        return $"{path}.{name}";
                    }

                    if (FirstDifference(vx, vy, $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (x.GetArrayLength() != y.GetArrayLength())
                {
                    return path;
                }

                var i = 0;
                foreach (var (ex, ey) in x.EnumerateArray().Zip(y.EnumerateArray()))
                {
                    if (FirstDifference(ex, ey, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]")) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return x.GetRawText() == y.GetRawText() ? null : path;
        }
    }

    /// <summary><c>--out</c>: new or empty, or a Bench results folder with <c>--force</c> (as <c>bench run</c>).</summary>
    private static void CheckOutput(MergeRequest request, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(request.OutputDirectory))
        {
            problems.Add("--out: name the folder for the merged run.");
            return;
        }

        if (!request.OutputHoldsShards && ResultsFolder.Check(request.OutputDirectory, request.Force) is { } refusal)
        {
            problems.Add(refusal);
        }
    }

    /// <summary>Sets each shard's shift: its origin (corrected by its clock offset) minus the earliest, in whole µs.</summary>
    private static void PlaceOnOneClock(List<Shard> shards)
    {
        var origin = shards.Min(s => s.Origin);
        foreach (var shard in shards)
        {
            shard.ShiftMs = Math.Round((shard.Origin - origin).TotalMilliseconds, 3);
        }
    }

    /// <summary>Whether two records of the merged shards share an id (then every id is renumbered).</summary>
    private static bool HasDuplicateIds(List<Shard> shards)
    {
        var seen = new HashSet<long>();
        var duplicate = false;
        foreach (var shard in shards)
        {
            ReadLines(Path.Combine(shard.Directory, ResultsDirectory.RecordsFile), (record, _) => duplicate |= !seen.Add(record.Id), (_, _) => { });
        }

        return duplicate;
    }

    /// <summary>A merged id: kept, or <c>id × N + (shard − 1)</c> when ids are renumbered.</summary>
    private static long MergedId(long id, int index, int count, bool renumber) => renumber ? checked((id * count) + index - 1) : id;

    /// <summary>run.json of the merged folder.</summary>
    private static RunInfo Combine(List<Shard> shards, int count, List<(int Index, string Reason)> missing, bool renumber, string directory)
    {
        var first = shards[0].Run;
        var origin = shards.Min(s => s.Origin);
        var started = shards.Min(s => s.Run.StartedUtc - TimeSpan.FromMilliseconds(s.Run.Shard?.ClockOffsetMs ?? 0));
        var ended = shards.All(s => s.Run.EndedUtc is not null)
            ? shards.Max(s => s.Run.EndedUtc!.Value - TimeSpan.FromMilliseconds(s.Run.Shard?.ClockOffsetMs ?? 0))
            : (DateTimeOffset?)null;
        var interrupted = shards.Select(s => s.Run.Interrupted).FirstOrDefault(r => r is not null);
        var busiest = shards.Where(s => s.Run.Client is not null).OrderByDescending(s => s.Run.Client!.CpuShareP90).ThenByDescending(s => s.Run.Client!.SchedulerLagP99Ms).FirstOrDefault();
        var idRule = renumber
            ? string.Create(CultureInfo.InvariantCulture, $"ids renumbered as id × {count} + (shard − 1), since shards used the same ids (a record's shard is in its shard field; its id in the shard's folder is (id − shard + 1) / {count})")
            : null;
        return new RunInfo
        {
            RunId = Path.GetFileName(directory),
            Scenario = first.Scenario,
            ScenarioFile = first.ScenarioFile,
            ScenarioJson = first.ScenarioJson,
            Target = first.Target,
            Targets = first.Targets,
            Versions = first.Versions,
            Machine = first.Machine,
            StartedUtc = started,
            EndedUtc = interrupted is null ? ended : null,
            Interrupted = interrupted,
            PartialCells = interrupted is null ? null : [.. shards.SelectMany(s => s.Run.PartialCells ?? []).Distinct()],
            Repeat = first.Repeat,
            CompleteReplicates = interrupted is null ? null : shards.Select(s => s.Run.CompleteReplicates).OfType<List<int>>().Aggregate((IEnumerable<int>?)null, (all, c) => all is null ? c : all.Intersect(c))?.ToList(),
            ClockOriginUtc = origin,
            Warnings = [.. shards.SelectMany(s => s.Run.Warnings ?? []).Distinct()],
            Resilience = first.Resilience,
            Report = first.Report,
            Client = busiest?.Run.Client,
            Faults = first.Faults,
            FaultEpochs = shards.Any(s => s.Run.FaultEpochs is not null)
                ? [.. shards.SelectMany(s => s.Run.FaultEpochs ?? []).DistinctBy(e => (e.Target, e.Model, e.Mode, e.Policy, e.Replicate, e.Epoch))]
                : null,
            Batches = shards.Any(s => s.Run.Batches is not null)
                ? [.. shards.SelectMany(s => (s.Run.Batches ?? []).Select(b => new BatchSubmission
                {
                    Model = b.Model, Lines = b.Lines, FirstId = b.FirstId is { } id ? MergedId(id, s.Index, count, renumber) : null, InputFileId = b.InputFileId,
                    BatchId = b.BatchId, Status = b.Status, Collected = b.Collected,
                }))]
                : null,
            Shard = new ShardInfo
            {
                Count = count,
                StartAtUtc = shards.Select(s => s.Run.Shard?.StartAtUtc).FirstOrDefault(t => t is not null),
                Merged = [.. shards.Select(s => s.Index)],
                Missing = missing.Count == 0 ? null : [.. missing.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Index}: {m.Reason}"))],
                IdRule = idRule,
                Shards = [.. shards.Select(s => new MergedShard
                {
                    Index = s.Index,
                    Folder = s.Folder,
                    RunId = s.Run.RunId,
                    Machine = s.Run.Machine?.GetValueOrDefault("machine_name"),
                    StartedUtc = s.Run.StartedUtc,
                    EndedUtc = s.Run.EndedUtc,
                    Interrupted = s.Run.Interrupted,
                    Records = s.Records,
                    SkippedLines = s.Skipped,
                    ShiftMs = s.ShiftMs,
                    ClockOffsetMs = s.Run.Shard?.ClockOffsetMs,
                    Client = s.Run.Client,
                })],
            },
        };
    }

    /// <summary>Concatenates the shards' records into records.jsonl, each on the merged clock with its shard (and its
    /// merged id); counts each shard's records and skipped lines into run.json's shard list.</summary>
    private static async Task WriteRecordsAsync(List<Shard> shards, int count, bool renumber, string directory)
    {
        await using var writer = new RecordsWriter(Path.Combine(directory, ResultsDirectory.RecordsFile));
        foreach (var shard in shards)
        {
            long records = 0;
            long skipped = 0;
            ReadLines(Path.Combine(shard.Directory, ResultsDirectory.RecordsFile), (record, _) =>
            {
                records++;
                record.Id = MergedId(record.Id, shard.Index, count, renumber);
                record.Shard = shard.Index;
                Shift(record, shard.ShiftMs);
                writer.Append(record);
            }, (_, _) => skipped++);
            shard.Records = records;
            shard.Skipped = skipped;
        }
    }

    /// <summary>Streams a records.jsonl: each line that <see cref="RecordsReader.TryParse"/> accepts is handed over as
    /// written (not sanitised, so the merged file keeps what the shard wrote); the others are counted.</summary>
    private static void ReadLines(string path, Action<RequestRecord, int> onRecord, Action<int, string> onSkipped)
    {
        using var reader = new StreamReader(path);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (line.Length > RecordsReader.MaxLineChars)
            {
                onSkipped(number, "too long");
                continue;
            }

            if (!RecordsReader.TryParse(line, out _, out var reason))
            {
                onSkipped(number, reason);
                continue;
            }

            onRecord(JsonSerializer.Deserialize(line, ResultsJson.Default.RequestRecord)!, number);
        }
    }

    /// <summary>Moves every run-clock time of <paramref name="record"/> by <paramref name="ms"/>.</summary>
    internal static void Shift(RequestRecord record, double ms)
    {
        if (ms == 0)
        {
            return;
        }

        record.IntendedMs += ms;
        record.SentMs += ms;
        record.HeadersMs += ms;
        record.FirstByteMs += ms;
        record.FirstTokenMs += ms;
        record.FirstOutputTokenMs += ms;
        record.LastTokenMs += ms;
        record.EndMs += ms;
        if (record.TokenEventsMs is { } events)
        {
            for (var i = 0; i < events.Count; i++)
            {
                events[i] += ms;
            }
        }

        foreach (var attempt in record.Attempts ?? [])
        {
            attempt.SentMs += ms;
            attempt.HeadersMs += ms;
            attempt.FirstByteMs += ms;
            attempt.FirstTokenMs += ms;
            attempt.EndMs += ms;
        }
    }

    /// <summary>Concatenates the shards' batches.jsonl, their run-clock times moved (the provider's kept).</summary>
    private static void WriteBatches(List<Shard> shards, string directory)
    {
        var all = shards.Select(s => (Shard: s, BatchesFile.ReadAll(s.Directory).Batches)).Where(b => b.Batches.Count > 0).ToList();
        if (all.Count == 0)
        {
            return;
        }

        using var writer = BatchesFile.OpenWriter(directory);
        foreach (var (shard, batches) in all)
        {
            foreach (var batch in batches)
            {
                batch.UploadStartMs += shard.ShiftMs;
                batch.SubmittedMs += shard.ShiftMs;
                batch.ObservedEndMs += shard.ShiftMs;
                batch.DownloadedMs += shard.ShiftMs;
                writer.Append(batch);
            }
        }

    }

    /// <summary>Concatenates the shards' injections.jsonl, request ids renumbered with the records' (the fault clock's
    /// times are the simulator's, kept).</summary>
    private static void WriteInjections(List<Shard> shards, int count, bool renumber, string directory)
    {
        var sources = shards.Where(s => File.Exists(Path.Combine(s.Directory, ResultsDirectory.InjectionsFile))).ToList();
        if (sources.Count == 0)
        {
            return;
        }

        using var writer = new InjectionsWriter(Path.Combine(directory, ResultsDirectory.InjectionsFile));
        foreach (var shard in sources)
        {
            InjectionsReader.Read(Path.Combine(shard.Directory, ResultsDirectory.InjectionsFile), injection =>
                writer.Append(renumber && long.TryParse(injection.RequestId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                    ? injection with { RequestId = MergedId(id, shard.Index, count, renumber).ToString(CultureInfo.InvariantCulture) }
                    : injection));
        }
    }

    /// <summary>The shards' <c>histograms/*.hlog</c> added: per file name and tag, the sum of every shard's histogram
    /// (HdrHistogram's log reader); <paramref name="without"/> lists the shards that have no log.</summary>
    internal static Dictionary<(string File, string Tag), HistogramBase> AddHistogramLogs(IEnumerable<string> directories, out List<string> without)
    {
        var sums = new Dictionary<(string, string), HistogramBase>();
        without = [];
        foreach (var directory in directories)
        {
            var folder = Path.Combine(directory, HistogramLogExporter.FolderName);
            var logs = System.IO.Directory.Exists(folder) ? System.IO.Directory.GetFiles(folder, "*.hlog") : [];
            if (logs.Length == 0)
            {
                without.Add(directory);
            }

            foreach (var log in logs)
            {
                foreach (var (tag, histogram) in HistogramLogExporter.Read(log))
                {
                    var key = (Path.GetFileName(log), tag);
                    if (sums.TryGetValue(key, out var sum))
                    {
                        sum.Add(histogram);
                    }
                    else
                    {
                        sums[key] = histogram.Copy();
                    }
                }
            }
        }

        return sums;
    }

    private static Dictionary<(string File, string Tag), HistogramBase> AddHistogramLogs(List<Shard> shards, out List<int> without)
    {
        var sums = AddHistogramLogs(shards.Select(s => s.Directory), out var folders);
        without = [.. shards.Where(s => folders.Contains(s.Directory)).Select(s => s.Index)];
        return sums;
    }

    /// <summary>The disagreements between the shards' logs added and the merged folder's (rebuilt from the records):
    /// a histogram in one and not the other, or one whose recorded values or counts differ.</summary>
    internal static List<string> CompareHistogramLogs(Dictionary<(string File, string Tag), HistogramBase> added, string directory)
    {
        var rebuilt = AddHistogramLogs([directory], out _);
        var problems = new List<string>();
        foreach (var key in added.Keys.Union(rebuilt.Keys).OrderBy(k => k.File, StringComparer.Ordinal).ThenBy(k => k.Tag, StringComparer.Ordinal))
        {
            var a = added.GetValueOrDefault(key);
            var b = rebuilt.GetValueOrDefault(key);
            if (a is null || b is null)
            {
                problems.Add($"histograms/{key.File} {key.Tag}: {(a is null ? "only in the merged records" : "only in the shards' logs")}");
            }
            else if (!SameValues(a, b))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"histograms/{key.File} {key.Tag}: the shards' logs add up to {a.TotalCount} values (p99 {a.GetValueAtPercentile(99)} µs), the merged records give {b.TotalCount} (p99 {b.GetValueAtPercentile(99)} µs)"));
            }
        }

        return problems;
    }

    /// <summary>Whether two histograms hold the same count at every recorded value.</summary>
    internal static bool SameValues(HistogramBase a, HistogramBase b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.TotalCount == b.TotalCount
            && a.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)).SequenceEqual(b.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)));
    }

    [GeneratedRegex(@"^shard-(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardFolderName();
}
