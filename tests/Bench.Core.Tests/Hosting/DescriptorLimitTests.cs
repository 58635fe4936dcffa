using Bench.Core.Hosting;

namespace Bench.Core.Tests.Hosting;

public sealed class DescriptorLimitTests
{
    [Fact]
    public void Needed_CountsBothEndsWhenTheServerIsInProcess_PlusTheReserve()
    {
        Assert.Equal(1000 + DescriptorLimit.Reserve, DescriptorLimit.Needed(1000, serverInProcess: false));
        Assert.Equal(2000 + DescriptorLimit.Reserve, DescriptorLimit.Needed(1000, serverInProcess: true));
        Assert.Equal(DescriptorLimit.Reserve, DescriptorLimit.Needed(-5, serverInProcess: true));
    }

    [Fact]
    public void Ensure_WithinTheSoftLimit_IsSatisfied_AndChangesNothing()
    {
        var before = DescriptorLimit.Current();

        var check = DescriptorLimit.Ensure(1);

        Assert.True(check.Satisfied);
        Assert.Null(check.Problem("1 request in flight"));
        Assert.Equal(before?.Soft, check.Soft);
        Assert.Equal(before, DescriptorLimit.Current());
    }

    [Fact]
    public void Ensure_AboveTheHardLimit_RaisesTheSoftLimitToTheHard_AndSaysWhy()
    {
        if (DescriptorLimit.Current() is not { Hard: < long.MaxValue } limits)
        {
            Assert.Null(DescriptorLimit.Current()); // no limit to read (Windows): every need is satisfied
            Assert.True(DescriptorLimit.Ensure(long.MaxValue).Satisfied);
            return;
        }

        var check = DescriptorLimit.Ensure(limits.Hard + 1);

        Assert.False(check.Satisfied);
        Assert.Equal(limits.Hard, check.Soft);
        Assert.Equal(limits.Hard, check.Hard);
        var problem = check.Problem("99,999 requests in flight");
        Assert.NotNull(problem);
        Assert.StartsWith("99,999 requests in flight need about", problem, StringComparison.Ordinal);
        Assert.Contains($"RLIMIT_NOFILE soft {limits.Hard:N0}, hard {limits.Hard:N0}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Ensure_BelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DescriptorLimit.Ensure(0));
}
