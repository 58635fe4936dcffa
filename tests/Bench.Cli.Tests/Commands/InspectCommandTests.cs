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

    /// <summary>Every recorded body of every protocol, with what an independent reader (a Python script folding each
    /// file's events with <c>json.loads</c>) found in it: UTF-16 length of the content, tool names, whether it ends in
    /// an error, and the usage mapped to Bench's meaning (Anthropic prompt = input + cache reads + cache writes, Gemini
    /// completion = candidates + thoughts).</summary>
    [Theory]
    [InlineData("openai-chat/openai-chat-01-gpt-4o-2024-08-06.sse", "openai-chat", 0, "get_country,get_product_name", false, 364, 40, 404, 0, null, 0)]
    [InlineData("openai-chat/openai-chat-03-gpt-4o-2024-08-06.sse", "openai-chat", 0, "final_result", false, 448, 49, 497, 0, null, 0)]
    [InlineData("openai-chat/openai-chat-05-gpt-4o-2024-08-06.sse", "openai-chat", 37, "", false, 14, 8, 22, 0, null, 0)]
    [InlineData("openai-chat/openai-chat-25-Llama-3.3-70B-Instruct.sse", "openai-chat", 13, "", false, 46, 14, 60, 0, null, null)]
    [InlineData("openai-chat/openai-chat-26-deepseek-reasoner.sse", "openai-chat", 41, "", false, 6, 212, 218, 0, null, 198)]
    [InlineData("openai-chat/openai-chat-28-deepseek-r1-distill-llama-70b.sse", "openai-chat", 2954, "", false, 573, 1509, 2082, null, null, null)]
    [InlineData("openai-chat/openai-chat-30-gpt-oss-120b.sse", "openai-chat", 0, "", true, null, null, null, null, null, null)]
    [InlineData("openai-chat/openai-chat-37-gpt-5-2025-08-07.sse", "openai-chat", 6, "", false, 13, 11, 24, 0, null, 0)]
    [InlineData("openai-chat/openai-chat-38-gpt-4o-mini-2024-07-18.sse", "openai-chat", 0, "get_capital", false, 53, 15, 68, 0, null, 0)]
    [InlineData("openai-chat/openai-chat-39-gpt-4o-mini-2024-07-18.sse", "openai-chat", 32, "", false, 78, 9, 87, 0, null, 0)]
    [InlineData("openai-chat/openai-chat-43-o3.sse", "openai-chat", 446, "", false, 9, 104, 113, 0, null, 0)]
    [InlineData("openai-chat/openai-chat-44-claude-sonnet-4.5.sse", "openai-chat", 9, "", false, 43, 36, 79, 0, null, 13)]
    [InlineData("responses/responses-06-gpt-5-2025-08-07.sse", "openai-responses", 3633, "", false, 33151, 3367, 36518, 4352, null, 2624)]
    [InlineData("responses/responses-12-deepseek-v4-flash.sse", "openai-responses", 31, "", false, 90, 15, 105, 0, null, 7)]
    [InlineData("responses/responses-29-gpt-5-2025-08-07.sse", "openai-responses", 6, "", false, 13, 59, 72, 0, 0, 0)]
    [InlineData("anthropic/anthropic-05-claude-sonnet-4-6.sse", "anthropic-messages", 9, "", false, 181, 8, 189, 0, 0, null)]
    [InlineData("anthropic/anthropic-08-claude-sonnet-4-20250514.sse", "anthropic-messages", 1021, "", false, 43, 282, 325, 0, 0, null)]
    [InlineData("anthropic/anthropic-15-claude-sonnet-4-20250514.sse", "anthropic-messages", 1792, "web_search,web_search", false, 31772, 644, 32416, 0, 0, null)]
    [InlineData("anthropic/anthropic-18-claude-sonnet-4-5-20250929.sse", "anthropic-messages", 1, "", false, 20, 5, 25, 0, 0, null)]
    [InlineData("gemini/gemini-10-gemini-2.0-flash-exp.sse", "gemini", 32, "", false, 13, 8, 21, null, null, null)]
    [InlineData("gemini/gemini-11-gemini-2.5-pro.sse", "gemini", 1938, "", false, 34, 1256, 1290, null, null, 787)]
    public void Inspect_EveryRecordedBody_ProtocolDetectedAndUsageAsInTheFile(string file, string protocol, int contentChars,
        string toolNames, bool error, int? prompt, int? completion, int? total, int? cached, int? cacheWrite, int? reasoning)
    {
        var json = RunJson(RecordedAny(file));

        Assert.Equal(protocol, json.GetProperty("protocol").GetString());
        Assert.False(json.GetProperty("malformed").GetBoolean(), json.GetProperty("malformed_reason").GetString());
        Assert.Equal(contentChars, json.GetProperty("content").GetString()!.Length);
        Assert.Equal(toolNames, string.Join(',', json.GetProperty("tool_calls").EnumerateArray().Select(c => c.GetProperty("name").GetString())));
        Assert.Equal(error, json.GetProperty("error").ValueKind == JsonValueKind.Object);
        Assert.True(contentChars > 0 || toolNames.Length > 0 || error);
        var usage = json.GetProperty("usage");
        Assert.Equal(prompt, Count(usage, "prompt_tokens"));
        Assert.Equal(completion, Count(usage, "completion_tokens"));
        Assert.Equal(total, Count(usage, "total_tokens"));
        Assert.Equal(cached, Count(usage, "cached_tokens"));
        Assert.Equal(cacheWrite, Count(usage, "cache_write_tokens"));
        Assert.Equal(reasoning, Count(usage, "reasoning_tokens"));
    }

    [Fact]
    public void Inspect_EveryRecordedBody_CoveredAboveWithItsFolderProtocol()
    {
        var root = Path.GetDirectoryName(RecordedAny("anthropic/anthropic-18-claude-sonnet-4-5-20250929.sse"))!;
        var files = Directory.GetFiles(Path.GetDirectoryName(root)!, "*.sse", SearchOption.AllDirectories);

        Assert.True(files.Length >= 21, $"{files.Length} recordings"); // recordings added later are checked here too
        foreach (var path in files)
        {
            var json = RunJson(path);
            var expected = Path.GetFileName(Path.GetDirectoryName(path)) switch
            {
                "anthropic" => "anthropic-messages",
                "responses" => "openai-responses",
                var folder => folder,
            };
            Assert.Equal(expected, json.GetProperty("protocol").GetString());
            Assert.True(json.GetProperty("content").GetString()!.Length > 0 || json.GetProperty("tool_calls").GetArrayLength() > 0
                || json.GetProperty("error").ValueKind == JsonValueKind.Object, path);
        }
    }

    [Fact]
    public void Inspect_ProtocolGiven_ReadAsThatProtocol()
    {
        // A Gemini chunk read as Chat Completions has no choices (a warning); read as gemini it has its text.
        var body = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}]}\n\n"u8.ToArray();

        var (asChat, chatOutput, chatError) = Run(body, "-", "--json", "--protocol", "openai-chat", "--tokenizer", "none");
        var (asGemini, geminiOutput, _) = Run(body, "-", "--json", "--protocol", "gemini", "--tokenizer", "none");

        Assert.Equal((0, 0), (asChat, asGemini));
        using var chat = JsonDocument.Parse(chatOutput);
        using var gemini = JsonDocument.Parse(geminiOutput);
        Assert.Equal("", chat.RootElement.GetProperty("content").GetString());
        Assert.Contains("'choices'", chatError, StringComparison.Ordinal);
        Assert.Equal(("gemini", "Hi", true), (gemini.RootElement.GetProperty("protocol").GetString(),
            gemini.RootElement.GetProperty("content").GetString(), gemini.RootElement.GetProperty("done").GetBoolean()));
    }

    [Fact]
    public void Inspect_UnknownProtocol_Exit2NamingTheFour()
    {
        var (exitCode, _, error) = Run([], "-", "--protocol", "cohere");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("cohere", error, StringComparison.Ordinal);
        foreach (var name in new[] { "openai-chat", "openai-responses", "anthropic-messages", "gemini" })
        {
            Assert.Contains(name, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Inspect_GeminiJsonArray_ReadAsOneBody()
    {
        var body = """
            [{"candidates":[{"content":{"parts":[{"text":"Par"}],"role":"model"}}],"modelVersion":"gemini-2.5-flash"},
             {"candidates":[{"content":{"parts":[{"text":"is"}],"role":"model"},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"totalTokenCount":6}}]
            """u8.ToArray();

        var (exitCode, output, error) = Run(body, "-", "--json", "--tokenizer", "none");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        var json = document.RootElement;
        Assert.Equal(("gemini", "Paris", "STOP"), (json.GetProperty("protocol").GetString(), json.GetProperty("content").GetString(),
            json.GetProperty("finish_reason").GetString()));
        Assert.Equal(6, json.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void Inspect_AnthropicText_ShowsProtocolAndCacheWrites()
    {
        var (exitCode, output, error) = Run([], RecordedAny("anthropic/anthropic-05-claude-sonnet-4-6.sse"), "--tokenizer", "none");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("protocol       anthropic-messages (detected)", output, StringComparison.Ordinal);
        Assert.Contains("events         12 (3 with tokens), message_stop seen", output, StringComparison.Ordinal);
        Assert.Contains("usage          prompt 181, completion 8, total 189, reasoning -, cached 0, cache write 0 (from usage)", output, StringComparison.Ordinal);
    }

    private static int? Count(JsonElement usage, string name) =>
        usage.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : null;

    private static string RecordedAny(string relative, [CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "recorded-streams", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"No shared/fixtures/recorded-streams/{relative} above {sourceFile}.");
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
