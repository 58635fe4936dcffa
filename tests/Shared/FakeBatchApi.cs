using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bench.Tests.Shared;

/// <summary>
/// A scripted OpenAI Files and Batch API on <see cref="HostileServer"/> (raw sockets on 127.0.0.1): uploads, batch
/// creation, status polls, listing, cancellation and file downloads, with knobs for what a test needs to go wrong (a
/// status sequence, 429/500 on given polls, lines answered, failed, missing, duplicated or junk, a lost creation
/// answer, no Batch API at all). Not a simulator: the tests of the real one run against <c>SimulatorHost</c>.
/// </summary>
public sealed class FakeBatchApi : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentDictionary<string, JsonObject> _batches = new();
    private readonly Lock _gate = new();
    private int _nextId;

    private FakeBatchApi()
    {
        Server = HostileServer.Start(ServeAsync);
    }

    /// <summary>Starts one.</summary>
    public static FakeBatchApi Start() => new();

    /// <summary>The socket server.</summary>
    public HostileServer Server { get; }

    /// <summary><c>http://127.0.0.1:PORT/v1/</c>.</summary>
    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>Every request line received (<c>GET /v1/batches/batch_1</c>), in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every request head received (headers included), in order.</summary>
    public ConcurrentQueue<string> Heads { get; } = new();

    /// <summary>Count of requests whose line starts with <paramref name="prefix"/> (e.g. <c>POST /v1/files</c>).</summary>
    public int Count(string prefix) => Requests.Count(r => r.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The last uploaded file's content.</summary>
    public string? LastUpload { get; private set; }

    /// <summary>Polls answered <c>in_progress</c> before the batch turns <see cref="FinalStatus"/>.</summary>
    public int PollsUntilDone { get; set; } = 2;

    /// <summary>While in progress, each poll's answer counts one more completed line (progress without a status
    /// change, as a real batch reports it).</summary>
    public bool ProgressCounts { get; set; }

    /// <summary>The terminal status reached after <see cref="PollsUntilDone"/> polls; null: never (stays in progress).</summary>
    public string? FinalStatus { get; set; } = "completed";

    /// <summary>The <c>errors.data</c> of a <c>failed</c> batch.</summary>
    public string FailedErrors { get; set; } = """[{"code":"mismatched_model","message":"every line must use the same model","line":2}]""";

    /// <summary>Replaces the answer to the n-th status poll (from 1): status, body, extra header lines.</summary>
    public Func<int, (int Status, string Body, string[] Headers)?>? PollOverride { get; set; }

    /// <summary>How each input line ends: its output line JSON and whether it goes to the error file; null leaves it
    /// out of both. Default: a 200 chat.completion.</summary>
    public Func<JsonObject, (string Json, bool Error)?> Answer { get; set; } = line => (Completion(line["custom_id"]?.GetValue<string>() ?? "", "hello there", 11, 2), false);

    /// <summary>Lines appended to the output file after the answers (junk, duplicates, unknown ids).</summary>
    public List<string> ExtraOutputLines { get; } = [];

    /// <summary>Answer 404 on every Files and Batch API path (a provider without one).</summary>
    public bool NoBatchApi { get; set; }

    /// <summary>Create the batch but reset the connection instead of answering (the creation's answer is lost).</summary>
    public bool LoseCreateAnswer { get; set; }

    /// <summary>Answer the creation with this status and body instead.</summary>
    public (int Status, string Body)? CreateOverride { get; set; }

    /// <summary>Polls made.</summary>
    public int Polls { get; private set; }

    /// <summary>The batches created, by id.</summary>
    public IReadOnlyDictionary<string, JsonObject> Batches => _batches;

    /// <summary>A 200 output line with a chat.completion body.</summary>
    public static string Completion(string customId, string content, int promptTokens, int completionTokens) =>
        new JsonObject
        {
            ["id"] = "batch_req_" + customId,
            ["custom_id"] = customId,
            ["response"] = new JsonObject
            {
                ["status_code"] = 200,
                ["request_id"] = "req_" + customId,
                ["body"] = new JsonObject
                {
                    ["id"] = "chatcmpl-" + customId,
                    ["object"] = "chat.completion",
                    ["created"] = 1,
                    ["model"] = "gpt-4.1",
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                        ["finish_reason"] = "stop",
                    }),
                    ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens },
                },
            },
            ["error"] = null,
        }.ToJsonString();

    /// <summary>An output line whose request got a non-2xx answer (status and an OpenAI error body).</summary>
    public static string HttpError(string customId, int status, string code, string message) =>
        new JsonObject
        {
            ["id"] = "batch_req_" + customId,
            ["custom_id"] = customId,
            ["response"] = new JsonObject
            {
                ["status_code"] = status,
                ["request_id"] = "req_" + customId,
                ["body"] = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = code } },
            },
            ["error"] = null,
        }.ToJsonString();

    /// <summary>An error-file line without an HTTP answer (e.g. <c>batch_expired</c>).</summary>
    public static string LineError(string customId, string code, string message) =>
        new JsonObject
        {
            ["id"] = "batch_req_" + customId,
            ["custom_id"] = customId,
            ["response"] = null,
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
        }.ToJsonString();

    private string NextId(string prefix)
    {
        lock (_gate)
        {
            return prefix + (++_nextId).ToString(CultureInfo.InvariantCulture);
        }
    }

    private async Task<bool> ServeAsync(HostileExchange exchange)
    {
        var line = exchange.Head[..exchange.Head.IndexOf("\r\n", StringComparison.Ordinal)];
        var parts = line.Split(' ');
        var (method, target) = (parts[0], parts[1]);
        Requests.Enqueue($"{method} {target}");
        Heads.Enqueue(exchange.Head);
        var path = target.Split('?')[0];
        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        if (NoBatchApi)
        {
            await Json(exchange, 404, """{"error":{"message":"Unknown request URL","type":"invalid_request_error","code":"unknown_url"}}""");
            return true;
        }

        if (method == "POST" && path == "/v1/files")
        {
            var content = ExtractFile(exchange.Body);
            LastUpload = content;
            var id = NextId("file-");
            _files[id] = Encoding.UTF8.GetBytes(content);
            await Json(exchange, 200, $$"""{"id":"{{id}}","object":"file","bytes":{{_files[id].Length}},"created_at":1700000000,"filename":"input.jsonl","purpose":"batch","status":"processed"}""");
            return true;
        }

        if (method == "POST" && path == "/v1/batches")
        {
            if (CreateOverride is { } over)
            {
                await Json(exchange, over.Status, over.Body);
                return true;
            }

            var request = JsonNode.Parse(exchange.Body)!.AsObject();
            var id = NextId("batch_");
            var batch = new JsonObject
            {
                ["id"] = id,
                ["object"] = "batch",
                ["endpoint"] = request["endpoint"]!.GetValue<string>(),
                ["input_file_id"] = request["input_file_id"]!.GetValue<string>(),
                ["completion_window"] = "24h",
                ["status"] = "validating",
                ["created_at"] = 1700000000,
                ["expires_at"] = 1700086400,
                ["request_counts"] = new JsonObject { ["total"] = 0, ["completed"] = 0, ["failed"] = 0 },
                ["metadata"] = request["metadata"]?.DeepClone(),
            };
            _batches[id] = batch;
            if (LoseCreateAnswer)
            {
                exchange.Reset();
                return false;
            }

            await Json(exchange, 200, batch.ToJsonString());
            return true;
        }

        if (method == "GET" && path == "/v1/batches")
        {
            var after = query.Split('&').FirstOrDefault(q => q.StartsWith("after=", StringComparison.Ordinal))?[6..];
            var all = _batches.Values.OrderByDescending(b => int.Parse(b["id"]!.GetValue<string>()[6..], CultureInfo.InvariantCulture)).ToList();
            var start = after is null ? 0 : all.FindIndex(b => b["id"]!.GetValue<string>() == after) + 1;
            // One batch per page, so that pagination is exercised.
            var page = all.Skip(start).Take(1).ToList();
            var list = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray([.. page.Select(b => b.DeepClone())]),
                ["first_id"] = page.FirstOrDefault()?["id"]?.GetValue<string>(),
                ["last_id"] = page.LastOrDefault()?["id"]?.GetValue<string>(),
                ["has_more"] = start + page.Count < all.Count,
            };
            await Json(exchange, 200, list.ToJsonString());
            return true;
        }

        if (method == "GET" && path.StartsWith("/v1/batches/", StringComparison.Ordinal))
        {
            var n = ++Polls;
            if (PollOverride?.Invoke(n) is { } over)
            {
                await Json(exchange, over.Status, over.Body, over.Headers);
                return true;
            }

            var id = path["/v1/batches/".Length..];
            if (!_batches.TryGetValue(id, out var batch))
            {
                await Json(exchange, 404, """{"error":{"message":"No such batch","type":"invalid_request_error","code":null}}""");
                return true;
            }

            Advance(batch, n);
            await Json(exchange, 200, batch.ToJsonString());
            return true;
        }

        if (method == "POST" && path.EndsWith("/cancel", StringComparison.Ordinal))
        {
            var id = path["/v1/batches/".Length..^"/cancel".Length];
            var batch = _batches[id];
            batch["status"] = "cancelling";
            batch["cancelling_at"] = 1700000500;
            FinalStatus = "cancelled";
            PollsUntilDone = Polls + 1;
            await Json(exchange, 200, batch.ToJsonString());
            return true;
        }

        if (method == "GET" && path.StartsWith("/v1/files/", StringComparison.Ordinal) && path.EndsWith("/content", StringComparison.Ordinal))
        {
            var id = path["/v1/files/".Length..^"/content".Length];
            var bytes = _files[id];
            await exchange.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {bytes.Length}\r\n\r\n"));
            await exchange.WriteAsync(bytes);
            return true;
        }

        await Json(exchange, 404, """{"error":{"message":"Unknown request URL","type":"invalid_request_error"}}""");
        return true;
    }

    /// <summary>Moves a batch along: in progress until <see cref="PollsUntilDone"/>, then terminal with its files.</summary>
    private void Advance(JsonObject batch, int poll)
    {
        var status = batch["status"]!.GetValue<string>();
        if (status is "completed" or "failed" or "expired" or "cancelled")
        {
            return;
        }

        if (poll < PollsUntilDone || FinalStatus is null)
        {
            if (status == "validating")
            {
                batch["status"] = "in_progress";
                batch["in_progress_at"] = 1700000010;
            }
            else if (ProgressCounts)
            {
                batch["request_counts"] = new JsonObject { ["total"] = 0, ["completed"] = poll, ["failed"] = 0 };
            }

            return;
        }

        var final = FinalStatus;
        batch["status"] = final;
        if (final == "failed")
        {
            batch["failed_at"] = 1700000020;
            batch["errors"] = new JsonObject { ["object"] = "list", ["data"] = JsonNode.Parse(FailedErrors) };
            return;
        }

        batch["in_progress_at"] ??= 1700000010;
        batch["finalizing_at"] = 1700000100;
        batch[final + "_at"] = 1700000120;
        var input = Encoding.UTF8.GetString(_files[batch["input_file_id"]!.GetValue<string>()])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToList();
        var output = new List<string>();
        var errors = new List<string>();
        foreach (var line in input)
        {
            if (Answer(line) is { } answer)
            {
                (answer.Error ? errors : output).Add(answer.Json);
            }
        }

        // Output order differs from input order.
        output.Reverse();
        output.AddRange(ExtraOutputLines);
        batch["request_counts"] = new JsonObject { ["total"] = input.Count, ["completed"] = output.Count - ExtraOutputLines.Count, ["failed"] = errors.Count };
        if (output.Count > 0)
        {
            var id = NextId("file-");
            _files[id] = Encoding.UTF8.GetBytes(string.Join("\n", output) + "\n");
            batch["output_file_id"] = id;
        }

        if (errors.Count > 0)
        {
            var id = NextId("file-");
            _files[id] = Encoding.UTF8.GetBytes(string.Join("\n", errors) + "\n");
            batch["error_file_id"] = id;
        }
    }

    /// <summary>The content of the multipart body's <c>file</c> part.</summary>
    private static string ExtractFile(string body)
    {
        var at = body.IndexOf("name=file", StringComparison.Ordinal);
        at = at < 0 ? body.IndexOf("name=\"file\"", StringComparison.Ordinal) : at;
        var start = body.IndexOf("\r\n\r\n", at, StringComparison.Ordinal) + 4;
        var end = body.IndexOf("\r\n--", start, StringComparison.Ordinal);
        return body[start..end];
    }

    private static Task Json(HostileExchange exchange, int status, string body, params string[] headers) =>
        exchange.RespondAsync(status, "application/json", body, headers);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
