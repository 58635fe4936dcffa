using System.Text.Json;
using Bench.Core.Configuration;

namespace Bench.Simulator.Profiles;

/// <summary>
/// Time to first token of a profile, in milliseconds from the request's arrival: a log-normal fitted to a mean and a
/// p95 (<c>"ttft_ms": { "mean": 487, "p95": 890 }</c>, see <see cref="LogNormal.FitMeanAndP95"/>), or a fixed delay
/// (<c>"ttft_ms": { "fixed": 100 }</c>) for accuracy tests.
/// </summary>
/// <param name="MeanMs">Mean TTFT in ms; the exact delay when <paramref name="P95Ms"/> is <see langword="null"/>.</param>
/// <param name="P95Ms">95th percentile in ms, or <see langword="null"/> for a fixed delay.</param>
[ConfigReader(typeof(TtftReader))]
public sealed record TtftDistribution(double MeanMs, double? P95Ms) : IConfigValidatable
{
    /// <summary>A fixed delay of <paramref name="ms"/> milliseconds.</summary>
    public static TtftDistribution Fixed(double ms) => new(ms, null);

    /// <summary>Whether every request waits exactly <see cref="MeanMs"/>.</summary>
    public bool IsFixed => P95Ms is null;

    /// <summary>A fixed delay is finite and ≥ 0; a fit's mean is finite and &gt; 0 and its p95 fits
    /// (<see cref="LogNormal.CheckMeanAndP95"/>).</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (IsFixed)
        {
            if (!(MeanMs >= 0) || !double.IsFinite(MeanMs))
            {
                validation.Error(TtftReader.Name(nameof(TtftReader.Fields.Fixed)), "must be a finite number of milliseconds ≥ 0");
            }
        }
        else if (!(MeanMs > 0) || !double.IsFinite(MeanMs))
        {
            validation.Error(TtftReader.Name(nameof(TtftReader.Fields.Mean)), "must be a finite number of milliseconds > 0");
        }
        else if (LogNormal.CheckMeanAndP95(MeanMs, P95Ms!.Value) is { } reason)
        {
            validation.Error(TtftReader.Name(nameof(TtftReader.Fields.P95)), reason);
        }
    }
}

/// <summary>Reads <c>ttft_ms</c>: <c>{ "fixed": ms }</c>, or <c>{ "mean": ms, "p95": ms }</c>.</summary>
internal sealed class TtftReader : ConfigValueReader
{
    /// <inheritdoc />
    public override ConfigShape Shape => ConfigReader.ShapeOf(typeof(Fields));

    /// <summary>The JSON name of a field of <see cref="Fields"/>.</summary>
    public static string Name(string property) => ConfigReader.JsonName(typeof(Fields), property);

    /// <inheritdoc />
    public override object? Read(JsonElement value, ConfigReadContext context)
    {
        var before = context.Errors.Count;
        if (context.Read<Fields>(value, out var given) is not { } fields || context.Errors.Count > before)
        {
            return null;
        }

        string @fixed = Name(nameof(Fields.Fixed)), mean = Name(nameof(Fields.Mean)), p95 = Name(nameof(Fields.P95));
        var hasFixed = given.Contains(@fixed);
        if (hasFixed == (given.Contains(mean) || given.Contains(p95)))
        {
            context.Error($"must have either \"{@fixed}\", or \"{mean}\" and \"{p95}\"");
            return null;
        }

        if (hasFixed)
        {
            return TtftDistribution.Fixed(fields.Fixed);
        }

        var missing = new[] { mean, p95 }.Where(n => !given.Contains(n)).ToList();
        missing.ForEach(name => context.Error("." + name, "is required"));
        return missing.Count == 0 ? new TtftDistribution(fields.Mean, fields.P95) : null;
    }

    /// <summary>The fields of <c>ttft_ms</c>, in milliseconds.</summary>
    internal sealed class Fields
    {
        /// <summary>A fixed delay.</summary>
        public double Fixed { get; set; }

        /// <summary>The mean of a log-normal fit.</summary>
        public double Mean { get; set; }

        /// <summary>The 95th percentile of a log-normal fit.</summary>
        public double P95 { get; set; }
    }
}
