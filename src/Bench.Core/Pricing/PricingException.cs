namespace Bench.Core.Pricing;

/// <summary>
/// Something could not be priced: an unknown model, a Batch API price the catalogue lacks, an invalid FX rate or mix.
/// (A price file that cannot be read is a <see cref="Configuration.ConfigException"/>.)
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
