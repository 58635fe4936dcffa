using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Core.Wire;
using Polly;
using Polly.Retry;

namespace Bench.Core.Batches;

/// <summary>
/// Bench's client of OpenAI's Files and Batch APIs (https://platform.openai.com/docs/api-reference/batch): upload an
/// input file (<c>POST {base}/files</c>, multipart, <c>purpose=batch</c>), create a batch (<c>POST {base}/batches</c>),
/// read it (<c>GET {base}/batches/{id}</c>), list batches (<c>GET {base}/batches?after=&amp;limit=</c>), cancel one
/// (<c>POST {base}/batches/{id}/cancel</c>) and download a file's content (<c>GET {base}/files/{id}/content</c>,
/// streamed to a file, capped).
/// </summary>
/// <remarks>
/// <para>Every call returns a <see cref="BatchCall{T}"/>; nothing the endpoint does is thrown (only the caller's
/// cancellation is). Failures are classified (<see cref="BatchFailureKind"/>): no response (network), 401/403, 404 (on
/// <c>/files</c> or <c>/batches</c> the provider has no Batch API: the message says so), 429 (with the wait the server
/// asked for: <c>retry-after-ms</c>, <c>Retry-After</c>, an exhausted limit's <c>x-ratelimit-reset-*</c>, read by
/// <see cref="RateLimitHeaders"/>), 5xx, other 4xx, and a 2xx body that is not the object promised (malformed). Server
/// texts pass through <see cref="KeyMask"/> and are cut to 500 characters.</para>
/// <para>Idempotent calls (get, list, download) are retried through Polly on the given clock (network errors, 429,
/// 5xx, malformed bodies; exponential back-off from <see cref="BatchApiClientOptions.RetryBaseDelay"/>, at least what a
/// 429 or <c>Retry-After</c> asks). Upload, create and cancel are sent once: a lost answer to a creation must not
/// create a second batch (a resumed run looks for it by metadata instead).</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class BatchApiClient
{
    /// <summary>Texts kept from a server are cut to this many characters.</summary>
    public const int MaxMessageChars = 500;

    /// <summary>The most of an error body read, in bytes.</summary>
    private const int MaxErrorBodyBytes = 16 * 1024;

    /// <summary>The most of a JSON object body (batch, file, list page) read, in bytes.</summary>
    private const int MaxObjectBytes = 8 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly Endpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly BatchApiClientOptions _options;
    private readonly KeyMask _mask;

    /// <summary>Creates a client.</summary>
    /// <param name="httpClient">Sends the requests (the run's, from <see cref="BenchHttpClient.Create"/>); not
    /// disposed.</param>
    /// <param name="endpoint">The base address and API key (the chat client's).</param>
    /// <param name="time">The clock of the retries' back-off and of the calls' timeout (the run clock's
    /// <see cref="RunClock.Timers"/>).</param>
    /// <param name="options">Retries, timeout; defaults when null.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an openai-chat endpoint.</exception>
    public BatchApiClient(HttpClient httpClient, Endpoint endpoint, TimeProvider time, BatchApiClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(time);
        if (endpoint.Protocol != Wire.WireProtocol.OpenAiChat)
        {
            // OpenAI's Batch API runs /v1/chat/completions lines; the other protocols' batch APIs are other shapes.
            throw new ArgumentException($"The Batch API is for openai-chat targets only, not {Wire.WireProtocols.Name(endpoint.Protocol)}.", nameof(endpoint));
        }

        _http = httpClient;
        _endpoint = endpoint;
        _time = time;
        _options = options ?? new BatchApiClientOptions();
        _mask = new KeyMask(endpoint.MaskedSecret);
    }

    /// <summary>Masks the API key in <paramref name="text"/> and cuts it to <see cref="MaxMessageChars"/>.</summary>
    public string? Mask(string? text)
    {
        var masked = _mask.Apply(text is { Length: > 4 * MaxMessageChars } ? text[..(4 * MaxMessageChars)] : text);
        return masked is { Length: > MaxMessageChars } ? string.Concat(masked.AsSpan(0, MaxMessageChars), "…") : masked;
    }

    /// <summary>Uploads a batch input file (<c>POST {base}/files</c>, multipart: <c>purpose=batch</c> and
    /// <c>file</c>), once.</summary>
    /// <param name="content">The JSONL, read from its current position to its end; disposed with the request (a
    /// seekable stream — a file, a MemoryStream — is sent with a Content-Length, another one chunked).</param>
    /// <param name="fileName">The file name sent, e.g. <c>bench-gpt-4.1.jsonl</c>.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public Task<BatchCall<FileObject>> UploadAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return SendOnceAsync("files", () =>
        {
            var form = new MultipartFormDataContent();
            form.Add(new StringContent("batch"), "purpose");
            var file = new StreamContent(content); // a seekable stream gives the part, and the request, a Content-Length
            file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
            form.Add(file, "file", fileName);
            return NeverResend(new HttpRequestMessage(HttpMethod.Post, _endpoint.Resolve("files")) { Content = form });
        }, BatchWireJson.Default.FileObject, f => f.Id.Length > 0, cancellationToken);
    }

    /// <summary>Creates a batch (<c>POST {base}/batches</c>), once.</summary>
    /// <param name="inputFileId">The uploaded file's id.</param>
    /// <param name="endpointPath">Every line's endpoint, <c>/v1/chat/completions</c>.</param>
    /// <param name="completionWindow"><c>24h</c>.</param>
    /// <param name="metadata">Bench's keys (<see cref="BatchMetadata"/>).</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public Task<BatchCall<BatchObject>> CreateAsync(string inputFileId, string endpointPath, string completionWindow,
        IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputFileId);
        ArgumentNullException.ThrowIfNull(metadata);
        var body = new CreateBatchBody
        {
            InputFileId = inputFileId,
            Endpoint = endpointPath,
            CompletionWindow = completionWindow,
            Metadata = new Dictionary<string, string>(metadata, StringComparer.Ordinal),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(body, BatchClientJson.Default.CreateBatchBody);
        return SendOnceAsync("batches", () =>
        {
            var content = new ByteArrayContent(json);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return NeverResend(new HttpRequestMessage(HttpMethod.Post, _endpoint.Resolve("batches")) { Content = content });
        }, BatchWireJson.Default.BatchObject, b => b.Id.Length > 0, cancellationToken);
    }

    /// <summary>Reads a batch (<c>GET {base}/batches/{id}</c>), retried.</summary>
    public Task<BatchCall<BatchObject>> GetAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        var path = "batches/" + Uri.EscapeDataString(batchId);
        return RetriedAsync(ct => SendOnceAsync(path, () => new HttpRequestMessage(HttpMethod.Get, _endpoint.Resolve(path)),
            BatchWireJson.Default.BatchObject, b => b.Id.Length > 0, ct), cancellationToken);
    }

    /// <summary>Asks the provider to cancel a batch (<c>POST {base}/batches/{id}/cancel</c>), once.</summary>
    public Task<BatchCall<BatchObject>> CancelAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        var path = "batches/" + Uri.EscapeDataString(batchId) + "/cancel";
        return SendOnceAsync(path, () => NeverResend(new HttpRequestMessage(HttpMethod.Post, _endpoint.Resolve(path))),
            BatchWireJson.Default.BatchObject, b => b.Id.Length > 0, cancellationToken);
    }

    /// <summary>Reads one page of batches (<c>GET {base}/batches?after=&amp;limit=</c>), retried.</summary>
    /// <param name="after">The previous page's <see cref="BatchList.LastId"/>, or null for the first page.</param>
    /// <param name="limit">Batches per page (1–100).</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public Task<BatchCall<BatchList>> ListAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        var query = "batches?limit=" + limit.ToString(CultureInfo.InvariantCulture) + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
        return RetriedAsync(ct => SendOnceAsync("batches", () => new HttpRequestMessage(HttpMethod.Get, ResolveWithQuery(query)),
            BatchWireJson.Default.BatchList, _ => true, ct), cancellationToken);
    }

    /// <summary>Pages through <c>GET {base}/batches</c> for the batch whose metadata names run
    /// <paramref name="runId"/> and cell <paramref name="cell"/> (<see cref="BatchMetadata"/>): the newest such batch, or
    /// null (Value null, no error) when none is listed. At most <paramref name="maxPages"/> pages are read.</summary>
    public async Task<BatchCall<BatchObject?>> FindByMetadataAsync(string runId, string cell, CancellationToken cancellationToken, int maxPages = 100)
    {
        string? after = null;
        for (var page = 0; page < maxPages; page++)
        {
            var call = await ListAsync(after, 100, cancellationToken).ConfigureAwait(false);
            if (call.Error is { } error)
            {
                return BatchCall<BatchObject?>.Failed(error, call.Attempts);
            }

            var list = call.Value!;
            var found = list.Data.FirstOrDefault(b => b.Metadata is { } m
                && m.GetValueOrDefault(BatchMetadata.Run) == runId && m.GetValueOrDefault(BatchMetadata.Cell) == cell);
            if (found is not null)
            {
                return BatchCall<BatchObject?>.Ok(found, call.Attempts);
            }

            if (!list.HasMore || list.Data.Count == 0)
            {
                break;
            }

            after = list.LastId ?? list.Data[^1].Id;
        }

        return BatchCall<BatchObject?>.Ok(null, 1);
    }

    /// <summary>Downloads a file's content (<c>GET {base}/files/{id}/content</c>) into <paramref name="path"/>
    /// (created or truncated at each attempt), at most <paramref name="maxBytes"/>; retried. The value is the bytes
    /// written; past the cap the download fails (<see cref="BatchFailureKind.TooLarge"/>) and the file holds the first
    /// <paramref name="maxBytes"/>.</summary>
    public Task<BatchCall<long>> DownloadAsync(string fileId, string path, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileId);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var relative = "files/" + Uri.EscapeDataString(fileId) + "/content";
        return RetriedAsync(async ct =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, _endpoint.Resolve(relative));
            _endpoint.ApplyHeaders(message);
            using var timeout = CancelAfter(ct);
            try
            {
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    return BatchCall<long>.Failed(await ReadFailureAsync(response, relative, timeout.Token).ConfigureAwait(false), 1);
                }

                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
                var buffer = new byte[64 * 1024];
                long total = 0;
                while (true)
                {
                    var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes - total + 1)), timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return BatchCall<long>.Ok(total, 1);
                    }

                    var keep = (int)Math.Min(read, maxBytes - total);
                    await file.WriteAsync(buffer.AsMemory(0, keep), timeout.Token).ConfigureAwait(false);
                    total += keep;
                    if (keep < read)
                    {
                        return BatchCall<long>.Failed(new BatchFailure(BatchFailureKind.TooLarge, (int)response.StatusCode,
                            $"file {fileId} is larger than the {maxBytes:N0}-byte cap; the rest was not read", null), 1);
                    }
                }
            }
            catch (Exception ex) when (IsFailure(ex, ct))
            {
                return BatchCall<long>.Failed(Network(ex, relative, timeout), 1);
            }
        }, cancellationToken);
    }

    /// <summary>Sends one request built by <paramref name="build"/> and reads a JSON object of
    /// <paramref name="type"/> from a 2xx answer; <paramref name="valid"/> rejects an object without its id.</summary>
    private async Task<BatchCall<T>> SendOnceAsync<T>(string relative, Func<HttpRequestMessage> build, JsonTypeInfo<T> type, Func<T, bool> valid,
        CancellationToken cancellationToken)
    {
        using var message = build();
        _endpoint.ApplyHeaders(message);
        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        using var timeout = CancelAfter(cancellationToken);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return BatchCall<T>.Failed(await ReadFailureAsync(response, relative, timeout.Token).ConfigureAwait(false), 1);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var body = new PooledBufferWriter();
            var ended = await body.ReadToEndAsync(stream, MaxObjectBytes, timeout.Token).ConfigureAwait(false);
            if (!ended)
            {
                return BatchCall<T>.Failed(new BatchFailure(BatchFailureKind.Malformed, (int)response.StatusCode,
                    $"{Describe(message)}: the answer exceeded {MaxObjectBytes / (1024 * 1024)} MiB", null), 1);
            }

            try
            {
                var value = JsonSerializer.Deserialize(body.WrittenSpan, type);
                if (value is not null && valid(value))
                {
                    return BatchCall<T>.Ok(value, 1);
                }
            }
            catch (JsonException)
            {
                // Described below.
            }

            return BatchCall<T>.Failed(new BatchFailure(BatchFailureKind.Malformed, (int)response.StatusCode,
                Mask($"{Describe(message)}: the answer was not a {typeof(T).Name} JSON object ({BodyDescription.Sniff(body.WrittenSpan)})")!, null), 1);
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            return BatchCall<T>.Failed(Network(ex, relative, timeout), 1);
        }
    }

    /// <summary>Keeps <see cref="BenchHttpClient"/>'s keep-alive retry from sending this request again: the server
    /// may have acted on it.</summary>
    private static HttpRequestMessage NeverResend(HttpRequestMessage message)
    {
        message.Options.Set(KeepAliveRetryHandler.NeverResendKey, true);
        return message;
    }

    private static bool IsFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException ? !cancellationToken.IsCancellationRequested : ex is HttpRequestException or IOException or SocketException;

    private CallDeadline CancelAfter(CancellationToken cancellationToken) => new(_time, _options.CallTimeout, cancellationToken);

    private BatchFailure Network(Exception ex, string relative, CallDeadline timeout) =>
        ex is OperationCanceledException && timeout.Fired
            ? new BatchFailure(BatchFailureKind.Network, null,
                $"{relative}: no answer within {_options.CallTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s", null)
            : new BatchFailure(BatchFailureKind.Network, null, Mask($"{relative}: {ClientFailures.Describe(ex)} ({_endpoint.BaseAddress.Authority})")!, null);

    private string Describe(HttpRequestMessage message) => $"{message.Method} {BaseUrls.Redact(message.RequestUri!)}";

    /// <summary>A non-2xx answer: its kind from the status, its words from OpenAI's error object (else the body's
    /// text), and the wait a 429 or <c>Retry-After</c> asked for.</summary>
    private async Task<BatchFailure> ReadFailureAsync(HttpResponseMessage response, string relative, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var limits = RateLimitHeaders.Read(response, _time.GetUtcNow(), _mask);
        var asked = ResilientSender.ServerAskedWaitMs(new RequestRecord { HttpStatus = status, RateLimit = limits });
        string? detail = null;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var body = new PooledBufferWriter(4096);
            var ended = await body.ReadToEndAsync(stream, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            if (ChunkParser.TryReadError(body.WrittenSpan, complete: ended, out _) is { } error)
            {
                detail = string.Join(": ", new[] { error.Code ?? error.Type, error.Message }.Where(s => !string.IsNullOrEmpty(s)));
            }
            else if (BodyDescription.Significant(body.WrittenSpan).Length > 0)
            {
                detail = BodyDescription.ReadableText(body.WrittenSpan, !ended, 4 * MaxMessageChars);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            // The status says what failed.
        }

        var method = response.RequestMessage?.Method.Method ?? "";
        var where = $"{method} {BaseUrls.Redact(_endpoint.Resolve(relative.Split('?')[0]))}";
        var kind = status switch
        {
            401 or 403 => BatchFailureKind.Unauthorized,
            404 => BatchFailureKind.NotFound,
            429 => BatchFailureKind.RateLimited,
            >= 500 => BatchFailureKind.Server,
            _ => BatchFailureKind.Client,
        };
        var text = kind == BatchFailureKind.NotFound && (relative == "files" || relative == "batches")
            ? $"this endpoint has no Batch API (404 on {where})"
            : $"HTTP {status} on {where}";
        if (!string.IsNullOrWhiteSpace(detail))
        {
            text += ": " + detail;
        }

        return new BatchFailure(kind, status, Mask(text)!, asked is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
    }

    private Uri ResolveWithQuery(string relativeWithQuery)
    {
        var baseQuery = _endpoint.Query;
        var separator = relativeWithQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var extra = baseQuery.Length > 1 ? separator + baseQuery[1..] : "";
        return new Uri(_endpoint.BaseAddress.GetLeftPart(UriPartial.Path) + relativeWithQuery + extra);
    }

    /// <summary>Runs an idempotent call under Polly's retry on the injected clock: network errors, 429, 5xx and
    /// malformed answers are retried up to <see cref="BatchApiClientOptions.MaxRetries"/> times, each after the
    /// exponential back-off or the server's asked wait, whichever is longer (capped at
    /// <see cref="BatchApiClientOptions.MaxRetryDelay"/>). The result's <see cref="BatchCall{T}.Attempts"/> counts every
    /// request sent.</summary>
    private async Task<BatchCall<T>> RetriedAsync<T>(Func<CancellationToken, Task<BatchCall<T>>> call, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var pipeline = new ResiliencePipelineBuilder<BatchCall<T>> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<BatchCall<T>>
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = args => new(args.Outcome.Result is { Error: { } error } && error.IsTransient),
                DelayGenerator = args =>
                {
                    var backoff = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryBaseDelay.Ticks * (1L << Math.Min(args.AttemptNumber, 30))));
                    var asked = args.Outcome.Result?.Error?.RetryAfter ?? TimeSpan.Zero;
                    return new(asked > backoff ? (asked > _options.MaxRetryDelay ? _options.MaxRetryDelay : asked) : backoff);
                },
            })
            .Build();
        if (_options.MaxRetries == 0)
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }

        var result = await pipeline.ExecuteAsync(async ct =>
        {
            attempts++;
            return await call(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return result with { Attempts = attempts };
    }


    /// <summary>One call's deadline on the injected clock (a linked source's own CancelAfter would run on the system
    /// clock), linked to the caller's cancellation; disposing it stops its timer.</summary>
    private sealed class CallDeadline : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly ITimer _timer;

        public CallDeadline(TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
        {
            _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _timer = time.CreateTimer(static s => ((CallDeadline)s!).Fire(), this, timeout, Timeout.InfiniteTimeSpan);
        }

        public CancellationToken Token => _source.Token;

        public bool Fired { get; private set; }

        private void Fire()
        {
            Fired = true;
            try
            {
                _source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call ended as the deadline fired.
            }
        }

        public void Dispose()
        {
            _timer.Dispose();
            _source.Dispose();
        }
    }
}

/// <summary>Settings of <see cref="BatchApiClient"/>.</summary>
public sealed record BatchApiClientOptions
{
    /// <summary>Retries of an idempotent call (get, list, download). Default 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first retry's back-off; doubled at each. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off, and the most of a server's asked wait honoured within one call (a longer one ends
    /// the call; the caller's own polling honours it). Default 60 s.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One request's deadline, answer and body included. Default 300 s (a download of a large output file).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(300);
}

/// <summary>What kind of failure a Files or Batch API call met.</summary>
public enum BatchFailureKind
{
    /// <summary>No answer: refused, reset, timed out.</summary>
    Network,

    /// <summary>401 or 403: the key was refused.</summary>
    Unauthorized,

    /// <summary>404: no such object, or (on <c>/files</c>, <c>/batches</c>) no Batch API at this endpoint.</summary>
    NotFound,

    /// <summary>429.</summary>
    RateLimited,

    /// <summary>5xx.</summary>
    Server,

    /// <summary>Another 4xx (a refused file or batch: OpenAI's limits, a bad request).</summary>
    Client,

    /// <summary>A 2xx answer that was not the object promised.</summary>
    Malformed,

    /// <summary>A downloaded file past its cap.</summary>
    TooLarge,
}

/// <summary>A failed call: its kind, HTTP status (null without an answer), words (key masked) and the wait the server
/// asked for before another try (429, <c>Retry-After</c>).</summary>
public sealed record BatchFailure(BatchFailureKind Kind, int? HttpStatus, string Message, TimeSpan? RetryAfter)
{
    /// <summary>Worth another try later: no answer, 429, 5xx, a malformed answer.</summary>
    public bool IsTransient => Kind is BatchFailureKind.Network or BatchFailureKind.RateLimited or BatchFailureKind.Server or BatchFailureKind.Malformed;
}

/// <summary>A call's result: its value, or why it failed; <see cref="Attempts"/> requests were sent.</summary>
public sealed record BatchCall<T>(T? Value, BatchFailure? Error, int Attempts)
{
    /// <summary>A success.</summary>
    public static BatchCall<T> Ok(T value, int attempts) => new(value, null, attempts);

    /// <summary>A failure.</summary>
    public static BatchCall<T> Failed(BatchFailure error, int attempts) => new(default, error, attempts);

    /// <summary>True without an error.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>OpenAI <c>CreateBatchRequest</c>.</summary>
internal sealed class CreateBatchBody
{
    public string InputFileId { get; set; } = "";

    public string Endpoint { get; set; } = "";

    public string CompletionWindow { get; set; } = "24h";

    public Dictionary<string, string>? Metadata { get; set; }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(CreateBatchBody))]
internal sealed partial class BatchClientJson : System.Text.Json.Serialization.JsonSerializerContext;
