namespace Bench.Core.Configuration;

/// <summary>One problem in a configuration file (a scenario, a simulator profile, a price file): where, and why.</summary>
/// <param name="File">The file as given (or what stands for it: <c>&lt;command line&gt;</c> for flag overrides,
/// <c>profile 'm'</c> for a profile built in code).</param>
/// <param name="Path">JSON path of the offending value, e.g. <c>$.workload[1].rate</c>; <c>$</c> for the document.</param>
/// <param name="Reason">What is wrong and what would be right.</param>
public sealed record ConfigError(string File, string Path, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: {Path}: {Reason}";
}

/// <summary>A configuration that cannot be used. <see cref="Errors"/> lists every problem found, not just the first;
/// the message is <c>file: N errors:</c> followed by one <c>  $.path: reason</c> line per problem (a problem of another
/// file keeps its file name on its line).</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from one or more errors.</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Format(errors)) => Errors = errors;

    /// <summary>Creates the exception with no listed error.</summary>
    public ConfigException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message and no listed error.</summary>
    public ConfigException(string message)
        : base(message) => Errors = [];

    /// <summary>Creates the exception with a message and a cause, and no listed error.</summary>
    public ConfigException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    /// <summary>Every problem found, in the order found (document order within a file).</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Format(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            return "The configuration is not valid.";
        }

        var file = errors[0].File;
        var lines = errors.Select(e => e.File == file ? $"  {e.Path}: {e.Reason}" : $"  {e}");
        return $"{file}: {errors.Count} error{(errors.Count == 1 ? "" : "s")}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}

/// <summary>Collects <see cref="ConfigError"/>s while one or more files are read, then throws them together.</summary>
public sealed class ConfigErrors
{
    private readonly List<ConfigError> _errors = [];

    /// <summary>Creates a collector whose errors name <paramref name="file"/>.</summary>
    public ConfigErrors(string file = "") => File = file;

    /// <summary>The file the next errors belong to.</summary>
    public string File { get; set; }

    /// <summary>Number of errors so far.</summary>
    public int Count => _errors.Count;

    /// <summary>The errors so far.</summary>
    public IReadOnlyList<ConfigError> All => _errors;

    /// <summary>Records a problem of <see cref="File"/> at a JSON path (e.g. <c>$.ttft_ms.p95</c>).</summary>
    public void Add(string path, string reason) => _errors.Add(new ConfigError(File, path, reason));

    /// <summary>Throws a <see cref="ConfigException"/> listing every error, if there is any.</summary>
    /// <exception cref="ConfigException">There is at least one error.</exception>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new ConfigException([.. _errors]);
        }
    }
}
