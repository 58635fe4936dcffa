using Bench.Core.Faults;

namespace Bench.Core.Results;

/// <summary>
/// Reads <c>injections.jsonl</c> (<see cref="InjectionsWriter"/>) one line at a time. Like
/// <see cref="RecordsReader"/> it never throws on content: a line that is not an injection (the last one cut off when
/// a run was killed, a corrupt or hand-edited line, an unknown fault kind, a negative attempt, a time that is not
/// finite) is skipped and counted with its number and reason.
/// </summary>
public static class InjectionsReader
{
    /// <summary>A line longer than this (64 Ki characters) is not an injection (one is a few hundred bytes).</summary>
    public const int MaxLineChars = 64 * 1024;

    /// <summary>Streams the injections of <paramref name="path"/>, calling <paramref name="onInjection"/> for each;
    /// returns how many were read and which lines were skipped (in <see cref="RecordsReadResult"/>'s shape:
    /// <see cref="RecordsReadResult.Records"/> counts injections).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static RecordsReadResult Read(string path, Action<InjectionRecord> onInjection) =>
        JsonLinesReader.Read(path, ResultsJson.Default.InjectionRecord, "an injection", Check, onInjection, MaxLineChars);

    /// <summary>Reads every injection into a list (for small files and tests).</summary>
    public static List<InjectionRecord> ReadAll(string path)
    {
        var list = new List<InjectionRecord>();
        Read(path, list.Add);
        return list;
    }

    /// <summary>Parses one line, or says why it is not an injection.</summary>
    public static bool TryParse(string line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InjectionRecord? injection, out string reason) =>
        JsonLinesReader.TryParse(line, ResultsJson.Default.InjectionRecord, "an injection", Check, out injection, out reason);

    private static (InjectionRecord? Item, string? Reason) Check(InjectionRecord injection)
    {
        if (!Enum.IsDefined(injection.Kind) || injection.Attempt < 0 || !double.IsFinite(injection.AtMs))
        {
            return (null, "unknown kind, a negative attempt or a time that is not finite");
        }

        // An absent attempt reads as 0 (the serializer does not keep the initializer of an init-only property): the
        // record's own rule is 1 when absent.
        return injection.Attempt == 0 || injection.Model is null
            ? (injection with { Attempt = Math.Max(1, injection.Attempt), Model = injection.Model ?? "" }, null)
            : (injection, null);
    }
}
