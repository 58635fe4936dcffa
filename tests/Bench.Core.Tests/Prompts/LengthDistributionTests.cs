using Bench.Core.Configuration;
using Bench.Core.Prompts;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Prompts;

/// <summary>Length distributions: the reader's rules per kind, and the seeded sampler's statistics. Statistics are
/// checked over 20,000 draws against values computed from the distributions' definitions, with tolerances several
/// standard errors wide (a mean's standard error is σ/√20,000 ≈ 0.7 % of σ; a quantile's is below 1 % of the spread).</summary>
public sealed class LengthDistributionTests
{
    private const int Draws = 20_000;

    private static string Scenario(string inputTokens) =>
        $$"""{ "models": ["m"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ], "request": { "input_tokens": {{inputTokens}} } }""";

    [Theory]
    [InlineData("""{ "type": "fixed" }""", "$.request.input_tokens.value: a fixed distribution needs value")]
    [InlineData("""{ "type": "fixed", "value": 0 }""", "$.request.input_tokens.value: must be at least 1")]
    [InlineData("""{ "type": "uniform", "min": 10, "max": 5 }""", "$.request.input_tokens.min: min (10) must not be above max (5)")]
    [InlineData("""{ "type": "uniform", "min": 10 }""", "$.request.input_tokens.max: a uniform distribution needs max")]
    [InlineData("""{ "type": "normal", "mean": 100, "stddev": -1 }""", "$.request.input_tokens.stddev: must be at least 0")]
    [InlineData("""{ "type": "log_normal", "median": 0, "sigma": 1 }""", "$.request.input_tokens.median: must be greater than 0")]
    [InlineData("""{ "type": "log_normal", "median": 100, "sigma": -0.5 }""", "$.request.input_tokens.sigma: must be from 0 to 10")]
    [InlineData("""{ "type": "histogram", "bins": [] }""", "$.request.input_tokens.bins: a histogram needs at least one bin")]
    [InlineData("""{ "type": "histogram", "bins": [ { "from": 10, "to": 10, "weight": 1 } ] }""", "$.request.input_tokens.bins[0].to: to (10) must be above from (10)")]
    [InlineData("""{ "type": "histogram", "bins": [ { "from": 1, "to": 10, "weight": -1 } ] }""", "$.request.input_tokens.bins[0].weight: must be a finite number of at least 0")]
    [InlineData("""{ "type": "histogram", "bins": [ { "from": 1, "to": 10, "weight": 0 } ] }""", "$.request.input_tokens.bins: the weights sum to 0")]
    [InlineData("""{ "type": "uniform", "min": 1, "max": 20000000 }""", "$.request.input_tokens.max: must be at most 10,000,000")]
    public void Parse_BrokenDistribution_IsRefusedAtItsPath(string distribution, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Scenario(distribution), "s.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "type": "fixed", "value": 5 }""")]
    [InlineData("""{ "type": "uniform", "min": 5, "max": 5 }""")]
    [InlineData("""{ "type": "normal", "mean": 100, "stddev": 0, "max": 300 }""")]
    [InlineData("""{ "type": "log_normal", "median": 100, "sigma": 0.5 }""")]
    [InlineData("""{ "type": "histogram", "bins": [ { "from": 1, "to": 10, "weight": 0 }, { "from": 10, "to": 20, "weight": 3 } ] }""")]
    public void Parse_GoodDistribution_IsAccepted(string distribution)
    {
        var scenario = ScenarioLoader.Parse(Scenario(distribution), "s.json");

        Assert.NotNull(scenario.Request.InputTokens);
    }

    [Fact]
    public void Sample_SameSeedAndId_SameLengthWhateverTheOrder()
    {
        var d = new LengthDistribution { Kind = DistributionKind.LogNormal, Median = 500, Sigma = 1 };
        var forward = Enumerable.Range(0, 1000).Select(i => LengthSampler.Sample(d, 42, i, SeededDraw.InputStream)).ToArray();
        var backward = Enumerable.Range(0, 1000).Reverse().Select(i => LengthSampler.Sample(d, 42, i, SeededDraw.InputStream)).Reverse().ToArray();
        var otherSeed = Enumerable.Range(0, 1000).Select(i => LengthSampler.Sample(d, 43, i, SeededDraw.InputStream)).ToArray();

        Assert.Equal(forward, backward);
        Assert.NotEqual(forward, otherSeed);
    }

    [Fact]
    public void Sample_Uniform_CoversItsRangeEvenly()
    {
        var d = new LengthDistribution { Kind = DistributionKind.Uniform, Min = 10, Max = 19 };
        var lengths = Draw(d);

        Assert.Equal(10, lengths.Min());
        Assert.Equal(19, lengths.Max());
        // Each of 10 values expects 2,000 draws (binomial σ ≈ 42); 5σ either side.
        Assert.All(lengths.GroupBy(l => l), g => Assert.InRange(g.Count(), 1790, 2210));
    }

    [Fact]
    public void Sample_Normal_MeanAndStddevWithinTolerance()
    {
        var d = new LengthDistribution { Kind = DistributionKind.Normal, Mean = 1000, Stddev = 100 };
        var lengths = Draw(d);
        var mean = lengths.Average();
        var sd = Math.Sqrt(lengths.Sum(l => (l - mean) * (l - mean)) / (lengths.Length - 1));

        // Standard error of the mean 100/√20,000 ≈ 0.71; of the sd ≈ 0.5 (+ rounding's 1/12 variance).
        Assert.InRange(mean, 1000 - 4, 1000 + 4);
        Assert.InRange(sd, 97, 103);
    }

    [Fact]
    public void Sample_LogNormal_MedianAndQuantilesWithinTolerance()
    {
        var d = new LengthDistribution { Kind = DistributionKind.LogNormal, Median = 400, Sigma = 0.5 };
        var lengths = Draw(d).Order().ToArray();

        // Quantiles of exp(ln 400 + 0.5 z): z(0.5) = 0 → 400; z(0.9) = 1.2816 → 400·e^0.6408 ≈ 759.5.
        Assert.InRange(lengths[Draws / 2], 392, 408);
        Assert.InRange(lengths[(int)(Draws * 0.9)], 740, 780);
        // Mean = median·e^(σ²/2) = 400·e^0.125 ≈ 453.3; its standard error ≈ 240/√20,000 ≈ 1.7.
        Assert.InRange(lengths.Average(), 446, 461);
    }

    [Fact]
    public void Sample_Histogram_BinsByWeightUniformInside()
    {
        var d = new LengthDistribution
        {
            Kind = DistributionKind.Histogram,
            Bins = [new HistogramBin { From = 100, To = 200, Weight = 3 }, new HistogramBin { From = 1000, To = 1001, Weight = 1 }],
        };
        var lengths = Draw(d);
        var low = lengths.Count(l => l is >= 100 and < 200);

        Assert.Equal(Draws, low + lengths.Count(l => l == 1000));
        // p = 0.75: expected 15,000, binomial σ ≈ 61; 5σ.
        Assert.InRange(low, 15_000 - 310, 15_000 + 310);
        // Uniform in [100, 200): mean 149.5, σ ≈ 28.9, standard error ≈ 0.24.
        Assert.InRange(lengths.Where(l => l < 200).Average(), 148.3, 150.7);
    }

    [Fact]
    public void Sample_Normal_ClipsToMinAndMax()
    {
        var d = new LengthDistribution { Kind = DistributionKind.Normal, Mean = 10, Stddev = 50, Max = 40 };
        var lengths = Draw(d);

        Assert.Equal(1, lengths.Min());
        Assert.Equal(40, lengths.Max());
    }

    private static int[] Draw(LengthDistribution d) =>
        [.. Enumerable.Range(0, Draws).Select(i => LengthSampler.Sample(d, 7, i, SeededDraw.OutputStream))];
}
