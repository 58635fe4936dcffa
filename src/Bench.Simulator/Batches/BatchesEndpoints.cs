using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Bench.Core.Batches;
using Bench.Simulator.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bench.Simulator.Batches;

/// <summary>
/// OpenAI's Files and Batch API routes over a <see cref="BatchEngine"/>, behind the same Bearer check as chat
/// completions. Answers are OpenAI's objects (<see cref="BatchWireJson"/>: <c>OpenAIFile</c>, <c>Batch</c>,
/// <c>ListBatchesResponse</c>) or its <c>{"error":{…}}</c> (<see cref="ApiError"/>). None carries
/// <c>x-ratelimit-*</c> headers: the chat endpoint's RPM/TPM buckets do not apply to them (OpenAI limits batches by
/// enqueued tokens instead: <see cref="Profiles.BatchProfile.MaxEnqueuedTokens"/>).
/// </summary>
internal sealed class BatchesEndpoints
{
    private const string InvalidRequest = "invalid_request_error";

    /// <summary>The batch endpoints OpenAI serves (<c>CreateBatchRequest.endpoint</c>).</summary>
    private static readonly string[] OpenAiEndpoints =
    [
        "/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations",
        "/v1/images/generations", "/v1/images/edits", "/v1/videos",
    ];

    /// <summary>The file purposes OpenAI knows (<c>OpenAIFile.purpose</c> of an upload).</summary>
    private static readonly string[] OpenAiPurposes = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"];

    private readonly BatchEngine _engine;
    private readonly long _maxUploadBytes;

    /// <summary>Routes over <paramref name="engine"/>; uploads up to <paramref name="maxUploadBytes"/>.</summary>
    public BatchesEndpoints(BatchEngine engine, long maxUploadBytes)
    {
        _engine = engine;
        _maxUploadBytes = maxUploadBytes;
    }

    /// <summary><c>POST /v1/files</c>: multipart/form-data with <c>purpose</c> (<c>batch</c>) and <c>file</c>
    /// (a <c>.jsonl</c> file).</summary>
    public async Task UploadFileAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = _maxUploadBytes + (1024 * 1024); // room for the multipart framing
        }

        if (!context.Request.HasFormContentType)
        {
            await Error(400, "The request must be multipart/form-data with the fields 'purpose' and 'file'.", null, null).WriteAsync(context.Response, aborted);
            return;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(
                new FormOptions { MultipartBodyLengthLimit = _maxUploadBytes + (1024 * 1024) }, aborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            await Error(StatusCodes.Status413PayloadTooLarge, $"The file is too large or the form is malformed: the simulator accepts files up to {_maxUploadBytes} bytes.", "file", null)
                .WriteAsync(context.Response, aborted);
            return;
        }

        var purpose = form["purpose"].ToString();
        if (purpose.Length == 0)
        {
            await ApiError.MissingParameter("purpose").WriteAsync(context.Response, aborted);
            return;
        }

        if (purpose != FileStore.BatchPurpose)
        {
            var message = Array.IndexOf(OpenAiPurposes, purpose) < 0
                ? $"'{purpose}' is not one of {string.Join(", ", OpenAiPurposes.Select(p => $"'{p}'"))} - 'purpose'"
                : $"The simulator stores batch input files only (purpose 'batch'), not '{purpose}'.";
            await Error(400, message, "purpose", "invalid_value").WriteAsync(context.Response, aborted);
            return;
        }

        if (form.Files.GetFile("file") is not { } upload)
        {
            await ApiError.MissingParameter("file").WriteAsync(context.Response, aborted);
            return;
        }

        if (upload.Length > _maxUploadBytes)
        {
            await Error(StatusCodes.Status413PayloadTooLarge, $"File is too large: {upload.Length} bytes, the limit is {_maxUploadBytes}.", "file", null)
                .WriteAsync(context.Response, aborted);
            return;
        }

        if (!upload.FileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            await Error(400, "Invalid file format for Batch API. Must be .jsonl", "file", "invalid_file_format").WriteAsync(context.Response, aborted);
            return;
        }

        var content = new byte[upload.Length];
        await using (var stream = upload.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, aborted);
        }

        var file = _engine.Files.Add(upload.FileName, purpose, BatchClock.Seconds(_engine.Clock.NowS), content);
        await WriteAsync(context, file.ToWire(), BatchWireJson.Default.FileObject);
    }

    /// <summary><c>GET /v1/files[?purpose=]</c>: every stored file (newest first), or those of one purpose, as
    /// OpenAI's <c>ListFilesResponse</c> (<c>object</c>, <c>data</c>, <c>first_id</c>, <c>last_id</c>,
    /// <c>has_more</c> false: one page).</summary>
    public async Task ListFilesAsync(HttpContext context)
    {
        var purpose = context.Request.Query["purpose"].ToString();
        var files = _engine.Files.All().Where(f => purpose.Length == 0 || f.Purpose == purpose).ToList();
        context.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("object"u8, "list"u8);
            json.WriteStartArray("data"u8);
            foreach (var file in files)
            {
                JsonSerializer.Serialize(json, file.ToWire(), BatchWireJson.Default.FileObject);
            }

            json.WriteEndArray();
            json.WriteString("first_id"u8, files.FirstOrDefault()?.Id);
            json.WriteString("last_id"u8, files.LastOrDefault()?.Id);
            json.WriteBoolean("has_more"u8, false);
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary><c>GET /v1/files/{id}</c>.</summary>
    public Task GetFileAsync(HttpContext context) =>
        FindFile(context) is { } file
            ? WriteAsync(context, file.ToWire(), BatchWireJson.Default.FileObject)
            : FileNotFound(context).WriteAsync(context.Response, context.RequestAborted);

    /// <summary><c>GET /v1/files/{id}/content</c>: the bytes as stored (JSONL).</summary>
    public async Task GetFileContentAsync(HttpContext context)
    {
        if (FindFile(context) is not { } file)
        {
            await FileNotFound(context).WriteAsync(context.Response, context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = file.Content.LongLength;
        await context.Response.Body.WriteAsync(file.Content, context.RequestAborted);
    }

    /// <summary><c>DELETE /v1/files/{id}</c>.</summary>
    public Task DeleteFileAsync(HttpContext context)
    {
        var id = RouteId(context);
        return _engine.Files.Delete(id)
            ? WriteAsync(context, new FileDeleted { Id = id, Deleted = true }, BatchWireJson.Default.FileDeleted)
            : FileNotFound(context).WriteAsync(context.Response, context.RequestAborted);
    }

    /// <summary><c>POST /v1/batches</c>: <c>input_file_id</c>, <c>endpoint</c>, <c>completion_window</c> (all
    /// required), <c>metadata</c> (optional).</summary>
    public async Task CreateBatchAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, aborted);
        }
        catch (JsonException)
        {
            await ApiError.InvalidJson.WriteAsync(context.Response, aborted);
            return;
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                await ApiError.InvalidJson.WriteAsync(context.Response, aborted);
                return;
            }

            if (ReadCreate(body, out var inputFileId, out var endpoint, out var metadata) is { } invalid)
            {
                await invalid.WriteAsync(context.Response, aborted);
                return;
            }

            var file = _engine.Files.Find(inputFileId!);
            if (file is null)
            {
                await Error(404, $"No such File object: {inputFileId}", "input_file_id", null).WriteAsync(context.Response, aborted);
                return;
            }

            if (file.Purpose != FileStore.BatchPurpose)
            {
                await Error(400, $"The input file {inputFileId} must have purpose 'batch', not '{file.Purpose}'.", "input_file_id", "invalid_value")
                    .WriteAsync(context.Response, aborted);
                return;
            }

            await WriteAsync(context, _engine.Create(file, endpoint!, metadata), BatchWireJson.Default.BatchObject);
        }
    }

    /// <summary><c>GET /v1/batches/{id}</c>.</summary>
    public Task GetBatchAsync(HttpContext context) =>
        _engine.Get(RouteId(context)) is { } batch
            ? WriteAsync(context, batch, BatchWireJson.Default.BatchObject)
            : BatchNotFound(context).WriteAsync(context.Response, context.RequestAborted);

    /// <summary><c>GET /v1/batches?after=&amp;limit=</c>: newest first, <c>limit</c> 1–100 (default 20).</summary>
    public Task ListBatchesAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var limit = 20;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return Error(400, $"Invalid 'limit': integer between 1 and 100 expected, got '{limitText}'.", "limit", "invalid_value")
                .WriteAsync(context.Response, context.RequestAborted);
        }

        var after = query.TryGetValue("after", out var afterText) && afterText.ToString().Length > 0 ? afterText.ToString() : null;
        return _engine.List(after, limit) is { } page
            ? WriteAsync(context, page, BatchWireJson.Default.BatchList)
            : Error(404, $"No batch found with id '{after}' (the 'after' cursor).", "after", null).WriteAsync(context.Response, context.RequestAborted);
    }

    /// <summary><c>POST /v1/batches/{id}/cancel</c>.</summary>
    public Task CancelBatchAsync(HttpContext context)
    {
        if (_engine.Cancel(RouteId(context), out var refused) is { } batch)
        {
            return WriteAsync(context, batch, BatchWireJson.Default.BatchObject);
        }

        return refused is null
            ? BatchNotFound(context).WriteAsync(context.Response, context.RequestAborted)
            : Error(409, $"Cannot cancel a batch with status '{refused}'.", null, null).WriteAsync(context.Response, context.RequestAborted);
    }

    /// <summary>Reads a create request, or the 400 that refuses it.</summary>
    private static ApiError? ReadCreate(JsonElement body, out string? inputFileId, out string? endpoint, out Dictionary<string, string>? metadata)
    {
        inputFileId = endpoint = null;
        metadata = null;
        foreach (var name in (string[])["input_file_id", "endpoint", "completion_window"])
        {
            if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return ApiError.MissingParameter(name);
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                return ApiError.InvalidValue(name, "a string");
            }
        }

        inputFileId = body.GetProperty("input_file_id").GetString();
        endpoint = body.GetProperty("endpoint").GetString();
        if (endpoint != BatchEngine.ChatEndpoint)
        {
            var message = Array.IndexOf(OpenAiEndpoints, endpoint) >= 0
                ? $"The simulator runs batches for '{BatchEngine.ChatEndpoint}' only; '{endpoint}' is an OpenAI batch endpoint it does not simulate."
                : $"Invalid value for 'endpoint': '{endpoint}' is not one of {string.Join(", ", OpenAiEndpoints.Select(e => $"'{e}'"))}.";
            return Error(400, message, "endpoint", "invalid_value");
        }

        var window = body.GetProperty("completion_window").GetString();
        if (window != BatchEngine.Window)
        {
            return Error(400, $"Invalid value for 'completion_window': '{window}'. Supported values are: '24h'.", "completion_window", "invalid_value");
        }

        if (body.TryGetProperty("metadata", out var meta) && meta.ValueKind != JsonValueKind.Null)
        {
            if (meta.ValueKind != JsonValueKind.Object)
            {
                return ApiError.InvalidValue("metadata", "an object of string values");
            }

            metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in meta.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String)
                {
                    return ApiError.InvalidValue($"metadata.{pair.Name}", "a string");
                }

                if (pair.Name.Length > 64)
                {
                    return Error(400, $"Invalid 'metadata': key '{pair.Name}' is longer than 64 characters.", "metadata", "invalid_value");
                }

                if (pair.Value.GetString()!.Length > 512)
                {
                    return Error(400, $"Invalid 'metadata': the value of '{pair.Name}' is longer than 512 characters.", "metadata", "invalid_value");
                }

                metadata[pair.Name] = pair.Value.GetString()!;
            }

            if (metadata.Count > 16)
            {
                return Error(400, $"Invalid 'metadata': {metadata.Count} pairs, at most 16 are allowed.", "metadata", "invalid_value");
            }
        }

        return null;
    }

    private StoredFile? FindFile(HttpContext context) => _engine.Files.Find(RouteId(context));

    private static string RouteId(HttpContext context) => context.Request.RouteValues["id"] as string ?? "";

    private static ApiError FileNotFound(HttpContext context) => Error(404, $"No such File object: {RouteId(context)}", "id", null);

    private static ApiError BatchNotFound(HttpContext context) => Error(404, $"No batch found with id '{RouteId(context)}'.", "id", null);

    private static ApiError Error(int status, string message, string? param, string? code) => new(status, message, InvalidRequest, param, code);

    private static async Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }
}
