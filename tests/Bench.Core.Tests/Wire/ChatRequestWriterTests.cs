using System.Buffers;
using System.Text;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

public class ChatRequestWriterTests
{
    [Fact]
    public void Write_Streaming_WritesStreamOptionsAndSeed()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var request = new ChatRequest("gpt-4o-mini", Mode.Streaming, [new("system", "Be brief."), new("user", "héllo \"q\"\n")], 16, Seed: 7);

        ChatRequestWriter.Write(buffer, request);

        Assert.Equal(
            """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"héllo \"q\"\n"}],"max_tokens":16,"stream":true,"stream_options":{"include_usage":true},"seed":7}""",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Write_NonStreamingWithMaxCompletionTokens_NoStreamOptionsNoSeed()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var request = new ChatRequest("o3", Mode.NonStreaming, [new("user", "hi")], 256, UseMaxCompletionTokens: true);

        ChatRequestWriter.Write(buffer, request);

        Assert.Equal(
            """{"model":"o3","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":256,"stream":false}""",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
