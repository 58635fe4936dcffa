using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Simulator.Tests.Batches;

/// <summary>A simulator on a fake clock and plain HTTP calls to its Files and Batch APIs, for the batch tests.</summary>
internal sealed class BatchApi : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private BatchApi(SimulatorHost host, FakeTimeProvider clock)
    {
        Host = host;
        Clock = clock;
        Client = TestSimulator.CreateClient(host);
    }

    public SimulatorHost Host { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Client { get; }

    /// <summary>Unix seconds of <see cref="Epoch"/>: the batch clock's start.</summary>
    public static long EpochS => Epoch.ToUnixTimeSeconds();

    /// <summary>A profile whose batches queue exactly <paramref name="queueS"/> s, run 60 lines a minute (one a
    /// second), fail lines with <paramref name="failureRate"/> and finalize in <paramref name="finalizeS"/> s.</summary>
    public static ModelProfile Profile(string model = "fast", double queueS = 10, double linesPerMinute = 60, double failureRate = 0, double finalizeS = 5, int? maxEnqueuedTokens = null) =>
        TestSimulator.Fast(model) with
        {
            Batch = new BatchProfile
            {
                QueueDelayS = new BatchQueueDelay(queueS, queueS),
                LinesPerMinute = linesPerMinute,
                LineFailureRate = failureRate,
                FinalizeS = finalizeS,
                MaxEnqueuedTokens = maxEnqueuedTokens,
            },
        };

    public static async Task<BatchApi> StartAsync(Action<SimulatorOptions>? configure = null, params ModelProfile[] profiles)
    {
        var clock = new FakeTimeProvider(Epoch);
        var options = new SimulatorOptions
        {
            Profiles = profiles.Length > 0 ? profiles : [Profile()],
            TimeProvider = clock,
            ApiKey = TestSimulator.ApiKey,
        };
        configure?.Invoke(options);
        return new BatchApi(await SimulatorHost.StartAsync(options), clock);
    }

    /// <summary>Moves the batch clock by <paramref name="simulatedS"/> (at time scale 1).</summary>
    public void Advance(double simulatedS) => Clock.Advance(TimeSpan.FromSeconds(simulatedS));

    /// <summary>A chat completion input line.</summary>
    public static string Line(string customId, string model = "fast", long? seed = null, string url = "/v1/chat/completions")
    {
        var body = new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = $"prompt of {customId}" } },
            ["max_tokens"] = 50,
        };
        if (seed is not null)
        {
            body["seed"] = seed;
        }

        return JsonSerializer.Serialize(new { custom_id = customId, method = "POST", url, body });
    }

    public static string Lines(int count, string prefix = "line-", string model = "fast") =>
        string.Join("\n", Enumerable.Range(0, count).Select(i => Line($"{prefix}{i}", model))) + "\n";

    public async Task<HttpResponseMessage> UploadRawAsync(string content, string purpose = "batch", string fileName = "input.jsonl")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(purpose), "purpose");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(file, "file", fileName);
        return await Client.PostAsync("files", form);
    }

    public async Task<JsonElement> UploadAsync(string content) => await OkAsync(await UploadRawAsync(content));

    public async Task<HttpResponseMessage> CreateRawAsync(object body) => await Client.PostAsJsonAsync("batches", body);

    public async Task<JsonElement> CreateAsync(string inputFileId, Dictionary<string, string>? metadata = null) =>
        await OkAsync(await CreateRawAsync(new { input_file_id = inputFileId, endpoint = "/v1/chat/completions", completion_window = "24h", metadata }));

    /// <summary>Uploads <paramref name="content"/> and creates a batch over it.</summary>
    public async Task<JsonElement> SubmitAsync(string content) =>
        await CreateAsync((await UploadAsync(content)).GetProperty("id").GetString()!);

    public async Task<JsonElement> GetAsync(string batchId) => await OkAsync(await Client.GetAsync($"batches/{batchId}"));

    public async Task<JsonElement> CancelAsync(string batchId) => await OkAsync(await Client.PostAsync($"batches/{batchId}/cancel", null));

    public async Task<string> ContentAsync(string fileId)
    {
        using var response = await Client.GetAsync($"files/{fileId}/content");
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The JSON lines of a file (none when <paramref name="fileId"/> is null).</summary>
    public async Task<List<JsonElement>> LinesOfAsync(JsonElement fileId) =>
        fileId.ValueKind != JsonValueKind.String
            ? []
            : [.. (await ContentAsync(fileId.GetString()!)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>Reading a batch object in tests.</summary>
internal static class BatchJson
{
    public static string Status(this JsonElement batch) => batch.GetProperty("status").GetString()!;

    public static long? Time(this JsonElement batch, string name) =>
        batch.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    public static (int Total, int Completed, int Failed) Counts(this JsonElement batch)
    {
        var counts = batch.GetProperty("request_counts");
        return (counts.GetProperty("total").GetInt32(), counts.GetProperty("completed").GetInt32(), counts.GetProperty("failed").GetInt32());
    }

    public static JsonElement Field(this JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value : default;
}
