using System.Text.Json;
using Bench.Simulator.Replay;

namespace Bench.Simulator.Profiles;

/// <summary>
/// Reads model profiles from JSON files (<c>scenarios/profiles/&lt;model&gt;.json</c>; comments and trailing commas
/// allowed; property names in snake_case, see <see cref="ModelProfile"/>). Every problem in every file is collected and
/// thrown as one <see cref="ProfileException"/> naming the file, the JSON path and the reason. A replay profile's
/// recordings (<c>replay.folder</c>, relative to the profile file) are read and parsed here, once.
/// </summary>
public static class ProfileLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads every <c>*.json</c> file of <paramref name="path"/> (not recursive), in ordinal file-name
    /// order.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="ProfileException">A file is invalid, two files define the same model, or there is no
    /// file.</exception>
    public static IReadOnlyList<ModelProfile> LoadDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"Profile directory not found: {path}");
        }

        var files = Directory.GetFiles(path, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        var errors = new ProfileErrors();
        if (files.Length == 0)
        {
            errors.Origin = path;
            errors.Add("$", "no profile files (*.json) in the directory");
        }

        var profiles = new List<ModelProfile>(files.Length);
        var fileByModel = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            errors.Origin = file;
            if (Read(file, errors) is not { } profile)
            {
                continue;
            }

            if (fileByModel.TryAdd(profile.Model, file))
            {
                profiles.Add(profile);
            }
            else
            {
                errors.Add("$.model", $"model '{profile.Model}' is already defined by {fileByModel[profile.Model]}");
            }
        }

        errors.ThrowIfAny();
        return profiles;
    }

    /// <summary>Loads one profile file.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ProfileException">The file is invalid.</exception>
    public static ModelProfile Load(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var errors = new ProfileErrors { Origin = file };
        var profile = Read(file, errors);
        errors.ThrowIfAny();
        return profile!;
    }

    private static ModelProfile? Read(string file, ProfileErrors errors)
    {
        var before = errors.Count;
        using var stream = File.OpenRead(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, DocumentOptions);
        }
        catch (JsonException e)
        {
            errors.Add("$", $"invalid JSON: {e.Message}");
            return null;
        }

        using (document)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
            var profile = Read(document.RootElement, directory, errors);
            return errors.Count == before ? profile : null;
        }
    }

    /// <param name="root">The file's JSON.</param>
    /// <param name="directory">The file's folder, which a replay folder is relative to.</param>
    /// <param name="errors">Where problems go.</param>
    private static ModelProfile? Read(JsonElement root, string directory, ProfileErrors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "must be an object");
            return null;
        }

        string? model = null;
        string? ownedBy = null;
        string? source = null;
        TtftDistribution? ttft = null;
        double? decodeRate = null;
        OutputLength? outputTokens = null;
        int? tokensPerChunk = null;
        double? jitter = null;
        FaultRates? faults = null;
        CapacityLimit? capacity = null;
        ReplaySet? replay = null;
        foreach (var property in root.EnumerateObject())
        {
            var path = "$." + property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "model":
                    model = ReadString(value, path, errors);
                    if (model is not null)
                    {
                        ProfileValidator.CheckModel(model, errors);
                    }

                    break;
                case "owned_by":
                    ownedBy = ReadString(value, path, errors);
                    break;
                case "source":
                    source = ReadString(value, path, errors);
                    break;
                case "ttft_ms":
                    ttft = ReadTtft(value, path, errors);
                    if (ttft is not null)
                    {
                        ProfileValidator.CheckTimeToFirstToken(ttft, errors);
                    }

                    break;
                case "decode_tokens_per_s":
                    decodeRate = ReadNumber(value, path, errors);
                    if (decodeRate is { } rate)
                    {
                        ProfileValidator.CheckDecodeRate(rate, errors);
                    }

                    break;
                case "output_tokens":
                    outputTokens = ReadOutputTokens(value, path, errors);
                    if (outputTokens is { } length)
                    {
                        ProfileValidator.CheckOutputTokens(length, errors);
                    }

                    break;
                case "tokens_per_chunk":
                    tokensPerChunk = ReadInteger(value, path, errors);
                    if (tokensPerChunk is { } perChunk)
                    {
                        ProfileValidator.CheckTokensPerChunk(perChunk, errors);
                    }

                    break;
                case "decode_jitter_cv":
                    jitter = ReadNumber(value, path, errors);
                    if (jitter is { } cv)
                    {
                        ProfileValidator.CheckDecodeJitter(cv, errors);
                    }

                    break;
                case "faults":
                    faults = ReadFaults(value, path, errors);
                    if (faults is not null)
                    {
                        ProfileValidator.CheckFaults(faults, errors);
                    }

                    break;
                case "capacity":
                    capacity = ReadCapacity(value, path, errors);
                    if (capacity is not null)
                    {
                        ProfileValidator.CheckCapacity(capacity, errors);
                    }

                    break;
                case "replay":
                    replay = ReadReplay(value, path, directory, errors);
                    break;
                default:
                    errors.Add(path, "unknown property");
                    break;
            }
        }

        RequirePresent(root, "model", errors);
        RequirePresent(root, "ttft_ms", errors);
        RequirePresent(root, "decode_tokens_per_s", errors);
        var isReplay = root.TryGetProperty("replay", out _);
        if (!isReplay)
        {
            RequirePresent(root, "output_tokens", errors);
        }
        else
        {
            // A replay's answers are the recordings: these would silently do nothing.
            ForbidWithReplay(root, "output_tokens", "the answer length is the recording's", errors);
            ForbidWithReplay(root, "tokens_per_chunk", "the events are the recording's", errors);
        }

        // Any problem (a replay folder's included) has been reported: the caller drops the profile.
        if (model is null || ttft is null || decodeRate is null || (outputTokens is null && !isReplay))
        {
            return null;
        }

        return new ModelProfile
        {
            Model = model,
            OwnedBy = ownedBy ?? "bench-simulator",
            TimeToFirstToken = ttft,
            DecodeTokensPerSecond = decodeRate.Value,
            OutputTokens = outputTokens ?? default,
            TokensPerChunk = tokensPerChunk ?? 1,
            DecodeJitterCv = jitter ?? 0,
            Faults = faults ?? FaultRates.None,
            Capacity = capacity,
            Replay = replay,
            Source = source,
        };
    }

    private static TtftDistribution? ReadTtft(JsonElement value, string path, ProfileErrors errors)
    {
        if (!ExpectObject(value, path, errors))
        {
            return null;
        }

        double? fixedMs = null, mean = null, p95 = null;
        foreach (var property in value.EnumerateObject())
        {
            var propertyPath = path + "." + property.Name;
            switch (property.Name)
            {
                case "fixed":
                    fixedMs = ReadNumber(property.Value, propertyPath, errors);
                    break;
                case "mean":
                    mean = ReadNumber(property.Value, propertyPath, errors);
                    break;
                case "p95":
                    p95 = ReadNumber(property.Value, propertyPath, errors);
                    break;
                default:
                    errors.Add(propertyPath, "unknown property (expected \"fixed\", or \"mean\" and \"p95\")");
                    break;
            }
        }

        var hasFixed = value.TryGetProperty("fixed", out _);
        var hasFit = value.TryGetProperty("mean", out _) || value.TryGetProperty("p95", out _);
        if (hasFixed == hasFit)
        {
            errors.Add(path, "must have either \"fixed\", or \"mean\" and \"p95\"");
            return null;
        }

        if (hasFixed)
        {
            return fixedMs is { } ms ? TtftDistribution.Fixed(ms) : null;
        }

        RequirePresent(value, "mean", errors, path);
        RequirePresent(value, "p95", errors, path);
        return mean is { } m && p95 is { } p ? new TtftDistribution(m, p) : null;
    }

    private static OutputLength? ReadOutputTokens(JsonElement value, string path, ProfileErrors errors)
    {
        if (!ExpectObject(value, path, errors))
        {
            return null;
        }

        double? mean = null, sd = null;
        foreach (var property in value.EnumerateObject())
        {
            var propertyPath = path + "." + property.Name;
            switch (property.Name)
            {
                case "mean":
                    mean = ReadNumber(property.Value, propertyPath, errors);
                    break;
                case "sd":
                    sd = ReadNumber(property.Value, propertyPath, errors);
                    break;
                default:
                    errors.Add(propertyPath, "unknown property (expected \"mean\" and \"sd\")");
                    break;
            }
        }

        RequirePresent(value, "mean", errors, path);
        RequirePresent(value, "sd", errors, path);
        return mean is { } m && sd is { } s ? new OutputLength(m, s) : null;
    }

    private static FaultRates? ReadFaults(JsonElement value, string path, ProfileErrors errors)
    {
        if (!ExpectObject(value, path, errors))
        {
            return null;
        }

        var before = errors.Count;
        double rateLimited = 0, serverError = 0, streamInterrupted = 0;
        foreach (var property in value.EnumerateObject())
        {
            var propertyPath = path + "." + property.Name;
            switch (property.Name)
            {
                case "rate_limited":
                    rateLimited = ReadNumber(property.Value, propertyPath, errors) ?? 0;
                    break;
                case "server_error":
                    serverError = ReadNumber(property.Value, propertyPath, errors) ?? 0;
                    break;
                case "stream_interrupted":
                    streamInterrupted = ReadNumber(property.Value, propertyPath, errors) ?? 0;
                    break;
                default:
                    errors.Add(
                        propertyPath,
                        "unknown property (expected \"rate_limited\", \"server_error\" or \"stream_interrupted\")");
                    break;
            }
        }

        return errors.Count == before ? new FaultRates(rateLimited, serverError, streamInterrupted) : null;
    }

    private static CapacityLimit? ReadCapacity(JsonElement value, string path, ProfileErrors errors)
    {
        if (!ExpectObject(value, path, errors))
        {
            return null;
        }

        int? maxConcurrent = null;
        foreach (var property in value.EnumerateObject())
        {
            var propertyPath = path + "." + property.Name;
            if (property.Name == "max_concurrent")
            {
                maxConcurrent = ReadInteger(property.Value, propertyPath, errors);
            }
            else
            {
                errors.Add(propertyPath, "unknown property (expected \"max_concurrent\")");
            }
        }

        RequirePresent(value, "max_concurrent", errors, path);
        return maxConcurrent is { } slots ? new CapacityLimit(slots) : null;
    }

    /// <summary>Reads <c>replay</c> and loads its recordings (the folder relative to <paramref name="directory"/>);
    /// <see langword="null"/> after reporting a problem.</summary>
    private static ReplaySet? ReadReplay(JsonElement value, string path, string directory, ProfileErrors errors)
    {
        if (!ExpectObject(value, path, errors))
        {
            return null;
        }

        var before = errors.Count;
        string? folder = null;
        var pick = ReplayPick.RoundRobin;
        foreach (var property in value.EnumerateObject())
        {
            var propertyPath = path + "." + property.Name;
            switch (property.Name)
            {
                case "folder":
                    folder = ReadString(property.Value, propertyPath, errors);
                    if (folder is { Length: 0 })
                    {
                        errors.Add(propertyPath, "must be a folder path (relative to the profile file)");
                    }

                    break;
                case "pick":
                    switch (ReadString(property.Value, propertyPath, errors))
                    {
                        case "round_robin":
                            pick = ReplayPick.RoundRobin;
                            break;
                        case "random":
                            pick = ReplayPick.Random;
                            break;
                        case { } other:
                            errors.Add(propertyPath, $"unknown pick \"{other}\" (expected \"round_robin\" or \"random\")");
                            break;
                    }

                    break;
                default:
                    errors.Add(propertyPath, "unknown property (expected \"folder\" or \"pick\")");
                    break;
            }
        }

        RequirePresent(value, "folder", errors, path);
        if (errors.Count > before || folder is null)
        {
            return null;
        }

        return ReplaySet.TryLoad(Path.GetFullPath(Path.Combine(directory, folder)), pick, path + ".folder", errors);
    }

    private static void ForbidWithReplay(JsonElement root, string name, string reason, ProfileErrors errors)
    {
        if (root.TryGetProperty(name, out _))
        {
            errors.Add("$." + name, $"not used by a replay profile ({reason}): remove it");
        }
    }

    private static bool ExpectObject(JsonElement value, string path, ProfileErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors.Add(path, $"expected an object, found {Describe(value)}");
        return false;
    }

    private static string? ReadString(JsonElement value, string path, ProfileErrors errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add(path, $"expected a string, found {Describe(value)}");
        return null;
    }

    private static double? ReadNumber(JsonElement value, string path, ProfileErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        errors.Add(path, $"expected a number, found {Describe(value)}");
        return null;
    }

    private static int? ReadInteger(JsonElement value, string path, ProfileErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var integer))
        {
            return integer;
        }

        errors.Add(path, $"expected an integer, found {Describe(value)}");
        return null;
    }

    private static void RequirePresent(JsonElement obj, string name, ProfileErrors errors, string parentPath = "$")
    {
        if (!obj.TryGetProperty(name, out _))
        {
            errors.Add(parentPath + "." + name, "is required");
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };
}
