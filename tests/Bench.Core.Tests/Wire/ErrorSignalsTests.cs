using System.Text;
using Bench.Core.Records;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

/// <summary>What the WHATWG parser alone ignores but a benchmark must not — the non-standard <c>error:</c> field and an
/// <c>event: error</c> without data — read at every read size; and the read that ends at a cap.</summary>
public class ErrorSignalsTests
{
    public static TheoryData<int> ReadSizes => [1, 2, 5, 7, 64, 4096];

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task ReadAsync_ErrorField_KeptAsErrorAtAnyReadSize(int readSize)
    {
        var result = await ReadAsync(
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\nerror: {\"code\":500,\"message\":\"failed\",\"type\":\"server_error\"}\n\ndata: [DONE]\n\n", readSize);

        Assert.Equal(new ErrorInfo("server_error", "500", "failed"), result.Error);
        Assert.True(result.ErrorCodeIsNumber);
        Assert.True(result.Done);
        Assert.Contains("error_field", StreamVariantNames.Of(result.Variants));
    }

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task ReadAsync_ErrorFieldWithText_KeptRaw(int readSize)
    {
        var result = await ReadAsync("error:overloaded\r\n\r\n", readSize);

        Assert.Equal(new ErrorInfo(null, null, "overloaded"), result.Error);
    }

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task ReadAsync_ErrorEventWithoutData_Error(int readSize)
    {
        var result = await ReadAsync("event: error\n\ndata: [DONE]\n\n", readSize);

        Assert.Equal(new ErrorInfo(null, null, "an 'event: error' without data"), result.Error);
        Assert.Contains("error_event", StreamVariantNames.Of(result.Variants));
    }

    [Theory]
    [InlineData("event: errors\n\n")]
    [InlineData("event: message\n\n")]
    [InlineData("errors: x\n\n")]
    [InlineData("event: error\ndata: [DONE]\n\n")]
    public async Task ReadAsync_NotAnErrorSignal_NoError(string body)
    {
        var result = await ReadAsync(body, 3);

        Assert.Null(result.Error);
    }

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task ReadAsync_EndAtCap_StopsAtTheFirstCutAndLeavesTheRestUnread(int readSize)
    {
        var body = Encoding.UTF8.GetBytes("data: " + new string('x', 3000) + "\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"after\"}}]}\n\ndata: [DONE]\n\n");
        var stream = new TrickleStream(body, () => readSize, synchronous: true);
        var result = new StreamAccumulator();

        await ChatStreamReader.ReadAsync(stream, result, TimeProvider.System, maxEventBytes: 1024, endAtCap: true, CancellationToken.None);

        Assert.True(result.Malformed);
        Assert.True(result.ExceededCap);
        Assert.Equal("SSE line longer than 1 KiB (max_event_bytes): the rest of the body was dropped unread", result.MalformedReason);
        Assert.Equal(0, result.ContentChars);
        Assert.False(result.Done);
        Assert.True(stream.Position < body.Length);
        Assert.NotNull(result.EndTimestamp);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00 }, "gzip-compressed bytes")]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, "zstd-compressed bytes")]
    [InlineData(new byte[] { 0x78, 0x9C, 0x01 }, "zlib (deflate)-compressed bytes")]
    [InlineData(new byte[] { (byte)'<', (byte)'!', (byte)'D', (byte)'O', (byte)'C', (byte)'T', (byte)'Y', (byte)'P', (byte)'E', (byte)' ', (byte)'h', (byte)'t', (byte)'m', (byte)'l' }, "HTML")]
    [InlineData(new byte[] { (byte)'<', (byte)'?', (byte)'x' }, "XML or HTML")]
    [InlineData(new byte[] { (byte)'{', (byte)'"' }, "JSON")]
    [InlineData(new byte[] { (byte)'h', (byte)'i', 0xC3 }, "text")]
    [InlineData(new byte[] { (byte)'h', 0x00, (byte)'i' }, "binary data")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x41 }, "binary data")]
    [InlineData(new byte[0], "nothing")]
    public void Sniff_FirstBytes_SaysWhatTheBodyIs(byte[] head, string expected) => Assert.Equal(expected, BodyDescription.Sniff(head));

    [Theory]
    [InlineData("<html><head><title>\n 502  Bad &amp; Gateway </title></head><body>x</body></html>", "502 Bad & Gateway")]
    [InlineData("  <HTML><BODY><H1>Forbidden</H1>You don't have permission</BODY></HTML>", "Forbidden You don't have permission")]
    [InlineData("upstream connect error or disconnect/reset before headers", "upstream connect error or disconnect/reset before headers")]
    public void ReadableText_ErrorBody_ShortReadableMessage(string body, string expected) =>
        Assert.Equal(expected, BodyDescription.ReadableText(Encoding.UTF8.GetBytes(body), truncated: false, maxChars: 500));

    private static async Task<StreamAccumulator> ReadAsync(string body, int readSize)
    {
        var stream = new TrickleStream(Encoding.UTF8.GetBytes(body), () => readSize, synchronous: true);
        return await ChatStreamReader.ReadAsync(stream);
    }
}
