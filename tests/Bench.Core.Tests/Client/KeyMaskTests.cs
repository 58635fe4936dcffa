using Bench.Core.Client;

namespace Bench.Core.Tests.Client;

public class KeyMaskTests
{
    private const string Key = "sk-test-SECRET-0123456789abcdef";

    private static readonly KeyMask Mask = new(Key);

    [Theory]
    [InlineData("Incorrect API key provided: sk-test-SECRET-0123456789abcdef.", "Incorrect API key provided: ***.")]
    [InlineData("Bearer SK-TEST-SECRET-0123456789ABCDEF rejected", "Bearer *** rejected")]
    [InlineData("key sk-test-secret-0123456789abcdef", "key ***")]
    [InlineData("two: sk-test-SECRET-0123456789abcdef and sk-test-SECRET-0123456789abcdef", "two: *** and ***")]
    public void Apply_WholeKeyInAnyCase_Masked(string text, string expected) => Assert.Equal(expected, Mask.Apply(text));

    [Theory]
    // The message was cut at its truncation point, leaving the key's first characters.
    [InlineData("Incorrect API key provided: sk-test-SECR", "Incorrect API key provided: ***")]
    // A suffix, and a slice from the middle, of 8 characters or more.
    [InlineData("key ending 3456789abcdef is invalid", "key ending *** is invalid")]
    [InlineData("fragment SECRET-01 seen", "fragment *** seen")]
    [InlineData("FRAGMENT secret-0123 SEEN", "FRAGMENT *** SEEN")]
    public void Apply_PartialEcho_Masked(string text, string expected) => Assert.Equal(expected, Mask.Apply(text));

    [Theory]
    [InlineData("Incorrect API key provided: sk-tes**********************cdef.", "Incorrect API key provided: ***.")]
    [InlineData("key sk-test...cdef rejected", "key *** rejected")]
    [InlineData("key SK-TE…CDEF rejected", "key *** rejected")]
    [InlineData("key sk-xxxxxxxxxxxxxxxxxxxxef rejected", "key *** rejected")]
    public void Apply_ProviderAbbreviation_Masked(string text, string expected) => Assert.Equal(expected, Mask.Apply(text));

    [Theory]
    [InlineData("The model `gpt-4o` does not exist")]
    [InlineData("Rate limit reached for requests: sk-... see docs")]
    [InlineData("short slices sk-te and cdef stay")]
    [InlineData("")]
    public void Apply_NoEcho_Unchanged(string text) => Assert.Same(text, Mask.Apply(text));

    [Fact]
    public void Apply_Null_Null() => Assert.Null(Mask.Apply(null));

    [Fact]
    public void Apply_NoKey_Unchanged()
    {
        const string text = "sk-test-SECRET-0123456789abcdef";
        Assert.Same(text, KeyMask.None.Apply(text));
        Assert.Same(text, new KeyMask("").Apply(text));
    }

    [Fact]
    public void Apply_ShortKey_OnlyWholeKeyMasked()
    {
        var mask = new KeyMask("abc12");

        Assert.Equal("token *** and ABC1", mask.Apply("token ABC12 and ABC1"));
    }

    [Fact]
    public void Apply_LongText_EveryEchoMaskedAndTheRestKept()
    {
        var text = new string('a', 3000) + Key.ToUpperInvariant() + new string('b', 3000) + Key[..12];

        Assert.Equal(new string('a', 3000) + "***" + new string('b', 3000) + "***", Mask.Apply(text));
    }
}
