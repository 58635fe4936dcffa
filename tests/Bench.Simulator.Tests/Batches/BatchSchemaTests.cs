using System.Text.Json;
using Bench.Core.Batches;

namespace Bench.Simulator.Tests.Batches;

/// <summary>Every Files and Batch API answer validates against the OpenAI API schemas
/// (<c>shared/data/openai-api-schemas.json</c>): OpenAIFile, Batch in each status, ListBatchesResponse,
/// BatchRequestOutput for output and error lines, ErrorResponse; the tests' input lines are BatchRequestInput.</summary>
public class BatchSchemaTests
{
    [Fact]
    public async Task EveryAnswerOfACompletedBatch_ValidatesAgainstOpenAiSchemas()
    {
        await using var api = await BatchApi.StartAsync(profiles: BatchApi.Profile(failureRate: 0.3));
        var content = BatchApi.Lines(10);
        foreach (var line in content.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await AssertValidAsync("BatchRequestInput", line);
        }

        var file = await api.UploadAsync(content);
        await AssertValidAsync("OpenAIFile", file.GetRawText());
        var batch = await api.CreateAsync(file.GetProperty("id").GetString()!, new() { [BatchMetadata.Run] = "r", [BatchMetadata.Cell] = "fast · batch-api" });
        var id = batch.GetProperty("id").GetString()!;
        var seen = new List<string>();
        foreach (var step in (double[])[0, 10.5, 10, 5])
        {
            api.Advance(step);
            var now = await api.GetAsync(id);
            seen.Add(now.Status());
            await AssertValidAsync("Batch", now.GetRawText());
        }

        Assert.Equal([BatchStatuses.Validating, BatchStatuses.InProgress, BatchStatuses.Finalizing, BatchStatuses.Completed], seen);
        var completed = await api.GetAsync(id);
        foreach (var fileId in (string[])["output_file_id", "error_file_id"])
        {
            var output = await BatchApi.OkAsync(await api.Client.GetAsync($"files/{completed.GetProperty(fileId).GetString()}"));
            await AssertValidAsync("OpenAIFile", output.GetRawText());
            Assert.Equal("batch_output", output.GetProperty("purpose").GetString());
            var lines = await api.LinesOfAsync(completed.GetProperty(fileId));
            Assert.NotEmpty(lines);
            foreach (var line in lines)
            {
                await AssertValidAsync("BatchRequestOutput", line.GetRawText());
                if (line.GetProperty("response").GetProperty("status_code").GetInt32() == 200)
                {
                    await AssertValidAsync("CreateChatCompletionResponse", line.GetProperty("response").GetProperty("body").GetRawText());
                }
            }
        }

        await AssertValidAsync("ListBatchesResponse", (await BatchApi.OkAsync(await api.Client.GetAsync("batches"))).GetRawText());
    }

    [Fact]
    public async Task FailedExpiredCancellingAndCancelledBatches_ValidateAgainstBatch()
    {
        await using var api = await BatchApi.StartAsync(profiles: BatchApi.Profile(linesPerMinute: 0.01));
        var failed = (await api.SubmitAsync("oops\n")).GetProperty("id").GetString()!;
        var expired = (await api.SubmitAsync(BatchApi.Lines(20))).GetProperty("id").GetString()!;
        var cancelled = (await api.SubmitAsync(BatchApi.Lines(2))).GetProperty("id").GetString()!;
        api.Advance(20);
        var cancelling = await api.CancelAsync(cancelled);
        await AssertValidAsync("Batch", cancelling.GetRawText());
        api.Advance(86_400);

        foreach (var (id, status) in (ValueTuple<string, string>[])[(failed, BatchStatuses.Failed), (expired, BatchStatuses.Expired), (cancelled, BatchStatuses.Cancelled)])
        {
            var batch = await api.GetAsync(id);
            Assert.Equal(status, batch.Status());
            await AssertValidAsync("Batch", batch.GetRawText());
        }

        foreach (var line in await api.LinesOfAsync((await api.GetAsync(expired)).GetProperty("error_file_id")))
        {
            await AssertValidAsync("BatchRequestOutput", line.GetRawText());
        }
    }

    [Fact]
    public async Task ErrorAnswers_ValidateAgainstErrorResponse()
    {
        await using var api = await BatchApi.StartAsync();
        using var unauthorised = new HttpClient { BaseAddress = api.Host.BaseUrl };
        var responses = new List<HttpResponseMessage>
        {
            await api.Client.GetAsync("files/file-nope"),
            await api.Client.GetAsync("batches/batch_nope"),
            await api.UploadRawAsync("x", purpose: "fine-tune"),
            await api.CreateRawAsync(new { input_file_id = "file-nope", endpoint = "/v1/chat/completions", completion_window = "24h" }),
            await unauthorised.GetAsync("batches"),
        };

        foreach (var response in responses)
        {
            using (response)
            {
                Assert.False(response.IsSuccessStatusCode);
                await AssertValidAsync("ErrorResponse", await response.Content.ReadAsStringAsync());
            }
        }
    }

    private static async Task AssertValidAsync(string definition, string json) =>
        Assert.True((await OpenAiSchemas.ValidateAsync(definition, json)) is { Count: 0 } errors, $"{definition}: {string.Join("; ", await OpenAiSchemas.ValidateAsync(definition, json))}\n{json}");
}
