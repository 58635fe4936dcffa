using System.Text.Json;

namespace Bench.Core.Results;

/// <summary>The layout of a results folder (ARCHITECTURE.md, "Results on disk").</summary>
public static class ResultsDirectory
{
    /// <summary>Run metadata.</summary>
    public const string RunFile = "run.json";

    /// <summary>One JSON line per request.</summary>
    public const string RecordsFile = "records.jsonl";

    /// <summary>What the embedded simulator injected, one <see cref="Faults.InjectionRecord"/> per line (a run on the
    /// simulator only; see <see cref="InjectionsWriter"/>).</summary>
    public const string InjectionsFile = "injections.jsonl";

    /// <summary>One line per batch job of the run's batch-api cells (<see cref="Batches.BatchRecord"/>), written when
    /// the batch ends or is given up.</summary>
    public const string BatchesFile = "batches.jsonl";

    /// <summary>Where <see cref="BatchesFile"/> is written before it replaces the old one
    /// (<see cref="Results.BatchesFile.Replace"/>).</summary>
    public const string BatchesFileTemporary = BatchesFile + ".tmp";

    /// <summary>The client machine's own load during the run, one row per sample (<see cref="ClientSaturation"/>).</summary>
    public const string ClientFile = "client.csv";

    /// <summary>Default parent folder of runs.</summary>
    public const string DefaultRoot = "results";

    /// <summary>
    /// Creates the folder for a run: <paramref name="requested"/> when given, else <c>results/&lt;runId&gt;</c>
    /// (with <c>-2</c>, <c>-3</c>… appended when two runs start in the same second). Returns its full path.
    /// </summary>
    public static string Create(string? requested, string runId)
    {
        var path = Path.GetFullPath(requested ?? Path.Combine(DefaultRoot, runId));
        if (requested is null)
        {
            var candidate = path;
            for (var n = 2; Directory.Exists(candidate); n++)
            {
                candidate = $"{path}-{n}";
            }

            path = candidate;
        }

        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The temporary file <see cref="WriteRunInfo"/> writes before it replaces <c>run.json</c>.</summary>
    public const string RunFileTemporary = RunFile + ".tmp";

    /// <summary>Writes <c>run.json</c> (indented), replacing the old one in one rename: a process killed while writing
    /// it (run.json is rewritten as each batch id becomes known) leaves the previous complete file, never half of one.</summary>
    public static void WriteRunInfo(string directory, RunInfo run)
    {
        var temporary = Path.Combine(directory, RunFileTemporary);
        File.WriteAllText(temporary, JsonSerializer.Serialize(run, ResultsJson.Indented.GetTypeInfo(typeof(RunInfo))));
        File.Move(temporary, Path.Combine(directory, RunFile), overwrite: true);
    }

    /// <summary>Reads <c>run.json</c>, or null when it is missing or unreadable.</summary>
    public static RunInfo? ReadRunInfo(string directory)
    {
        var path = Path.Combine(directory, RunFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ResultsJson.Default.RunInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
