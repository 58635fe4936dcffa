using System.Collections.Concurrent;
using Bench.Core.Batches;

namespace Bench.Simulator.Batches;

/// <summary>One file held in memory: its bytes and its <see cref="FileObject"/> fields.</summary>
/// <param name="Id"><c>file-</c> and 24 letters and digits.</param>
/// <param name="Filename">The name given at upload, or the generated output file's.</param>
/// <param name="Purpose"><c>batch</c> (uploaded input) or <c>batch_output</c> (a batch's output or error file).</param>
/// <param name="CreatedAtS">Unix seconds on the batch clock.</param>
/// <param name="Content">The bytes.</param>
internal sealed record StoredFile(string Id, string Filename, string Purpose, long CreatedAtS, byte[] Content)
{
    /// <summary>The wire object (<c>OpenAIFile</c>), status <c>processed</c>.</summary>
    public FileObject ToWire() => new()
    {
        Id = Id,
        Bytes = Content.LongLength,
        CreatedAt = CreatedAtS,
        Filename = Filename,
        Purpose = Purpose,
        Status = "processed",
    };
}

/// <summary>The simulator's files, in memory, and its seeded id generator (ids repeat run to run with the same
/// seed and the same order of calls).</summary>
internal sealed class FileStore
{
    /// <summary>The purpose of an uploaded batch input file.</summary>
    public const string BatchPurpose = "batch";

    /// <summary>The purpose of a batch's output and error files.</summary>
    public const string BatchOutputPurpose = "batch_output";

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly ConcurrentDictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly Random _ids;
    private readonly Lock _idLock = new();

    /// <summary>An empty store whose ids are drawn from <paramref name="seed"/>.</summary>
    public FileStore(int seed) => _ids = new Random(Generation.RequestSeed.Derive(seed, 'i', 0));

    /// <summary>A new id: <paramref name="prefix"/> and <paramref name="length"/> letters and digits.</summary>
    public string NewId(string prefix, int length = 24)
    {
        Span<char> chars = stackalloc char[length];
        lock (_idLock)
        {
            for (var i = 0; i < length; i++)
            {
                chars[i] = Alphabet[_ids.Next(Alphabet.Length)];
            }
        }

        return string.Concat(prefix, chars);
    }

    /// <summary>Stores a new file and returns it.</summary>
    public StoredFile Add(string filename, string purpose, long createdAtS, byte[] content)
    {
        var file = new StoredFile(NewId("file-"), filename, purpose, createdAtS, content);
        _files[file.Id] = file;
        return file;
    }

    /// <summary>The file with <paramref name="id"/>, or <see langword="null"/>.</summary>
    public StoredFile? Find(string id) => _files.TryGetValue(id, out var file) ? file : null;

    /// <summary>Removes a file; false when there was none.</summary>
    public bool Delete(string id) => _files.TryRemove(id, out _);

    /// <summary>Every file, newest first (then by id).</summary>
    public IReadOnlyList<StoredFile> All() =>
        [.. _files.Values.OrderByDescending(f => f.CreatedAtS).ThenBy(f => f.Id, StringComparer.Ordinal)];
}
