using System.Globalization;
using System.Text;
using Bench.Core.Configuration;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Report.Comparison;
using Bench.Report.Comparison.Exporters;

namespace Bench.Harness.Comparing;

/// <summary><c>bench compare BASELINE CURRENT</c>: judges a results folder (or a folder of BenchmarkDotNet reports)
/// against a baseline and writes the console table and the requested files.</summary>
public static class CompareHarness
{
    /// <summary>Compares <paramref name="current"/> with <paramref name="baseline"/>.</summary>
    /// <returns><see cref="ExitCodes.Success"/> without a regression on a fail-on metric,
    /// <see cref="ExitCodes.MeasuredFailure"/> with one, <see cref="ExitCodes.BadInput"/> (every problem on
    /// <paramref name="error"/>, nothing compared) for a bad flag, a missing or unreadable folder, sides of different
    /// kinds, or no cell in common.</returns>
    public static int Compare(string baseline, string current, CompareRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var errors = new List<string>();
        var settings = Settings(request, errors);
        PriceCatalog? prices = null;
        try
        {
            prices = Reporting.ReportPrices.Catalog(new ReportSettings { PricesFile = request.PricesFile });
        }
        catch (Exception e) when (e is ConfigException or PricingException)
        {
            errors.Add(e.Message);
        }

        var sides = prices is null ? [] : new[] { baseline, current }.Select(p => ComparisonSide.Load(p, prices, errors)).ToList();
        if (sides is [{ } b, { } c])
        {
            if (b.Kind != c.Kind)
            {
                errors.Add($"{b.Path} is {Describe(b.Kind)} but {c.Path} is {Describe(c.Kind)}: compare like with like.");
            }
            else if (b.Kind == SideKind.Run && Comparer.MatchKey(b, c) is var key && !b.Cells.Any(x => c.Cells.Any(y => key(y) == key(x)))
                || b.Kind == SideKind.Micro && !b.Cases.Any(x => c.Cases.Any(y => y.FullName == x.FullName)))
            {
                errors.Add($"{b.Path} and {c.Path} have no {(b.Kind == SideKind.Run ? "cell (target · model · mode · policy)" : "benchmark")} in common: nothing to compare.");
            }
        }

        if (errors.Count > 0 || settings is null || sides is not [{ } baseSide, { } currentSide])
        {
            foreach (var e in errors)
            {
                error.WriteLine(e);
            }

            return ExitCodes.BadInput;
        }

        var comparison = Comparer.Compare(baseSide, currentSide, settings);
        if (request.Markdown is { } md)
        {
            ComparisonMarkdown.Write(comparison, md);
        }

        if (request.Junit is { } junit)
        {
            ComparisonJunit.Write(comparison, junit);
        }

        if (request.Json == "-")
        {
            using var stream = new MemoryStream();
            ComparisonJson.Write(comparison, stream);
            output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        }
        else
        {
            if (request.Json is { } json)
            {
                using var file = File.Create(json);
                ComparisonJson.Write(comparison, file);
            }

            ComparisonConsole.Print(comparison, output, request.All);
        }

        return comparison.Regressions > 0 ? ExitCodes.MeasuredFailure : ExitCodes.Success;
    }

    private static string Describe(SideKind kind) => kind == SideKind.Run ? "a results folder" : "a folder of BenchmarkDotNet reports";

    /// <summary>Parses the flags; every problem is added to <paramref name="errors"/>.</summary>
    private static ComparisonSettings? Settings(CompareRequest request, List<string> errors)
    {
        var count = errors.Count;
        CompareThreshold? Parse(string flag, string? text)
        {
            if (text is null)
            {
                return null;
            }

            if (!CompareThreshold.TryParse(text, out var t, out var reason))
            {
                errors.Add($"<command line>: {flag}: {reason}.");
            }

            return t;
        }

        var threshold = Parse("--threshold", request.Threshold);
        var noise = Parse("--noise", request.Noise);
        var rate = Parse("--rate-threshold", request.RateThreshold);
        double margin = 0.01;
        if (rate is not null)
        {
            // 1pp and 1% both mean one percentage point of a rate; a bare number is a difference of proportions (0.01).
            margin = rate.Relative || rate.Unit == "" ? rate.Value : double.NaN;
            if (double.IsNaN(margin) || margin >= 1)
            {
                errors.Add($"<command line>: --rate-threshold: '{request.RateThreshold}' is not a margin for a rate: give percentage points below 100 (1pp, 0.5%).");
            }
        }

        if (request.Alpha is { } alpha && !(alpha is > 0 and < 0.5))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"<command line>: --alpha: {alpha} must be between 0 and 0.5 (0.01, 0.05)."));
        }

        var globs = request.FailOn.SelectMany(f => f.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        foreach (var glob in globs.Where(g => !g.Contains('*', StringComparison.Ordinal)
            && !MetricCatalog.TryFind(g, out _) && g is not Comparer.MicroTimeId and not Comparer.MicroAllocatedId))
        {
            errors.Add($"<command line>: --fail-on: '{glob}' is no metric id (a catalogue id such as ttft_ms_p95 or success_rate, {Comparer.MicroTimeId}, {Comparer.MicroAllocatedId}, or a glob with *).");
        }

        foreach (var glob in globs.Where(g => g.Contains('*', StringComparison.Ordinal)
            && !MetricCatalog.All.Select(m => m.Id).Concat([Comparer.MicroTimeId, Comparer.MicroAllocatedId, "slo_x_good_fraction", "goodput_rps_x"]).Any(ComparisonSettings.Glob(g).IsMatch)))
        {
            errors.Add($"<command line>: --fail-on: '{glob}' matches no metric id.");
        }

        return errors.Count > count ? null : new ComparisonSettings
        {
            Threshold = threshold, Noise = noise, RateMargin = margin, Alpha = request.Alpha ?? 0.01, FailOn = globs,
        };
    }
}
