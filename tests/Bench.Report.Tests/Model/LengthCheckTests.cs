using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Model;

namespace Bench.Report.Tests.Model;

/// <summary>Intended against achieved lengths: the tally's figures (computed by hand here) and the verdict.</summary>
public sealed class LengthCheckTests
{
    [Fact]
    public void Tally_MeansAndMediansOfRecordsWithIntendedLengths()
    {
        var tally = new LengthTally();
        // (intended prompt, usage prompt, intended completion, usage completion)
        foreach (var (ip, ap, ic, ac) in new[] { (100, 108, 50, 50), (200, 208, 50, 31), (300, 308, 60, 60) })
        {
            tally.Add(new RequestRecord { Outcome = Outcome.Success, IntendedPromptTokens = ip, PromptTokens = ap, IntendedCompletionTokens = ic, CompletionTokens = ac });
        }

        tally.Add(new RequestRecord { Outcome = Outcome.Success, PromptTokens = 5, CompletionTokens = 5 }); // no intended lengths: not counted

        var l = tally.ToComparison()!;

        Assert.Equal(3, l.Requests);
        Assert.Equal(200, l.IntendedPromptMean);
        Assert.Equal(208, l.AchievedPromptMean);
        Assert.Equal(8, l.PromptOverheadMean);
        Assert.Equal(200, l.IntendedPromptP50);
        Assert.Equal(208, l.AchievedPromptP50);
        Assert.Equal(160.0 / 3, l.IntendedCompletionMean!.Value, 9);
        Assert.Equal(141.0 / 3, l.AchievedCompletionMean!.Value, 9);
        Assert.Equal(50, l.AchievedCompletionP50);
        // 47 against 53.3: 11.9 % shorter, beyond the 5 % tolerance.
        Assert.Equal(LengthVerdict.Shorter, LengthCheck.Judge(l));
    }

    [Fact]
    public void Tally_WithoutIntendedLengths_IsNull() =>
        Assert.Null(new LengthTally().ToComparison());

    [Theory]
    [InlineData(100, 96, LengthVerdict.AsAsked)]
    [InlineData(100, 106, LengthVerdict.Longer)]
    [InlineData(100, 94, LengthVerdict.Shorter)]
    public void Judge_WithinFivePercent_IsAsAsked(double intended, double achieved, LengthVerdict expected) =>
        Assert.Equal(expected, LengthCheck.Judge(new LengthComparison(1, null, null, null, null, 1, intended, intended, achieved, achieved)));
}
