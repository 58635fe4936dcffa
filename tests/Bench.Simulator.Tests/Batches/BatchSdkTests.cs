#pragma warning disable OPENAI001 // the SDK's batch client is marked experimental
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using Bench.Core.Batches;
using OpenAI;
using OpenAI.Batch;
using OpenAI.Files;

namespace Bench.Simulator.Tests.Batches;

/// <summary>The official OpenAI .NET SDK's file and batch clients work against the simulator's Files and Batch
/// APIs.</summary>
public class BatchSdkTests
{
    private static OpenAIClientOptions Options(BatchApi api) =>
        new() { Endpoint = api.Host.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) };

    private static BatchClientOptions BatchOptions(BatchApi api) =>
        new() { Endpoint = api.Host.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) };

    [Fact]
    public async Task SdkClients_UploadCreatePollDownload_ReadEveryLine()
    {
        await using var api = await BatchApi.StartAsync();
        var files = new OpenAIFileClient(new ApiKeyCredential(TestSimulator.ApiKey), Options(api));
        var batches = new BatchClient(new ApiKeyCredential(TestSimulator.ApiKey), BatchOptions(api));

        OpenAIFile input = await files.UploadFileAsync(BinaryData.FromString(BatchApi.Lines(4)), "input.jsonl", FileUploadPurpose.Batch);
        Assert.StartsWith("file-", input.Id);
        Assert.Equal(FilePurpose.Batch, input.Purpose);
        Assert.Equal(Encoding.UTF8.GetByteCount(BatchApi.Lines(4)), input.SizeInBytes);

        var operation = await batches.CreateBatchAsync(
            BinaryContent.Create(BinaryData.FromObjectAsJson(new
            {
                input_file_id = input.Id,
                endpoint = "/v1/chat/completions",
                completion_window = "24h",
                metadata = new Dictionary<string, string> { [BatchMetadata.Run] = "run-1" },
            })),
            waitUntilCompleted: false);
        Assert.StartsWith("batch_", operation.BatchId);
        Assert.False(operation.HasCompleted);

        api.Advance(10 + 4 + 5); // queue, four lines, finalize
        await operation.UpdateStatusAsync();
        Assert.True(operation.HasCompleted);

        using var batch = JsonDocument.Parse((await operation.GetBatchAsync(options: null)).GetRawResponse().Content);
        Assert.Equal(BatchStatuses.Completed, batch.RootElement.GetProperty("status").GetString());
        Assert.Equal("run-1", batch.RootElement.GetProperty("metadata").GetProperty(BatchMetadata.Run).GetString());
        var outputId = batch.RootElement.GetProperty("output_file_id").GetString()!;

        OpenAIFile output = await files.GetFileAsync(outputId);
        Assert.Equal(FilePurpose.BatchOutput, output.Purpose);
        BinaryData content = await files.DownloadFileAsync(outputId);
        var customIds = content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("custom_id").GetString());
        Assert.Equal(["line-0", "line-1", "line-2", "line-3"], customIds.Order());

        OpenAIFileCollection outputs = await files.GetFilesAsync(FilePurpose.BatchOutput);
        Assert.Equal([outputId], outputs.Select(f => f.Id));
        OpenAIFileCollection all = await files.GetFilesAsync();
        Assert.Equal(2, all.Count);

        FileDeletionResult deleted = await files.DeleteFileAsync(input.Id);
        Assert.True(deleted.Deleted);
    }

    [Fact]
    public async Task SdkBatchClient_ListAndCancel_Work()
    {
        await using var api = await BatchApi.StartAsync();
        var batches = new BatchClient(new ApiKeyCredential(TestSimulator.ApiKey), BatchOptions(api));
        var first = (await api.SubmitAsync(BatchApi.Lines(3))).GetProperty("id").GetString()!;
        var second = (await api.SubmitAsync(BatchApi.Lines(3))).GetProperty("id").GetString()!;

        var listed = new List<string>();
        await foreach (var page in batches.GetBatchesAsync(after: null, limit: 1, options: null).GetRawPagesAsync())
        {
            using var json = JsonDocument.Parse(page.GetRawResponse().Content);
            listed.AddRange(json.RootElement.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()!));
        }

        Assert.Equal([second, first], listed);

        var operation = await CreateBatchOperation.RehydrateAsync(batches, first);
        await operation.CancelAsync(options: null);
        using var cancelled = JsonDocument.Parse((await operation.GetBatchAsync(options: null)).GetRawResponse().Content);
        Assert.Equal(BatchStatuses.Cancelling, cancelled.RootElement.GetProperty("status").GetString());
    }
}
