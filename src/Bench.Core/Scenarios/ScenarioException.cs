namespace Bench.Core.Scenarios;

/// <summary>One problem in a scenario file: where, and why.</summary>
/// <param name="File">The file (as given), or <c>&lt;command line&gt;</c> for flag overrides.</param>
/// <param name="Path">JSON path of the offending value, e.g. <c>$.workload[1].rate</c>.</param>
/// <param name="Reason">What is wrong and what would be right.</param>
public sealed record ScenarioError(string File, string Path, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: {Path}: {Reason}";
}

/// <summary>A scenario that cannot be run. <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class ScenarioException : Exception
{
    /// <summary>Creates the exception from one or more errors.</summary>
    public ScenarioException(IReadOnlyList<ScenarioError> errors)
        : base(Format(errors)) => Errors = errors;

    /// <summary>Creates the exception with a message.</summary>
    public ScenarioException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ScenarioException(string message)
        : base(message) => Errors = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ScenarioException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }

    private static string Format(IReadOnlyList<ScenarioError> errors)
    {
        if (errors.Count == 0)
        {
            return "The scenario is not valid.";
        }

        var file = errors[0].File;
        var lines = errors.Select(e => e.File == file ? $"  {e.Path}: {e.Reason}" : $"  {e}");
        return $"{file}: {errors.Count} error{(errors.Count == 1 ? "" : "s")}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
