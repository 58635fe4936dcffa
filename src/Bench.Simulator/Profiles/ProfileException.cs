namespace Bench.Simulator.Profiles;

/// <summary>
/// One or more model profiles are invalid. <see cref="Errors"/> lists every problem found, each as
/// <c>&lt;file or model&gt;: &lt;JSON path&gt;: &lt;reason&gt;</c>, e.g.
/// <c>scenarios/profiles/gpt-4.1.json: $.ttft_ms.p95: the p95 must be greater than the mean for a log-normal fit</c>.
/// </summary>
public sealed class ProfileException : Exception
{
    /// <summary>Creates the exception from the list of problems (at least one).</summary>
    public ProfileException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors)) => Errors = errors;

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1
            ? $"Invalid model profile: {errors[0]}"
            : $"Invalid model profiles ({errors.Count} errors):{Environment.NewLine}  "
              + string.Join(Environment.NewLine + "  ", errors);
    }
}
