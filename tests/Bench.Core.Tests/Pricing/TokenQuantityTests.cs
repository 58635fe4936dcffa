using Bench.Core.Pricing;

namespace Bench.Core.Tests.Pricing;

public sealed class TokenQuantityTests
{
    [Theory]
    [InlineData("10M", "10000000")]
    [InlineData("10m", "10000000")]
    [InlineData("2.5k", "2500")]
    [InlineData("2.5K", "2500")]
    [InlineData("1B", "1000000000")]
    [InlineData("1.25T", "1250000000000")]
    [InlineData("1,000,000", "1000000")]
    [InlineData("1_000_000", "1000000")]
    [InlineData("750", "750")]
    [InlineData(" 10 M ", "10000000")]
    [InlineData("512.5", "512.5")]
    [InlineData("0", "0")]
    [InlineData("12,345.5", "12345.5")]
    public void TryParse_ValidCount_ReturnsExactTokens(string text, string expected)
    {
        Assert.True(TokenQuantity.TryParse(text, out var tokens, out var error), error);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), tokens);
    }

    [Theory]
    [InlineData("", "A token count is required (e.g. 10M, 2.5k, 1,000,000).")]
    [InlineData("10X", "'10X' is not a token count: unexpected character 'X'. Use digits with an optional k, M, B or T suffix (10M, 2.5k, 1,000,000).")]
    [InlineData("-5", "'-5' is not a token count: a count cannot be negative. Use digits with an optional k, M, B or T suffix (10M, 2.5k, 1,000,000).")]
    [InlineData("1,00", "'1,00' is not a token count: ',' must separate groups of three digits. Use digits with an optional k, M, B or T suffix (10M, 2.5k, 1,000,000).")]
    [InlineData("1.5,5", "'1.5,5' is not a token count: commas group thousands; the decimal separator is '.'. Use digits with an optional k, M, B or T suffix (10M, 2.5k, 1,000,000).")]
    [InlineData("M", "'M' is not a token count: no digits before the suffix. Use digits with an optional k, M, B or T suffix (10M, 2.5k, 1,000,000).")]
    [InlineData("1e6", "'1e6' is not a token count: unexpected character 'e'. Use digits with an optional k, M, B or T suffix (10M, 2.5k, 1,000,000).")]
    [InlineData("10.", "'10.' is not a token count: no digits after the decimal point. Use digits with an optional k, M, B or T suffix (10M, 2.5k, 1,000,000).")]
    public void TryParse_BadInput_ExplainsWhy(string text, string expected)
    {
        Assert.False(TokenQuantity.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_BadInput_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => TokenQuantity.Parse("ten"));
    }

    [Theory]
    [InlineData("10000000", "10,000,000")]
    [InlineData("2500.5", "2,500.5")]
    [InlineData("0", "0")]
    public void Format_Count_GroupsThousands(string tokens, string expected)
    {
        Assert.Equal(expected, TokenQuantity.Format(decimal.Parse(tokens, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
