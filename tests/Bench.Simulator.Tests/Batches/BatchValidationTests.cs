using System.Text.Json;
using Bench.Core.Batches;
using Bench.Simulator.Profiles;

namespace Bench.Simulator.Tests.Batches;

/// <summary>An input file that fails validation: the batch is <c>failed</c> when its queue delay ends, with OpenAI's
/// <c>errors.data</c>; nothing runs and no file is written.</summary>
public class BatchValidationTests
{
    private const int MaxLines = 3;
    private const int MaxBytes = 2_000;

    public static TheoryData<string, string, string?, int?> Files => new()
    {
        { "not json\n", "invalid_json_line", null, 1 },
        { "[1, 2]\n", "invalid_json_line", null, 1 },
        { """{"method":"POST","url":"/v1/chat/completions","body":{"model":"fast","messages":[{"role":"user","content":"x"}]}}""", "missing_required_parameter", "custom_id", 1 },
        { BatchApi.Line("a") + "\n" + BatchApi.Line("a"), "duplicate_custom_id", "custom_id", 2 },
        { BatchApi.Line("a").Replace("\"POST\"", "\"GET\"", StringComparison.Ordinal), "invalid_method", "method", 1 },
        { BatchApi.Line("a", url: "/v1/embeddings"), "invalid_url", "url", 1 },
        { BatchApi.Line("a", model: "nope"), "model_not_found", "body.model", 1 },
        { BatchApi.Line("a") + "\n" + BatchApi.Line("b", model: "other"), "mismatched_model", "body.model", 2 },
        { """{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"fast"}}""", "missing_required_parameter", "body.messages", 1 },
        { """{"custom_id":"a","method":"POST","url":"/v1/chat/completions"}""", "missing_required_parameter", "body", 1 },
        { "", "empty_file", null, null },
        { "\n \n", "empty_file", null, null },
        { BatchApi.Lines(MaxLines + 1), "too_many_requests", null, null },
        { BatchApi.Line(new string('x', MaxBytes)), "file_too_large", null, null },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Batch_InvalidFile_FailsWithOpenAisCode(string content, string code, string? param, int? line)
    {
        await using var api = await BatchApi.StartAsync(
            o => { o.MaxBatchLines = MaxLines; o.MaxBatchFileBytes = MaxBytes; },
            BatchApi.Profile(), BatchApi.Profile("other"));
        var created = await api.SubmitAsync(content);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(BatchStatuses.Validating, created.Status());
        Assert.Equal(JsonValueKind.Undefined, created.Field("errors").ValueKind);

        // Validation ends with the queue delay of the model the lines name (10 s, fixed), or a draw from the default
        // profile's (BatchProfile.Default) when no line names a served model.
        JsonElement failed;
        if (!content.Contains("\"model\":\"fast\"", StringComparison.Ordinal))
        {
            api.Advance(86_399);
            failed = await api.GetAsync(id);
            Assert.InRange(failed.Time("failed_at")!.Value, BatchApi.EpochS + 1, BatchApi.EpochS + 86_399);
        }
        else
        {
            api.Advance(9.5);
            Assert.Equal(BatchStatuses.Validating, (await api.GetAsync(id)).Status());
            api.Advance(1);
            failed = await api.GetAsync(id);
            Assert.Equal(BatchApi.EpochS + 10, failed.Time("failed_at"));
        }

        Assert.Equal(BatchStatuses.Failed, failed.Status());
        Assert.Null(failed.Time("in_progress_at"));
        Assert.Equal((0, 0, 0), failed.Counts());
        Assert.Equal(JsonValueKind.Undefined, failed.Field("output_file_id").ValueKind);
        Assert.Equal(JsonValueKind.Undefined, failed.Field("error_file_id").ValueKind);
        var errors = failed.GetProperty("errors");
        Assert.Equal("list", errors.GetProperty("object").GetString());
        var error = Assert.Single(errors.GetProperty("data").EnumerateArray());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(param, error.Field("param").ValueKind == JsonValueKind.String ? error.GetProperty("param").GetString() : null);
        Assert.Equal(line, error.Field("line").ValueKind == JsonValueKind.Number ? error.GetProperty("line").GetInt32() : null);
        Assert.Empty(await OpenAiSchemas.ValidateAsync("Batch", failed.GetRawText()));
    }

    [Fact]
    public async Task Batch_SeveralBadLines_ListsEachWithItsLineNumber()
    {
        await using var api = await BatchApi.StartAsync();
        var content = string.Join("\n", BatchApi.Line("a"), "oops", BatchApi.Line("a"), "", BatchApi.Line("c", url: "/v1/x"));

        var id = (await api.SubmitAsync(content)).GetProperty("id").GetString()!;
        api.Advance(60);
        var errors = (await api.GetAsync(id)).GetProperty("errors").GetProperty("data").EnumerateArray()
            .Select(e => (e.GetProperty("code").GetString(), e.GetProperty("line").GetInt32()));

        Assert.Equal([("invalid_json_line", 2), ("duplicate_custom_id", 3), ("invalid_url", 5)], errors);
    }

    [Fact]
    public async Task Batch_OverTheEnqueuedTokenLimit_FailsWithTokenLimitExceeded()
    {
        // Each line holds its prompt (as Bench counts "prompt of line-i": o200k tokens plus the chat overhead) plus
        // max_tokens 50. The limit fits the first batch's two lines and the third's one, not the second's two as well.
        static int Held(string customId) =>
            Bench.Core.Tokens.TokenCounter.ForModel("fast").CountPrompt([new Bench.Core.Client.ChatMessage("user", $"prompt of {customId}")]) + 50;
        await using var api = await BatchApi.StartAsync(profiles: BatchApi.Profile(maxEnqueuedTokens: Held("line-0") + Held("line-1") + Held("one-line-0")));
        var first = (await api.SubmitAsync(BatchApi.Lines(2))).GetProperty("id").GetString()!;
        var second = (await api.SubmitAsync(BatchApi.Lines(2, "more-"))).GetProperty("id").GetString()!;
        var third = (await api.SubmitAsync(BatchApi.Lines(1, "one-"))).GetProperty("id").GetString()!;

        api.Advance(10.5);
        Assert.Equal(BatchStatuses.InProgress, (await api.GetAsync(first)).Status());
        var refused = await api.GetAsync(second);
        Assert.Equal(BatchStatuses.Failed, refused.Status());
        Assert.Equal("token_limit_exceeded", refused.GetProperty("errors").GetProperty("data")[0].GetProperty("code").GetString());
        Assert.Equal(BatchStatuses.InProgress, (await api.GetAsync(third)).Status());

        // Once the first two batches have finished their lines, their tokens are no longer enqueued.
        api.Advance(100);
        var later = (await api.SubmitAsync(BatchApi.Lines(3, "later-"))).GetProperty("id").GetString()!;
        api.Advance(100);
        Assert.Equal(BatchStatuses.Completed, (await api.GetAsync(later)).Status());
    }
}
