using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Bench.Core.Configuration;

namespace Bench.Simulator.Replay;

/// <summary>
/// The recorded streams a replay profile serves instead of generated text (JSON
/// <c>"replay": { "folder": "../replay/openai-chat", "pick": "round_robin" }</c>, the folder relative to the profile
/// file): every <c>*.sse</c> file of the folder (not recursive), in ordinal file-name order, each read and parsed once
/// here and kept as bytes.
/// </summary>
/// <remarks>
/// A streaming request gets one recording, chosen by <see cref="Pick"/>, with the bytes as recorded (no JSON is
/// rewritten: role prelude or none, usage on the finish chunk or its own, error events, a missing <c>[DONE]</c> are
/// all kept) and re-timed by the profile: everything before the first token-bearing event at once, that event at TTFT,
/// each later one its tokens ÷ <c>decode_tokens_per_s</c> after the previous one (the recording's own completion tokens
/// shared out over its events, see <see cref="RecordedStream"/>), and the events after a token-bearing event right
/// after it. Without <c>stream_options.include_usage</c> the usage-only chunk (<c>"choices": []</c>) is left out, as
/// OpenAI leaves it out. A non-streaming request gets the answer assembled from the recording when its last token
/// would have been streamed (see <c>RecordedCompletion</c>). The request's <c>max_tokens</c> is ignored: the
/// recording decides the answer and its length.
/// </remarks>
[ConfigReader(typeof(ReplayReader))]
public sealed class ReplaySet
{
    private readonly RecordedStream[] _streams;

    private ReplaySet(string folder, ReplayPick pick, RecordedStream[] streams)
    {
        Folder = folder;
        Pick = pick;
        _streams = streams;
        Files = [.. streams.Select(s => Path.GetFileName(s.File))];
    }

    /// <summary>Full path of the folder read.</summary>
    public string Folder { get; }

    /// <summary>How a request's recording is chosen.</summary>
    public ReplayPick Pick { get; }

    /// <summary>The recordings' file names, in the order <see cref="ReplayPick.RoundRobin"/> serves them.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The parsed recordings, in <see cref="Files"/> order.</summary>
    internal IReadOnlyList<RecordedStream> Streams => _streams;

    /// <summary>Reads and parses every <c>*.sse</c> file of <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder (relative to the current directory, or absolute).</param>
    /// <param name="pick">How requests choose a recording.</param>
    /// <exception cref="ConfigException">The folder does not exist, holds no <c>.sse</c> file, or a file is empty or
    /// unreadable (each error names the folder as its file, at <c>$</c>).</exception>
    public static ReplaySet Load(string folder, ReplayPick pick = ReplayPick.RoundRobin)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var errors = new ConfigErrors(folder);
        var set = TryLoad(Path.GetFullPath(folder), pick, "$", errors);
        errors.ThrowIfAny();
        return set!;
    }

    /// <summary>Reads the recordings, reporting problems at <paramref name="path"/> (the JSON path of the folder
    /// field); <see langword="null"/> when there were any.</summary>
    internal static ReplaySet? TryLoad(string folder, ReplayPick pick, string path, ConfigErrors errors)
    {
        if (!Directory.Exists(folder))
        {
            errors.Add(path, $"folder not found: {folder}");
            return null;
        }

        var files = Directory.GetFiles(folder, "*.sse");
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0)
        {
            errors.Add(path, $"no recorded streams (*.sse) in {folder}");
            return null;
        }

        var before = errors.Count;
        var streams = new List<RecordedStream>(files.Length);
        foreach (var file in files)
        {
            byte[] body;
            try
            {
                body = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(path, $"cannot read {file}: {e.Message}");
                continue;
            }

            if (body.Length == 0)
            {
                errors.Add(path, $"{file} is empty: a recording needs at least one event");
                continue;
            }

            streams.Add(RecordedStream.Parse(file, body));
        }

        return errors.Count == before ? new ReplaySet(folder, pick, [.. streams]) : null;
    }

    /// <summary>The recording for a request.</summary>
    /// <param name="requestSeed">The request's <c>seed</c>, if any.</param>
    /// <param name="turns">The model's round-robin counter (per simulator), advanced only when used.</param>
    /// <param name="random">The request's random source (drawn from only for <see cref="ReplayPick.Random"/>).</param>
    internal RecordedStream Choose(long? requestSeed, ref long turns, Random random)
    {
        var count = _streams.Length;
        if (Pick == ReplayPick.Random)
        {
            return _streams[random.Next(count)];
        }

        var turn = requestSeed ?? Interlocked.Increment(ref turns) - 1;
        return _streams[(int)(((turn % count) + count) % count)];
    }
}

/// <summary>Reads a profile's <c>replay</c> field (<see cref="ReplaySource"/>) and loads the recordings, the folder
/// relative to the profile file.</summary>
internal sealed class ReplayReader : ConfigValueReader
{
    /// <inheritdoc />
    public override ConfigShape Shape => ConfigReader.ShapeOf(typeof(ReplaySource));

    /// <inheritdoc />
    public override object? Read(JsonElement value, ConfigReadContext context)
    {
        var before = context.Errors.Count;
        if (context.Read<ReplaySource>(value) is not { } source || context.Errors.Count > before)
        {
            return null;
        }

        var folder = Path.GetFullPath(Path.Combine(context.Directory ?? ".", source.Folder));
        return ReplaySet.TryLoad(folder, source.Pick, context.PathOf<ReplaySource>(nameof(ReplaySource.Folder)), context.Errors);
    }
}

/// <summary>A profile's <c>replay</c> field as a file gives it: <c>{ "folder": "../replay/openai-chat", "pick":
/// "round_robin" }</c>.</summary>
internal sealed class ReplaySource
{
    /// <summary>The folder of <c>*.sse</c> recordings, relative to the profile file.</summary>
    [Required(ErrorMessage = "must be a folder path (relative to the profile file)")]
    public string Folder { get; set; } = "";

    /// <summary>How a request's recording is chosen (default round robin).</summary>
    public ReplayPick Pick { get; set; } = ReplayPick.RoundRobin;
}
