namespace Bench.Core.Pricing;

/// <summary>
/// Something could not be priced: an unknown model, a Batch API price the catalogue lacks, an invalid price file.
/// Carries every problem found, not just the first; <see cref="Exception.Message"/> lists them one per line.
/// </summary>
public class PricingException : Exception
{
    /// <summary>Creates the exception from one or more problems, each a complete sentence.</summary>
    public PricingException(IEnumerable<string> errors)
        : this([.. errors])
    {
    }

    /// <summary>Creates the exception from one problem.</summary>
    public PricingException(string error)
        : this([error])
    {
    }

    private PricingException(string[] errors)
        : base(errors.Length == 1 ? errors[0] : string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem, each a complete sentence.</summary>
    public IReadOnlyList<string> Errors { get; }
}

/// <summary>A model the price catalogue does not know. Bench never prices an unknown model at zero.</summary>
public sealed class UnknownModelException : PricingException
{
    /// <summary>Creates the exception; <paramref name="message"/> should list the known models.</summary>
    public UnknownModelException(string model, string message)
        : base(message)
    {
        Model = model;
    }

    /// <summary>The model name as requested.</summary>
    public string Model { get; }
}

/// <summary>Batch API prices were asked for a model whose catalogue entry has none.</summary>
public sealed class MissingBatchPriceException : PricingException
{
    /// <summary>Creates the exception for <paramref name="price"/>'s model.</summary>
    public MissingBatchPriceException(ModelPrice price)
        : base($"Model '{price.Model}' has no Batch API price in the catalogue (source: {price.Source}). "
            + "Give batch_input and batch_output in a price file, or price it at standard prices explicitly.")
    {
        Model = price.Model;
    }

    /// <summary>The catalogue's model id.</summary>
    public string Model { get; }
}

/// <summary>One problem in a price file: which file, where in it (a JSON path such as <c>$.models[2].input</c>), and why.</summary>
/// <param name="File">The file's path as given.</param>
/// <param name="JsonPath">JSONPath of the offending value (<c>$</c> for the document).</param>
/// <param name="Reason">What is wrong, e.g. "must be a number ≥ 0".</param>
public sealed record PriceFileError(string File, string JsonPath, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: {JsonPath}: {Reason}";
}

/// <summary>A price file that cannot be used. Lists every problem found in one pass.</summary>
public sealed class PriceFileException : PricingException
{
    /// <summary>Creates the exception from one or more problems.</summary>
    public PriceFileException(IReadOnlyList<PriceFileError> problems)
        : base(problems.Select(p => p.ToString()))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, in document order.</summary>
    public IReadOnlyList<PriceFileError> Problems { get; }
}
