using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

public sealed class InspectCommandTests
{
    [Fact]
    public void Inspect_RecordedParallelToolCalls_JsonHasEveryField()
    {
        var json = RunJson(Recorded("openai-chat-01-gpt-4o-2024-08-06.sse"));

        Assert.Equal(8, json.GetProperty("events").GetInt32());
        Assert.True(json.GetProperty("done").GetBoolean());
        Assert.Equal("", json.GetProperty("content").GetString());
        Assert.Equal("", json.GetProperty("reasoning").GetString());
        Assert.Equal("tool_calls", json.GetProperty("finish_reason").GetString());
        Assert.Equal(
            [(0, "get_country", "{}"), (1, "get_product_name", "{}")],
            json.GetProperty("tool_calls").EnumerateArray()
                .Select(c => (c.GetProperty("index").GetInt32(), c.GetProperty("name").GetString(), c.GetProperty("arguments").GetString())));
        var usage = json.GetProperty("usage");
        Assert.Equal((364, 40, 404, 0, 0), (
            usage.GetProperty("prompt_tokens").GetInt32(),
            usage.GetProperty("completion_tokens").GetInt32(),
            usage.GetProperty("total_tokens").GetInt32(),
            usage.GetProperty("reasoning_tokens").GetInt32(),
            usage.GetProperty("cached_tokens").GetInt32()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
        Assert.Equal(["usage_separate_chunk"], json.GetProperty("variants").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public void Inspect_RecordedGroqErrorEvent_ErrorKeptUsageNullNoDone()
    {
        var json = RunJson(Recorded("openai-chat-30-gpt-oss-120b.sse"));

        var error = json.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("tool_use_failed", error.GetProperty("code").GetString());
        Assert.StartsWith("Tool call validation failed", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(json.GetProperty("done").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("finish_reason").ValueKind);
        Assert.All(json.GetProperty("usage").EnumerateObject(), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
        Assert.StartsWith("We need to call", json.GetProperty("reasoning").GetString(), StringComparison.Ordinal);
        Assert.Equal("o200k_base", json.GetProperty("tokenizer").GetProperty("encoding").GetString());
    }

    [Fact]
    public void Inspect_StandardInput_ReadLikeAFile()
    {
        const string Body = "data:{\"model\":\"gpt-4\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello, world!\"},\"finish_reason\":\"stop\"}]}\n\n";

        var (exitCode, output, _) = Run(Encoding.UTF8.GetBytes(Body), "-", "--json");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        var json = document.RootElement;
        Assert.Equal("Hello, world!", json.GetProperty("content").GetString());
        Assert.Equal(1, json.GetProperty("events").GetInt32());
        Assert.False(json.GetProperty("done").GetBoolean());
        Assert.Equal(["no_usage", "no_role_prelude", "no_space_after_data", "no_done"], json.GetProperty("variants").EnumerateArray().Select(v => v.GetString()));
        var tokenizer = json.GetProperty("tokenizer");
        Assert.Equal(("cl100k_base", 4), (tokenizer.GetProperty("encoding").GetString(), tokenizer.GetProperty("completion_tokens").GetInt32()));
    }

    [Fact]
    public void Inspect_NumericErrorCode_WrittenAsNumber()
    {
        const string Body = """
            data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}

            data: {"error":{"code":502,"message":"Upstream went away"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}


            """;

        var (exitCode, output, _) = Run(Encoding.UTF8.GetBytes(Body.Replace("\r\n", "\n", StringComparison.Ordinal)), "-", "--json", "--tokenizer", "none");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal(502, error.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("type").ValueKind);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("tokenizer").ValueKind);
    }

    [Fact]
    public void Inspect_Text_ShowsFieldsAndVariants()
    {
        var (exitCode, output, error) = Run([], Recorded("openai-chat-28-deepseek-r1-distill-llama-70b.sse"));

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("variants       reasoning, usage_on_final_chunk, usage_vendor_key:x_groq", output, StringComparison.Ordinal);
        Assert.Contains("usage          prompt 573, completion 1509, total 2082", output, StringComparison.Ordinal);
        Assert.Contains("(from x_groq.usage)", output, StringComparison.Ordinal);
        Assert.Contains("finish_reason  stop", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"error\":{\"message\":\"bad key\"}}", "JSON document")]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "HTML")]
    [InlineData("", "empty")]
    [InlineData("hello\nworld\n", "not an event stream")]
    public void Inspect_NotAnEventStream_Exit2WithReason(string body, string reason)
    {
        var (exitCode, output, error) = Run(Encoding.UTF8.GetBytes(body), "-", "--json");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Equal("", output);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_MissingFile_Exit2()
    {
        var (exitCode, _, error) = Run([], Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.sse"));

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_MalformedEvent_Exit0WithWarning()
    {
        var (exitCode, output, error) = Run("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: {not json\n\n"u8.ToArray(), "-", "--json");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.True(document.RootElement.GetProperty("malformed").GetBoolean());
        Assert.StartsWith("event 2: not valid JSON", document.RootElement.GetProperty("malformed_reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("warning", error, StringComparison.Ordinal);
    }

    private static JsonElement RunJson(string file)
    {
        var (exitCode, output, error) = Run([], file, "--json");
        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    private static (int ExitCode, string Output, string Error) Run(byte[] standardInput, params string[] args) =>
        BenchCli.Run(standardInput, ["inspect", .. args]);

    private static string Recorded(string file, [CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "recorded-streams", "openai-chat", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"No shared/fixtures/recorded-streams/openai-chat/{file} above {sourceFile}.");
    }
}
