using Bench.Core.Configuration;

namespace Bench.Simulator.Profiles;

/// <summary>
/// Reads model profiles (<c>scenarios/profiles/&lt;model&gt;.json</c>) with <see cref="ConfigReader"/>: comments and
/// trailing commas allowed, the fields those of <see cref="ModelProfile"/> (<c>scenarios/profile.schema.json</c>).
/// Every problem in every file is collected and thrown as one <see cref="ConfigException"/> naming the file, the
/// JSON path and the reason. A replay profile's recordings (<c>replay.folder</c>, relative to the profile file) are
/// read and parsed here, once.
/// </summary>
public static class ProfileLoader
{
    /// <summary>The JSON path of a profile's model id (<c>$.model</c>), where a duplicate is reported.</summary>
    internal static string ModelPath { get; } = $"$.{ConfigReader.JsonName(typeof(ModelProfile), nameof(ModelProfile.Model))}";

    /// <summary>Loads every <c>*.json</c> file of <paramref name="path"/> (not recursive), in ordinal file-name
    /// order.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="ConfigException">A file is invalid, two files define the same model, or there is no
    /// file (all listed).</exception>
    public static IReadOnlyList<ModelProfile> LoadDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"Profile directory not found: {path}");
        }

        var files = Directory.GetFiles(path, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        var errors = new ConfigErrors(path);
        if (files.Length == 0)
        {
            errors.Add("$", "no profile files (*.json) in the directory");
        }

        var profiles = new List<ModelProfile>(files.Length);
        var fileByModel = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            errors.File = file;
            if (ConfigReader.TryLoad<ModelProfile>(file, errors) is not { } profile)
            {
                continue;
            }

            if (fileByModel.TryAdd(profile.Model, file))
            {
                profiles.Add(profile);
            }
            else
            {
                errors.Add(ModelPath, $"model '{profile.Model}' is already defined by {fileByModel[profile.Model]}");
            }
        }

        errors.ThrowIfAny();
        return profiles;
    }

    /// <summary>Loads one profile file.</summary>
    /// <exception cref="ConfigException">The file cannot be read or is invalid (all problems listed).</exception>
    public static ModelProfile Load(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return ConfigReader.Load<ModelProfile>(file);
    }
}
