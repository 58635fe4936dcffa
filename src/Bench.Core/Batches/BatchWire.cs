using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Bench.Core.Batches;

// The objects of OpenAI's Files and Batch APIs as they travel on the wire (shared/data/openai-api-schemas.json:
// OpenAIFile, Batch, BatchRequestCounts, BatchError, ListBatchesResponse, BatchRequestInput, BatchRequestOutput). One
// definition for both sides: the simulator writes them, Bench's batch client reads them. Property names are the
// schema's (snake_case, BatchWireJson); a field the server did not send is null. Times are Unix seconds as the API
// gives them (on the simulator, on its batch clock: see the simulator's batch time scale).

/// <summary>The values of <see cref="BatchObject.Status"/> (OpenAI: <c>Batch.status</c>).</summary>
public static class BatchStatuses
{
    /// <summary>The input file is being validated before the batch can begin.</summary>
    public const string Validating = "validating";

    /// <summary>The input file failed validation (<see cref="BatchObject.Errors"/> says why); nothing ran.</summary>
    public const string Failed = "failed";

    /// <summary>The input file was validated and the batch is running.</summary>
    public const string InProgress = "in_progress";

    /// <summary>The batch has run and its results are being prepared.</summary>
    public const string Finalizing = "finalizing";

    /// <summary>The batch has ended and its results are ready.</summary>
    public const string Completed = "completed";

    /// <summary>The batch was not completed within its completion window: the lines that ran are in the output and
    /// error files, the others are in the error file as expired.</summary>
    public const string Expired = "expired";

    /// <summary>Cancellation was asked; lines still running finish (up to 10 minutes at OpenAI).</summary>
    public const string Cancelling = "cancelling";

    /// <summary>The batch was cancelled: the lines that ran are in the output and error files.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>True for the statuses a batch never leaves: completed, failed, expired, cancelled.</summary>
    public static bool IsTerminal(string? status) => status is Completed or Failed or Expired or Cancelled;
}

/// <summary>A file object (OpenAI <c>OpenAIFile</c>): what <c>POST /v1/files</c> and <c>GET /v1/files/{id}</c> return.</summary>
public sealed class FileObject
{
    /// <summary>The file id, e.g. <c>file-abc123</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Always <c>file</c>.</summary>
    public string Object { get; set; } = "file";

    /// <summary>Size in bytes.</summary>
    public long Bytes { get; set; }

    /// <summary>When it was created, Unix seconds.</summary>
    public long CreatedAt { get; set; }

    /// <summary>When it expires, Unix seconds, if it does.</summary>
    public long? ExpiresAt { get; set; }

    /// <summary>The file name given at upload.</summary>
    public string Filename { get; set; } = "";

    /// <summary><c>batch</c> for an input file, <c>batch_output</c> for an output or error file.</summary>
    public string Purpose { get; set; } = "";

    /// <summary>Deprecated by OpenAI, still required by its schema: <c>uploaded</c>, <c>processed</c> or <c>error</c>.</summary>
    public string Status { get; set; } = "processed";

    /// <summary>Deprecated by OpenAI; absent.</summary>
    public string? StatusDetails { get; set; }
}

/// <summary><c>DELETE /v1/files/{id}</c>'s answer.</summary>
public sealed class FileDeleted
{
    /// <summary>The file id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Always <c>file</c>.</summary>
    public string Object { get; set; } = "file";

    /// <summary>True when it was deleted.</summary>
    public bool Deleted { get; set; }
}

/// <summary>A batch (OpenAI <c>Batch</c>): what <c>POST /v1/batches</c>, <c>GET /v1/batches/{id}</c> and
/// <c>POST /v1/batches/{id}/cancel</c> return.</summary>
public sealed class BatchObject
{
    /// <summary>The batch id, e.g. <c>batch_abc123</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Always <c>batch</c>.</summary>
    public string Object { get; set; } = "batch";

    /// <summary>The endpoint every line is sent to, e.g. <c>/v1/chat/completions</c>.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The model the batch runs (every line names it), once known.</summary>
    public string? Model { get; set; }

    /// <summary>Validation errors (status <c>failed</c>): <c>{"object": "list", "data": [...]}</c>.</summary>
    public BatchErrors? Errors { get; set; }

    /// <summary>The input file's id.</summary>
    public string InputFileId { get; set; } = "";

    /// <summary>The completion window, <c>24h</c>.</summary>
    public string CompletionWindow { get; set; } = "24h";

    /// <summary>One of <see cref="BatchStatuses"/>.</summary>
    public string Status { get; set; } = BatchStatuses.Validating;

    /// <summary>The output file (lines that ran and got an HTTP answer of 2xx), once there is one.</summary>
    public string? OutputFileId { get; set; }

    /// <summary>The error file (lines that failed or expired), once there is one.</summary>
    public string? ErrorFileId { get; set; }

    /// <summary>Unix seconds: created (submitted).</summary>
    public long CreatedAt { get; set; }

    /// <summary>Unix seconds: validation passed and the batch began to run.</summary>
    public long? InProgressAt { get; set; }

    /// <summary>Unix seconds: when the batch expires (created + window).</summary>
    public long? ExpiresAt { get; set; }

    /// <summary>Unix seconds: it began finalizing.</summary>
    public long? FinalizingAt { get; set; }

    /// <summary>Unix seconds: it completed.</summary>
    public long? CompletedAt { get; set; }

    /// <summary>Unix seconds: it failed validation.</summary>
    public long? FailedAt { get; set; }

    /// <summary>Unix seconds: it expired.</summary>
    public long? ExpiredAt { get; set; }

    /// <summary>Unix seconds: cancellation was asked.</summary>
    public long? CancellingAt { get; set; }

    /// <summary>Unix seconds: it was cancelled.</summary>
    public long? CancelledAt { get; set; }

    /// <summary>Lines in total, completed (2xx) and failed so far.</summary>
    public BatchRequestCounts? RequestCounts { get; set; }

    /// <summary>Up to 16 key-value pairs given at creation (Bench sets <c>bench_run</c> and <c>bench_cell</c>).</summary>
    public Dictionary<string, string>? Metadata { get; set; }
}

/// <summary>OpenAI <c>BatchRequestCounts</c>.</summary>
public sealed class BatchRequestCounts
{
    /// <summary>Lines in the batch.</summary>
    public int Total { get; set; }

    /// <summary>Lines that ran and succeeded.</summary>
    public int Completed { get; set; }

    /// <summary>Lines that failed.</summary>
    public int Failed { get; set; }
}

/// <summary>The <c>errors</c> list of a batch that failed validation.</summary>
public sealed class BatchErrors
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; set; } = "list";

    /// <summary>The errors.</summary>
    public List<BatchError> Data { get; set; } = [];
}

/// <summary>OpenAI <c>BatchError</c>: one validation error, with the input line it concerns when there is one.</summary>
public sealed class BatchError
{
    /// <summary>Machine-readable code, e.g. <c>invalid_json_line</c>, <c>mismatched_model</c>.</summary>
    public string? Code { get; set; }

    /// <summary>Human-readable message.</summary>
    public string? Message { get; set; }

    /// <summary>The parameter at fault, if any.</summary>
    public string? Param { get; set; }

    /// <summary>The input file's line number (from 1), if any.</summary>
    public int? Line { get; set; }
}

/// <summary>OpenAI <c>ListBatchesResponse</c>: one page of <c>GET /v1/batches?after=&amp;limit=</c>, newest first.</summary>
public sealed class BatchList
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; set; } = "list";

    /// <summary>The batches of this page.</summary>
    public List<BatchObject> Data { get; set; } = [];

    /// <summary>The first batch id of the page.</summary>
    public string? FirstId { get; set; }

    /// <summary>The last batch id of the page (the <c>after</c> cursor of the next).</summary>
    public string? LastId { get; set; }

    /// <summary>True when another page follows.</summary>
    public bool HasMore { get; set; }
}

/// <summary>One line of a batch input file (OpenAI <c>BatchRequestInput</c>).</summary>
public sealed class BatchInputLine
{
    /// <summary>The caller's id for the line, unique within the file; Bench writes <c>bench-{request id}</c>.</summary>
    public string CustomId { get; set; } = "";

    /// <summary>Always <c>POST</c>.</summary>
    public string Method { get; set; } = "POST";

    /// <summary>The endpoint, e.g. <c>/v1/chat/completions</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary>The request body, as it would be sent to <see cref="Url"/>.</summary>
    public JsonObject? Body { get; set; }
}

/// <summary>One line of a batch output or error file (OpenAI <c>BatchRequestOutput</c>). Output lines are not in input
/// order: join them by <see cref="CustomId"/>.</summary>
public sealed class BatchOutputLine
{
    /// <summary>The line's id at the provider, e.g. <c>batch_req_abc</c>.</summary>
    public string? Id { get; set; }

    /// <summary>The input line's <c>custom_id</c>.</summary>
    public string? CustomId { get; set; }

    /// <summary>The HTTP answer the line got, or null (expired, or failed without one).</summary>
    public BatchLineResponse? Response { get; set; }

    /// <summary>A failure without an HTTP answer (e.g. <c>batch_expired</c>), or null.</summary>
    public BatchLineError? Error { get; set; }
}

/// <summary>The <c>response</c> of a batch output line.</summary>
public sealed class BatchLineResponse
{
    /// <summary>HTTP status of the line's request.</summary>
    public int StatusCode { get; set; }

    /// <summary>The provider's request id.</summary>
    public string? RequestId { get; set; }

    /// <summary>The JSON body: a chat completion, or an error object.</summary>
    public JsonElement? Body { get; set; }
}

/// <summary>The <c>error</c> of a batch output line.</summary>
public sealed class BatchLineError
{
    /// <summary>Machine-readable code, e.g. <c>batch_expired</c>, <c>batch_cancelled</c>.</summary>
    public string? Code { get; set; }

    /// <summary>Human-readable message.</summary>
    public string? Message { get; set; }
}

/// <summary>Bench's metadata keys on the batches it creates, so a resumed run finds a batch whose id it never saw.</summary>
public static class BatchMetadata
{
    /// <summary>The run id (<c>run.json</c>'s <c>run_id</c>).</summary>
    public const string Run = "bench_run";

    /// <summary>The cell, <c>{model} · batch-api</c>.</summary>
    public const string Cell = "bench_cell";
}

/// <summary>Source-generated JSON for the wire objects: snake_case names, nulls omitted, unknown fields ignored.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FileObject))]
[JsonSerializable(typeof(FileDeleted))]
[JsonSerializable(typeof(BatchObject))]
[JsonSerializable(typeof(BatchList))]
[JsonSerializable(typeof(BatchInputLine))]
[JsonSerializable(typeof(BatchOutputLine))]
public sealed partial class BatchWireJson : JsonSerializerContext;
