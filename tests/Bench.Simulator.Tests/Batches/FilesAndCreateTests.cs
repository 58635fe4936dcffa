using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bench.Core.Batches;

namespace Bench.Simulator.Tests.Batches;

/// <summary>The Files API and batch creation: what is stored and returned, and the 4xx answers (not failed
/// batches) for a bad upload or a bad creation request.</summary>
public class FilesAndCreateTests
{
    [Fact]
    public async Task UploadFile_Batch_StoresTheBytesAndServesThemBack()
    {
        await using var api = await BatchApi.StartAsync();
        var content = BatchApi.Lines(2);

        var file = await api.UploadAsync(content);
        var id = file.GetProperty("id").GetString()!;

        Assert.Matches("^file-[A-Za-z0-9]{24}$", id);
        Assert.Equal("file", file.GetProperty("object").GetString());
        Assert.Equal("batch", file.GetProperty("purpose").GetString());
        Assert.Equal("input.jsonl", file.GetProperty("filename").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(content), file.GetProperty("bytes").GetInt64());
        Assert.Equal(BatchApi.EpochS, file.GetProperty("created_at").GetInt64());
        Assert.Equal(content, await api.ContentAsync(id));
        Assert.Equal(file.GetRawText(), (await BatchApi.OkAsync(await api.Client.GetAsync($"files/{id}"))).GetRawText());

        var deleted = await BatchApi.OkAsync(await api.Client.DeleteAsync($"files/{id}"));
        Assert.Equal(id, deleted.GetProperty("id").GetString());
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        using var gone = await api.Client.GetAsync($"files/{id}/content");
        Assert.Equal(404, (int)gone.StatusCode);
        using var again = await api.Client.DeleteAsync($"files/{id}");
        Assert.Equal(404, (int)again.StatusCode);
    }

    [Theory]
    [InlineData("fine-tune", "input.jsonl", 400, "purpose")]
    [InlineData("nonsense", "input.jsonl", 400, "purpose")]
    [InlineData("batch", "input.csv", 400, "file")]
    public async Task UploadFile_Refused_Answers4xxNamingTheField(string purpose, string fileName, int status, string param)
    {
        await using var api = await BatchApi.StartAsync();

        using var response = await api.UploadRawAsync(BatchApi.Lines(1), purpose, fileName);

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task UploadFile_OverTheUploadLimit_Is413()
    {
        await using var api = await BatchApi.StartAsync(o => o.MaxUploadBytes = 100);

        using var response = await api.UploadRawAsync(BatchApi.Lines(3));

        Assert.Equal(413, (int)response.StatusCode);
    }

    [Fact]
    public async Task UploadFile_LargerThanKestrelsDefaultBodyLimit_IsAccepted()
    {
        // Kestrel refuses bodies over 30 MB by default; OpenAI takes batch files up to 200 MB (uploads up to 512 MB).
        await using var api = await BatchApi.StartAsync();
        var content = new string('x', 32 * 1024 * 1024);

        var file = await api.UploadAsync(content);

        Assert.Equal(content.Length, file.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task UploadFile_NotMultipartOrMissingFields_Is400()
    {
        await using var api = await BatchApi.StartAsync();
        using var json = await api.Client.PostAsJsonAsync("files", new { purpose = "batch" });
        using var form = new MultipartFormDataContent { { new StringContent("batch"), "purpose" } };
        using var noFile = await api.Client.PostAsync("files", form);

        Assert.Equal(400, (int)json.StatusCode);
        Assert.Equal(400, (int)noFile.StatusCode);
        Assert.Equal("missing_required_parameter", JsonDocument.Parse(await noFile.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    public static TheoryData<string, int, string> BadCreates => new()
    {
        { """{"endpoint":"/v1/chat/completions","completion_window":"24h"}""", 400, "input_file_id" },
        { """{"input_file_id":"FILE","completion_window":"24h"}""", 400, "endpoint" },
        { """{"input_file_id":"FILE","endpoint":"/v1/chat/completions"}""", 400, "completion_window" },
        { """{"input_file_id":"FILE","endpoint":"/v1/embeddings","completion_window":"24h"}""", 400, "endpoint" },
        { """{"input_file_id":"FILE","endpoint":"/v1/nope","completion_window":"24h"}""", 400, "endpoint" },
        { """{"input_file_id":"FILE","endpoint":"/v1/chat/completions","completion_window":"1h"}""", 400, "completion_window" },
        { """{"input_file_id":"file-nope","endpoint":"/v1/chat/completions","completion_window":"24h"}""", 404, "input_file_id" },
        { """{"input_file_id":"OUTPUT","endpoint":"/v1/chat/completions","completion_window":"24h"}""", 400, "input_file_id" },
        { """{"input_file_id":"FILE","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":{"k":1}}""", 400, "metadata.k" },
        { """{"input_file_id":"FILE","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":{"KEY65":"v"}}""", 400, "metadata" },
        { """{"input_file_id":"FILE","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":{"k":"VALUE513"}}""", 400, "metadata" },
        { """{"input_file_id":"FILE","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":SEVENTEEN}""", 400, "metadata" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task CreateBatch_BadRequest_IsRefusedNotAFailedBatch(string body, int status, string param)
    {
        await using var api = await BatchApi.StartAsync();
        var file = (await api.UploadAsync(BatchApi.Lines(1))).GetProperty("id").GetString()!;
        var done = (await api.SubmitAsync(BatchApi.Lines(1))).GetProperty("id").GetString()!;
        api.Advance(100);
        var output = (await api.GetAsync(done)).GetProperty("output_file_id").GetString()!;
        var seventeen = JsonSerializer.Serialize(Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", i => "v"));
        body = body.Replace("FILE", file, StringComparison.Ordinal).Replace("OUTPUT", output, StringComparison.Ordinal)
            .Replace("KEY65", new string('k', 65), StringComparison.Ordinal).Replace("VALUE513", new string('v', 513), StringComparison.Ordinal)
            .Replace("SEVENTEEN", seventeen, StringComparison.Ordinal);

        using var response = await api.Client.PostAsync("batches", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(param, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
        var list = await BatchApi.OkAsync(await api.Client.GetAsync("batches"));
        Assert.Single(list.GetProperty("data").EnumerateArray()); // only the batch made to get an output file
    }

    [Fact]
    public async Task CreateBatch_SixteenMetadataPairs_AreKept()
    {
        await using var api = await BatchApi.StartAsync();
        var metadata = Enumerable.Range(0, 16).ToDictionary(i => $"k{i}", i => new string('v', 512));

        var batch = await api.CreateAsync((await api.UploadAsync(BatchApi.Lines(1))).GetProperty("id").GetString()!, metadata);

        Assert.Equal(metadata, batch.GetProperty("metadata").Deserialize<Dictionary<string, string>>());
        Assert.Equal(metadata, (await api.GetAsync(batch.GetProperty("id").GetString()!)).GetProperty("metadata").Deserialize<Dictionary<string, string>>());
    }

    [Fact]
    public async Task FilesAndBatches_WithoutBearerKey_Are401()
    {
        await using var api = await BatchApi.StartAsync();
        using var client = TestSimulator.CreateClient(api.Host, authorization: null);

        using var files = await client.PostAsync("files", new MultipartFormDataContent());
        using var batches = await client.GetAsync("batches");
        using var wrongKey = TestSimulator.CreateClient(api.Host, "Bearer sk-wrong");
        using var wrong = await wrongKey.GetAsync("batches");

        Assert.Equal(401, (int)files.StatusCode);
        Assert.Equal(401, (int)batches.StatusCode);
        Assert.Equal(401, (int)wrong.StatusCode);
        Assert.Contains("invalid_api_key", await batches.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilesAndBatchAnswers_CarryNoRateLimitHeaders()
    {
        // The chat endpoint's RPM/TPM buckets do not govern these routes, so their headers would be false here.
        await using var api = await BatchApi.StartAsync(o => o.RateLimits = new Bench.Core.Faults.RateLimitSpec { Rpm = 1, Tpm = 10 });
        var file = await api.UploadRawAsync(BatchApi.Lines(1));
        var id = (await BatchApi.OkAsync(file)).GetProperty("id").GetString()!;
        using var create = await api.CreateRawAsync(new { input_file_id = id, endpoint = "/v1/chat/completions", completion_window = "24h" });
        var batchId = JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using var get = await api.Client.GetAsync($"batches/{batchId}");
        using var list = await api.Client.GetAsync("batches");
        using var content = await api.Client.GetAsync($"files/{id}/content");

        foreach (var response in (HttpResponseMessage[])[create, get, list, content])
        {
            Assert.True(response.IsSuccessStatusCode);
            Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal(BatchStatuses.Validating, JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }
}
