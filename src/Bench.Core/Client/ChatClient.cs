using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Bench.Core.Records;
using Bench.Core.Tokens;
using Bench.Core.Wire;

namespace Bench.Core.Client;

/// <summary>
/// Sends one generation request, streaming or not, in the endpoint's protocol (<see cref="Endpoint.Protocol"/>: its
/// writer from <see cref="RequestWriters"/>, its URL from <see cref="Endpoint.RequestUri"/>, its key header and the
/// target's extra headers, query parameters and body fields; the model sent as <see cref="Endpoint.WireModel"/>, the
/// record keeping the catalogue's name) and returns a complete <see cref="RequestRecord"/>: every time on the run clock,
/// the HTTP status, the outcome, the finish reason and the <c>usage</c> counts. The response is read by the same readers
/// with a <see cref="StreamAccumulator"/> of that protocol; a non-2xx body's error in the protocol's shape
/// (<see cref="ErrorBodies"/>: Anthropic's <c>{"type":"error","error":{"type":"overloaded_error",…}}</c>, Gemini's
/// <c>{"error":{"code","message","status"}}</c>).
/// </summary>
/// <remarks>
/// <para>Failures are classified, never thrown: a timeout on the run clock (the whole request, the first byte or the
/// idle gap between reads: <see cref="ChatClientOptions"/>; the message names which) → <see cref="Outcome.Timeout"/>; HTTP 429 →
/// <see cref="Outcome.RateLimited"/>; 5xx → <see cref="Outcome.ServerError"/>; any other non-2xx →
/// <see cref="Outcome.ClientError"/> (type, code and message from the OpenAI-shaped body; an HTML page gives its
/// title; only the first <see cref="ChatClientOptions.MaxErrorBodyBytes"/> are read); no response (refused, reset, the
/// connect timeout) → <see cref="Outcome.ConnectionError"/>, unless Bench's own machine ran out of descriptors, ports or
/// buffers (<see cref="ClientFailures.IsLocal(Exception)"/>) → <see cref="Outcome.LocalError"/>. A 2xx response is judged by its body, in this order:</para>
/// <list type="number">
/// <item>an error reported in it — an <c>{"error":{…}}</c> object in any chunk or in the body, an <c>event: error</c>
/// (whatever its data), or a non-standard SSE <c>error:</c> field → <see cref="Outcome.ProviderError"/> with the
/// provider's type, code and message;</item>
/// <item>a body that is not what its Content-Type and the protocol promise — random bytes, HTML, compressed bytes
/// (Bench asks for no compression and decodes none), a chunk or body that is not the protocol's JSON, a non-SSE
/// Content-Type on a streaming request, or a body, line or event past its cap
/// (<see cref="ChatClientOptions.MaxResponseBytes"/>, <see cref="ChatClientOptions.MaxEventBytes"/>; the rest is
/// dropped unread and the connection closed) → <see cref="Outcome.Malformed"/> with the reason;</item>
/// <item>a response that carried no output (content, reasoning or a tool call) and no finish reason — <c>data:
/// [DONE]</c> alone, only role or usage chunks, <c>choices: []</c>, a message without content → <see
/// cref="Outcome.EmptyResponse"/>;</item>
/// <item>a stream that started and broke off (the connection dropped, or it ended with neither <c>[DONE]</c> nor a
/// finish reason) → <see cref="Outcome.StreamInterrupted"/>;</item>
/// <item>otherwise <see cref="Outcome.Success"/>: output or a finish reason. A finish reason without text — <c>length</c>
/// when reasoning used up <c>max_tokens</c>, <c>content_filter</c> — is a success (the server completed the request
/// and billed it, as issue 10 defines success); the record's finish reason and output counts show it.</item>
/// </list>
/// <para>Every failure keeps the HTTP status; messages are masked (<see cref="KeyMask"/>) and cut to 500 characters.
/// Only the caller's cancellation throws.</para>
/// <para>Token counts: the server's <c>usage</c> (asked for with <c>stream_options.include_usage</c>) is the source
/// of truth. Whenever a 2xx response arrived, the prompt and the received text are also counted locally
/// (<see cref="ChatClientOptions.Tokenizer"/>) into <see cref="RequestRecord.TokenizerPromptTokens"/> and
/// <see cref="RequestRecord.TokenizerCompletionTokens"/>; when the response had no usage those counts become the
/// record's, with <see cref="RequestRecord.TokensSource"/> <c>tokenizer</c>. The counting runs off the request path, on
/// the process's <see cref="TokenCountingQueue"/> thread, after the response's last byte has been timed; the record
/// returned carries the counts.</para>
/// <para>The API key never appears in a record: it is only written into the <c>Authorization</c> header and is masked
/// (whole, case-changed or partial: <see cref="KeyMask"/>) in every message kept from the server or from an
/// exception.</para>
/// <para>With an <see cref="HttpClient"/> from <see cref="BenchHttpClient.Create"/>, a request whose reused pooled
/// connection failed before any response byte (the keep-alive race) was sent again, once, on a fresh connection, and
/// the record says so (<see cref="RequestRecord.ConnectionRetried"/>). <see cref="RequestRecord.HeadersMs"/> is when the
/// response headers had arrived.</para>
/// <para>Every response, 2xx or not, has its rate-limit headers read into <see cref="RequestRecord.RateLimit"/>
/// (<see cref="RateLimitHeaders"/>: OpenAI's <c>x-ratelimit-*</c>, <c>retry-after-ms</c>, RFC 9110 <c>Retry-After</c>).</para>
/// <para>Thread-safe: one client serves every concurrent request of a target.</para>
/// </remarks>
public sealed class ChatClient
{
    /// <summary>Error texts kept in a record are cut to this many characters.</summary>
    private const int MaxErrorChars = 500;

    /// <summary>A longer text is cut to this many characters before it is masked (then cut again to
    /// <see cref="MaxErrorChars"/>): masking is O(text × key).</summary>
    private const int MaxMaskedChars = 4 * MaxErrorChars;

    private readonly HttpClient _http;
    private readonly Endpoint _endpoint;
    private readonly RunClock _clock;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan? _firstByteTimeout;
    private readonly TimeSpan? _idleTimeout;
    private readonly bool _useMaxCompletionTokens;
    private readonly string? _tokenizer;
    private readonly Dictionary<string, string>? _modelTokenizers;
    private readonly KeyMask _mask;
    private readonly int _maxResponseBytes;
    private readonly int _maxEventBytes;
    private readonly int _maxErrorBodyBytes;

    /// <summary>Creates a client.</summary>
    /// <param name="httpClient">Sends the requests; not disposed. Its own <see cref="HttpClient.Timeout"/> should be
    /// infinite (see <see cref="ChatClientOptions.Timeout"/>).</param>
    /// <param name="endpoint">Where to send them, with the API key.</param>
    /// <param name="clock">The run's clock, for every time in the records and for the request timeout (both on its
    /// <see cref="RunClock.TimeProvider"/>).</param>
    /// <param name="options">Timeout and wire options; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ChatClientOptions.Timeout"/>,
    /// <see cref="ChatClientOptions.FirstByteTimeout"/> or <see cref="ChatClientOptions.IdleTimeout"/> is not positive
    /// or exceeds <see cref="int.MaxValue"/> milliseconds, or a cap (<see cref="ChatClientOptions.MaxResponseBytes"/>,
    /// <see cref="ChatClientOptions.MaxEventBytes"/>, <see cref="ChatClientOptions.MaxErrorBodyBytes"/>) is outside
    /// 1 KiB–1 GiB.</exception>
    /// <exception cref="ArgumentException"><see cref="ChatClientOptions.Tokenizer"/> or a value of
    /// <see cref="ChatClientOptions.ModelTokenizers"/> is not <c>o200k_base</c>, <c>cl100k_base</c>, <c>none</c> or
    /// <see langword="null"/>.</exception>
    public ChatClient(HttpClient httpClient, Endpoint endpoint, RunClock clock, ChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(clock);
        endpoint.Validate();
        options ??= new ChatClientOptions();
        CheckTimeout(options.Timeout, nameof(options.Timeout));
        CheckTimeout(options.FirstByteTimeout, nameof(options.FirstByteTimeout));
        CheckTimeout(options.IdleTimeout, nameof(options.IdleTimeout));

        foreach (var (name, cap) in new[]
        {
            (nameof(options.MaxResponseBytes), options.MaxResponseBytes),
            (nameof(options.MaxEventBytes), options.MaxEventBytes),
            (nameof(options.MaxErrorBodyBytes), options.MaxErrorBodyBytes),
        })
        {
            if (cap is < ResponseCaps.MinBytes or > ResponseCaps.MaxBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(options), cap, $"{name} must be from {ResponseCaps.MinBytes} (1 KiB) to {ResponseCaps.MaxBytes} (1 GiB) bytes.");
            }
        }

        foreach (var tokenizer in (options.ModelTokenizers?.Values ?? []).Append(options.Tokenizer))
        {
            if (tokenizer is not null && tokenizer != TokenEncodings.None && !TokenEncodings.IsKnown(tokenizer))
            {
                throw new ArgumentException(
                    $"Unknown tokenizer '{tokenizer}'; expected {string.Join(", ", TokenEncodings.All)}, {TokenEncodings.None}, or none given (by model).",
                    nameof(options));
            }
        }

        _http = httpClient;
        _endpoint = endpoint;
        _clock = clock;
        _timeout = options.Timeout;
        _firstByteTimeout = options.FirstByteTimeout;
        _idleTimeout = options.IdleTimeout;
        _useMaxCompletionTokens = options.UseMaxCompletionTokens;
        _tokenizer = options.Tokenizer;
        _modelTokenizers = options.ModelTokenizers is { Count: > 0 } byModel ? new Dictionary<string, string>(byModel, StringComparer.Ordinal) : null;
        _mask = new KeyMask(endpoint.MaskedSecret);
        _maxResponseBytes = options.MaxResponseBytes;
        _maxEventBytes = options.MaxEventBytes;
        _maxErrorBodyBytes = options.MaxErrorBodyBytes;
    }

    /// <summary>The run clock the client times its records and deadlines on.</summary>
    public RunClock Clock => _clock;

    /// <summary>Sends <paramref name="request"/> and reads its response to the end.</summary>
    /// <param name="request">What to send; its <see cref="ChatRequest.Mode"/> decides streaming.</param>
    /// <param name="context">Id, phase and intended send time, copied into the record.</param>
    /// <param name="cancellationToken">The caller's cancellation (end of the run); not a timeout.</param>
    /// <returns>The record, whatever happened.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<RequestRecord> SendAsync(ChatRequest request, RequestContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_useMaxCompletionTokens && !request.UseMaxCompletionTokens)
        {
            request = request with { UseMaxCompletionTokens = true };
        }

        var record = new RequestRecord
        {
            Id = context.Id,
            Model = request.Model,
            Mode = request.Mode,
            Phase = context.Phase ?? Phases.Measure,
            IntendedMs = context.IntendedMs,
        };
        var accumulator = new StreamAccumulator(_endpoint.Protocol);
        using var body = new PooledBufferWriter();
        // The record keeps the catalogue's model name; the wire carries the target's (its model map).
        var wireModel = _endpoint.WireModel(request.Model);
        RequestWriters.Write(_endpoint.Protocol, body, wireModel == request.Model ? request : request with { Model = wireModel }, _endpoint.BodyFields);
        using var message = CreateMessage(request.Mode, wireModel, context, body);
        if (request.Seed is { } seed && _endpoint.Protocol is WireProtocol.OpenAiResponses or WireProtocol.AnthropicMessages)
        {
            // These bodies have no seed field (their APIs refuse unknown ones): the seed travels as a header that real
            // servers ignore and the simulator reads, so its draws depend on the request, not on arrival order — the
            // same answer in every protocol, and the same fault for a resent request.
            message.Headers.TryAddWithoutValidation(SeedHeader, seed.ToString(CultureInfo.InvariantCulture));
        }

        // The timeouts run on the run clock's provider, so they are as exact as every other time in the record.
        using var timeout = new RequestDeadlines(_clock.TimeProvider, _timeout, _firstByteTimeout, _idleTimeout, cancellationToken);

        HttpResponseMessage? response = null;
        try
        {
            record.SentMs = _clock.NowMs();
            timeout.Start();
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            record.HeadersMs = _clock.NowMs();
            record.HttpStatus = (int)response.StatusCode;
            record.RateLimit = RateLimitHeaders.Read(response, _clock.TimeProvider.GetUtcNow(), _mask);
            await ReadResponseAsync(record, request.Mode, response, accumulator, timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException ? !cancellationToken.IsCancellationRequested : ex is HttpRequestException or IOException or SocketException)
        {
            FailOnException(record, ex, timeout.Fired, Attempt(message));
        }
        finally
        {
            response?.Dispose();
        }

        record.ConnectionRetried = Attempt(message)?.IsRetry == true;
        Complete(record, accumulator);
        if (EncodingFor(record, request) is { } encoding)
        {
            // Off the request path: the process's counting thread tokenizes (and loads the vocabulary on first use)
            // while this request's socket thread goes back to reading others; the record is complete, with its
            // counts, when this returns.
            await TokenCountingQueue.Shared.CountAsync(() => CountTokens(record, request, accumulator, TokenCounter.ForEncoding(encoding))).ConfigureAwait(false);
        }

        UsageCheck.Apply(record, request.MaxTokens, accumulator.UsageIssue);
        if (request.CaptureAnswer)
        {
            // The text the protocol's accumulator already gathered (content only, not reasoning), whatever the outcome.
            record.AnswerText = accumulator.Content;
        }

        return record;
    }

    /// <summary>The request as this client puts it on the wire (<see cref="ChatClientOptions.UseMaxCompletionTokens"/>
    /// applied): what a batch input line's <c>body</c> must carry to ask what <see cref="SendAsync"/> would.</summary>
    public ChatRequest ForWire(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _useMaxCompletionTokens && !request.UseMaxCompletionTokens ? request with { UseMaxCompletionTokens = true } : request;
    }

    /// <summary>Writes <paramref name="request"/>'s body exactly as <see cref="SendAsync"/> sends it: <see
    /// cref="ForWire"/> applied, the model by the target's name (<see cref="Endpoint.WireModel"/>), in the endpoint's
    /// protocol, with the target's body fields. A batch input line's <c>body</c> is this (batch-api is openai-chat
    /// only).</summary>
    /// <param name="destination">Receives UTF-8 JSON.</param>
    /// <param name="request">The request, by the catalogue's model name.</param>
    public void WriteBody(System.Buffers.IBufferWriter<byte> destination, ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(destination);
        request = ForWire(request);
        var wireModel = _endpoint.WireModel(request.Model);
        RequestWriters.Write(_endpoint.Protocol, destination, wireModel == request.Model ? request : request with { Model = wireModel }, _endpoint.BodyFields);
    }

    /// <summary>
    /// Judges one line of a Batch API output or error file that carried an HTTP answer (<c>response.status_code</c> and
    /// <c>body</c>) by the rules of a non-streaming answer (see the remarks of <see cref="ChatClient"/>): 2xx → the body
    /// read as a <c>chat.completion</c> (success, empty_response, provider_error or malformed; tokens from its
    /// <c>usage</c> through <see cref="UsageCheck"/>, the local tokenizer's counts beside them), 429 → rate_limited,
    /// 5xx → server_error, other → client_error with the body's error type, code and message. Sets
    /// <see cref="RequestRecord.HttpStatus"/>, the outcome, error, finish reason, token counts and character counts; no
    /// time (a batch line has none of its own).
    /// </summary>
    /// <param name="record">The line's record (id, model, mode, times set by the caller).</param>
    /// <param name="request">The request the line asked (<c>BuildRequest(id, model, NonStreaming)</c>), for the local
    /// prompt count and <c>max_tokens</c>.</param>
    /// <param name="statusCode">The line's <c>response.status_code</c>.</param>
    /// <param name="body">The line's <c>response.body</c> as raw JSON (empty when absent).</param>
    public void JudgeBatchLine(RequestRecord record, ChatRequest request, int statusCode, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(request);
        record.HttpStatus = statusCode;
        var accumulator = new StreamAccumulator();
        if (statusCode is < 200 or > 299)
        {
            record.Outcome = ClassifyStatus((HttpStatusCode)statusCode);
            record.Error = Redact(new ErrorInfo(null, null, $"HTTP {statusCode}"));
            var head = body.Length > _maxErrorBodyBytes ? body[.._maxErrorBodyBytes] : body;
            SayWhyFromErrorBody(record, head, ended: head.Length == body.Length);
        }
        else if (body.Length > _maxResponseBytes)
        {
            accumulator.NoteBodyHead(body);
            SetMalformed(record, $"the body exceeded the {ResponseCaps.Format(_maxResponseBytes)} cap (max_response_bytes)");
        }
        else
        {
            accumulator.NoteBodyHead(body);
            accumulator.OnCompletion(body);
            ClassifyCompletion(record, accumulator);
        }

        CopyAnswer(record, accumulator);
        if (EncodingFor(record, request) is { } encoding)
        {
            CountTokens(record, request, accumulator, TokenCounter.ForEncoding(encoding));
        }

        UsageCheck.Apply(record, request.MaxTokens, accumulator.UsageIssue);
    }

    /// <summary>A send or a read ended in an exception: a timeout of <see cref="RequestDeadlines"/> (named by
    /// <paramref name="fired"/>) is <see cref="Outcome.Timeout"/>; the handler's connect timeout and every other failure
    /// before a response are <see cref="Outcome.ConnectionError"/> (the endpoint could not be reached or broke the
    /// connection), unless Bench's own machine ran out of a resource (<see cref="ClientFailures.IsLocal(Exception)"/>:
    /// <see cref="Outcome.LocalError"/>); a failure after the status is <see cref="Outcome.StreamInterrupted"/>.
    /// <paramref name="attempt"/> (from <see cref="BenchHttpClient"/>'s handler, else null) says whether the request was
    /// sent again on a fresh connection and whether it was ever written to one.</summary>
    private void FailOnException(RequestRecord record, Exception ex, string? fired, ConnectionAttempt? attempt)
    {
        record.ConnectionRetried = attempt?.IsRetry == true;
        if (fired is not null)
        {
            // A timeout before the request reached any connection (still connecting, or no connection free) says so: the
            // endpoint never saw it.
            Fail(record, Outcome.Timeout, attempt is { Written: false } && record.HttpStatus is null
                ? $"{fired} The request was never sent: no connection was ready."
                : fired);
        }
        else if (ex is OperationCanceledException && ex.InnerException is TimeoutException)
        {
            // SocketsHttpHandler's own ConnectTimeout (the TLS handshake's bound): no connection was made.
            Fail(record, Outcome.ConnectionError, $"{ClientFailures.Describe(ex.InnerException)} ({_endpoint.BaseAddress.Authority})");
        }
        else if (ex is OperationCanceledException)
        {
            Fail(record, Outcome.Timeout, $"No complete response within {_timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.");
        }
        else if (ClientFailures.IsLocal(ex))
        {
            Fail(record, Outcome.LocalError, $"Bench's own machine failed the request: {ClientFailures.Describe(ex)}");
        }
        else
        {
            // No status: the request never got a response. A status: the body broke off after it.
            var retried = record.ConnectionRetried && record.HttpStatus is null
                ? " (retried once on a fresh connection after the reused pooled one failed before any response byte)"
                : "";
            Fail(record, record.HttpStatus is null ? Outcome.ConnectionError : Outcome.StreamInterrupted, ClientFailures.Describe(ex) + retried);
        }
    }

    /// <summary>The request's last attempt when <see cref="BenchHttpClient"/>'s handler sent it; else null.</summary>
    private static ConnectionAttempt? Attempt(HttpRequestMessage message) =>
        message.Options.TryGetValue(KeepAliveRetryHandler.AttemptKey, out var attempt) ? attempt : null;

    private static void CheckTimeout(TimeSpan? timeout, string name)
    {
        if (timeout is { } value && (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException("options", value, $"{name} must be positive and at most int.MaxValue milliseconds.");
        }
    }

    /// <summary>The header carrying a request's seed for protocols whose body has no seed field (the Responses API,
    /// Anthropic Messages): <c>X-Bench-Seed</c>.</summary>
    public const string SeedHeader = "X-Bench-Seed";

    private HttpRequestMessage CreateMessage(Mode mode, string wireModel, RequestContext context, PooledBufferWriter body)
    {
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var message = new HttpRequestMessage(HttpMethod.Post, _endpoint.RequestUri(mode, wireModel)) { Content = content };
        message.Headers.TryAddWithoutValidation("Accept", mode == Mode.Streaming ? "text/event-stream" : "application/json");
        message.Headers.TryAddWithoutValidation("X-Bench-Request-Id", context.Id.ToString(CultureInfo.InvariantCulture));
        if (context.Attempt > 1)
        {
            // The first send carries none, so a server that logs headers sees Bench's plain requests unchanged.
            message.Headers.TryAddWithoutValidation("X-Bench-Attempt", context.Attempt.ToString(CultureInfo.InvariantCulture));
        }

        // The key in the protocol's header, then the target's extra headers (which replace Bench's Accept, should they
        // name it).
        _endpoint.ApplyHeaders(message);
        return message;
    }

    /// <summary>Reads the body of a response whose headers arrived and classifies it (see the remarks of
    /// <see cref="ChatClient"/>). A body that breaks off after its first byte is classified here; the caller's
    /// cancellation and the timeout propagate.</summary>
    private async Task ReadResponseAsync(RequestRecord record, Mode mode, HttpResponseMessage response, StreamAccumulator accumulator, RequestDeadlines deadlines)
    {
        // Every read of the body runs under the first-byte and idle deadlines.
        var cancellationToken = deadlines.Token;
        var stream = deadlines.Watch(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        if (!response.IsSuccessStatusCode)
        {
            await ReadErrorAsync(record, response, stream, accumulator, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Bench sends no Accept-Encoding and its handler decodes nothing: a compressed body is not what was asked for.
        if (response.Content.Headers.ContentEncoding.FirstOrDefault(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase)) is { } encoding)
        {
            SetMalformed(record, $"the body is compressed (Content-Encoding: {encoding}) although none was asked for; Bench does not decode it");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        try
        {
            if (mode == Mode.Streaming && mediaType is not null && !IsMediaType(mediaType, "text/event-stream"))
            {
                await ReadNotAnEventStreamAsync(record, mediaType, stream, accumulator, cancellationToken).ConfigureAwait(false);
            }
            else if (mode == Mode.Streaming)
            {
                await ChatStreamReader.ReadAsync(stream, accumulator, _clock.TimeProvider, _maxEventBytes, endAtCap: true, cancellationToken).ConfigureAwait(false);
                ClassifyStream(record, accumulator);
            }
            else
            {
                await ChatCompletionReader.ReadAsync(stream, accumulator, _clock.TimeProvider, _maxResponseBytes, cancellationToken).ConfigureAwait(false);
                ClassifyCompletion(record, accumulator);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            ClassifyBroken(record, mode, accumulator, ex.Message);
        }
    }

    /// <summary>A non-2xx response: the status decides the outcome, the body (OpenAI's <c>{"error":{…}}</c>, else its
    /// text, an HTML page's title) says why. Only the first <see cref="ChatClientOptions.MaxErrorBodyBytes"/> are read;
    /// a body that breaks off keeps what arrived.</summary>
    private async Task ReadErrorAsync(RequestRecord record, HttpResponseMessage response, Stream stream, StreamAccumulator accumulator, CancellationToken cancellationToken)
    {
        record.Outcome = ClassifyStatus(response.StatusCode);
        record.Error = Redact(new ErrorInfo(null, null, $"HTTP {record.HttpStatus} {response.ReasonPhrase}"));
        using var body = new PooledBufferWriter(Math.Min(_maxErrorBodyBytes, 4096));
        var ended = false;
        try
        {
            ended = await ChatCompletionReader.ReadBodyAsync(stream, accumulator, body, _clock.TimeProvider, _maxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            // The status already says what failed; keep what of the body arrived.
        }

        SayWhyFromErrorBody(record, body.WrittenSpan, ended);
    }

    /// <summary>What an error answer's body says, into <see cref="RequestRecord.Error"/>: OpenAI's <c>{"error":{…}}</c>,
    /// else its readable text (an HTML page's title); nothing when the body is empty, keeping the status line already
    /// there. Used for a synchronous error response and for a batch line's error answer alike.</summary>
    /// <param name="record">The record whose error to fill.</param>
    /// <param name="body">The body's first bytes (at most <see cref="ChatClientOptions.MaxErrorBodyBytes"/>).</param>
    /// <param name="ended">True when <paramref name="body"/> is the whole body.</param>
    private void SayWhyFromErrorBody(RequestRecord record, ReadOnlySpan<byte> body, bool ended)
    {
        if (ErrorBodies.Read(_endpoint.Protocol, body, ended) is { } error)
        {
            record.Error = Redact(error);
        }
        else if (BodyDescription.Significant(body).Length > 0)
        {
            record.Error = Redact(new ErrorInfo(null, null, BodyDescription.ReadableText(body, !ended, MaxMaskedChars)));
        }
    }

    /// <summary>A streaming request answered with a Content-Type that is not <c>text/event-stream</c>: a JSON body is
    /// read (capped) for an error object, anything else only for a description of what it is.</summary>
    private async Task ReadNotAnEventStreamAsync(RequestRecord record, string mediaType, Stream stream, StreamAccumulator accumulator, CancellationToken cancellationToken)
    {
        var json = IsMediaType(mediaType, "application/json") || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        using var body = new PooledBufferWriter(4096);
        var ended = await ChatCompletionReader.ReadBodyAsync(stream, accumulator, body, _clock.TimeProvider, json ? _maxResponseBytes : _maxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        accumulator.NoteBodyHead(body.WrittenSpan);
        if (json && ended && ErrorBodies.Read(_endpoint.Protocol, body.WrittenSpan, complete: true) is { } error)
        {
            accumulator.Error = error;
            _ = ChunkParser.TryReadError(body.WrittenSpan, out var codeIsNumber);
            accumulator.ErrorCodeIsNumber = codeIsNumber;
            SetProviderError(record, error);
            return;
        }

        var what = BodyDescription.Sniff(accumulator.BodyHead);
        var text = what is "HTML" or "XML or HTML" ? BodyDescription.ReadableText(body.WrittenSpan, !ended, MaxErrorChars) : null;
        SetMalformed(record, $"a streaming request was answered with Content-Type {mediaType}, not text/event-stream: "
            + (what == "nothing" ? "an empty body" : text is { Length: > 0 } ? $"{what} ('{text}')" : what));
    }

    private static bool IsMediaType(string mediaType, string expected) => mediaType.Equals(expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>What each event of a stream of <paramref name="protocol"/> should be, for messages.</summary>
    private static string ChunkName(WireProtocol protocol) => protocol switch
    {
        WireProtocol.OpenAiResponses => "Responses API",
        WireProtocol.AnthropicMessages => "Anthropic Messages",
        WireProtocol.Gemini => "GenerateContentResponse",
        _ => "chat.completion.chunk",
    };

    /// <summary>What a whole body of <paramref name="protocol"/> should be, for messages.</summary>
    private static string BodyName(WireProtocol protocol) => protocol switch
    {
        WireProtocol.OpenAiResponses => "Responses API response",
        WireProtocol.AnthropicMessages => "Anthropic message",
        WireProtocol.Gemini => "GenerateContentResponse",
        _ => "chat.completion",
    };

    private static Outcome ClassifyStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => Outcome.RateLimited,
        >= HttpStatusCode.InternalServerError => Outcome.ServerError,
        _ => Outcome.ClientError,
    };

    private void ClassifyStream(RequestRecord record, StreamAccumulator accumulator)
    {
        if (accumulator.Error is { } error)
        {
            SetProviderError(record, error);
        }
        else if (accumulator.Malformed)
        {
            SetMalformed(record, accumulator.ExceededCap ? accumulator.MalformedReason! : accumulator.MalformedReason is { } reason
                ? $"the stream was not {ChunkName(accumulator.Protocol)} events: {reason}"
                : $"an event was not a {ChunkName(accumulator.Protocol)} JSON object");
        }
        else if (accumulator.Events == 0 && accumulator.FirstBodyByte is null)
        {
            SetEmpty(record, "the response body was empty: no events");
        }
        else if (accumulator.Events == 0 && accumulator.SawNonSseLine)
        {
            SetMalformed(record, $"the body is not Server-Sent Events: {BodyDescription.Sniff(accumulator.BodyHead)} with no 'data:' event");
        }
        else if (accumulator.OnlyOrdinaryEnd && accumulator.Done && accumulator.Error is null)
        {
            SetEmpty(record, $"the stream ended as every answer does ('{accumulator.FinishReason}') without saying anything");
        }
        else if (!accumulator.HasOutput && accumulator.FinishReason is null && (accumulator.Done || accumulator.HasUsage))
        {
            // Ended as a complete stream ([DONE], or a usage chunk) but said nothing.
            SetEmpty(record, accumulator.Events == 1 && accumulator.Done ? "data: [DONE] alone" : "only role or usage chunks before the end");
        }
        else if (accumulator.Done || accumulator.FinishReason is not null)
        {
            // A stream that ends without [DONE] after a finish reason is complete (some servers omit [DONE]).
            record.Outcome = Outcome.Success;
        }
        else
        {
            record.Outcome = Outcome.StreamInterrupted;
            record.Error = new ErrorInfo(Names.Of(Outcome.StreamInterrupted), null, "The stream ended without [DONE] or a finish reason.");
        }
    }

    private void ClassifyCompletion(RequestRecord record, StreamAccumulator accumulator)
    {
        if (accumulator.Error is { } error)
        {
            SetProviderError(record, error);
        }
        else if (accumulator.Malformed)
        {
            var head = accumulator.BodyHead;
            var what = head.Length > 0 && head[0] is not (byte)'{' ? $" ({BodyDescription.Sniff(head)})" : "";
            SetMalformed(record, accumulator.ExceededCap ? accumulator.MalformedReason! : accumulator.MalformedReason is { } reason
                ? $"the body was not a {BodyName(accumulator.Protocol)} JSON object{what}: {reason}"
                : $"the body was not a {BodyName(accumulator.Protocol)} JSON object{what}");
        }
        else if (accumulator.OnlyOrdinaryEnd && accumulator.Error is null)
        {
            SetEmpty(record, $"an answer that ends as every answer does ('{accumulator.FinishReason}') with nothing in it");
        }
        else if (!accumulator.HasOutput && accumulator.FinishReason is null)
        {
            SetEmpty(record, accumulator.SawChoices ? "no choice, or a choice without content, tool call or finish reason" : "no choices");
        }
        else
        {
            record.Outcome = Outcome.Success;
        }
    }

    /// <summary>A 2xx body that broke off (connection reset or closed mid-body): an error the server had reported, or a
    /// body that was already not the protocol's, says more than the break.</summary>
    private void ClassifyBroken(RequestRecord record, Mode mode, StreamAccumulator accumulator, string message)
    {
        if (accumulator.Error is { } error)
        {
            SetProviderError(record, error);
        }
        else if (accumulator.Malformed)
        {
            SetMalformed(record, $"{accumulator.MalformedReason}; then the connection broke: {message}");
        }
        else if (mode == Mode.Streaming && accumulator.Events == 0 && accumulator.SawNonSseLine)
        {
            SetMalformed(record, $"the body is not Server-Sent Events: {BodyDescription.Sniff(accumulator.BodyHead)}; then the connection broke: {message}");
        }
        else
        {
            record.Outcome = Outcome.StreamInterrupted;
            record.Error = new ErrorInfo(Names.Of(Outcome.StreamInterrupted), null, Truncate(Mask(message)));
        }
    }

    private void SetProviderError(RequestRecord record, ErrorInfo error)
    {
        record.Outcome = Outcome.ProviderError;
        record.Error = error is { Type: null, Code: null, Message: null }
            ? new ErrorInfo(null, null, "an error object without type, code or message")
            : Redact(error);
    }

    private void SetMalformed(RequestRecord record, string reason)
    {
        record.Outcome = Outcome.Malformed;
        record.Error = new ErrorInfo(Names.Of(Outcome.Malformed), null, Truncate(Mask(Capitalize(reason) + ".")));
    }

    private static void SetEmpty(RequestRecord record, string detail)
    {
        record.Outcome = Outcome.EmptyResponse;
        record.Error = new ErrorInfo(Names.Of(Outcome.EmptyResponse), null,
            $"The response carried no content, reasoning or tool call and no finish reason that explains it ({detail}).");
    }

    private static string Capitalize(string text) =>
        text.Length > 0 && char.IsLower(text[0]) ? string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1)) : text;

    /// <summary>Records a failure seen as an exception (the record then ends when it is completed, just after). A
    /// non-2xx status that already failed the request keeps its outcome and error.</summary>
    private void Fail(RequestRecord record, Outcome outcome, string message)
    {
        if (record.HttpStatus is int status && status is < 200 or > 299)
        {
            return;
        }

        record.Outcome = outcome;
        record.Error = new ErrorInfo(Names.Of(outcome), null, Truncate(Mask(message)));
    }

    private void Complete(RequestRecord record, StreamAccumulator accumulator)
    {
        record.EndMs = _clock.ToMs(accumulator.EndTimestamp ?? _clock.GetTimestamp());
        record.FirstByteMs = ToMs(accumulator.FirstByteTimestamp);
        if (record.Mode == Mode.Streaming)
        {
            record.FirstTokenMs = ToMs(accumulator.FirstTokenTimestamp);
            record.FirstOutputTokenMs = ToMs(accumulator.FirstOutputTokenTimestamp);
            record.LastTokenMs = ToMs(accumulator.LastTokenTimestamp);
            var events = accumulator.TokenEventTimestamps;
            record.TokenEventsMs.EnsureCapacity(events.Count);
            for (var i = 0; i < events.Count; i++)
            {
                record.TokenEventsMs.Add(_clock.ToMs(events[i]));
            }

            // The times are copied: the pooled array goes back for the next stream (the reading has ended).
            accumulator.ReleaseTokenEventTimestamps();
        }

        CopyAnswer(record, accumulator);
    }

    /// <summary>What the answer said, without times: finish reason, usage, character counts.</summary>
    private static void CopyAnswer(RequestRecord record, StreamAccumulator accumulator)
    {
        record.FinishReason = accumulator.FinishReason;
        record.PromptTokens = accumulator.PromptTokens;
        record.CompletionTokens = accumulator.CompletionTokens;
        record.ReasoningTokens = accumulator.ReasoningTokens;
        record.CachedTokens = accumulator.CachedTokens;
        record.CacheWriteTokens = accumulator.CacheWriteTokens;
        record.TokensSource = accumulator.HasUsage ? TokenSources.Usage : TokenSources.None;
        record.Events = accumulator.Events;
        record.ContentChars = accumulator.ContentChars;
        record.ReasoningChars = accumulator.ReasoningChars;
    }

    /// <summary>The encoding to count <paramref name="request"/>'s prompt and answer with when they are to be counted
    /// locally: a 2xx response arrived (a refused or failed request generated nothing to count) and the tokenizer is
    /// not <c>none</c>; else <see langword="null"/>.</summary>
    private string? EncodingFor(RequestRecord record, ChatRequest request)
    {
        var tokenizer = _modelTokenizers?.GetValueOrDefault(request.Model) ?? _tokenizer;
        if (tokenizer == TokenEncodings.None || record.HttpStatus is not (>= 200 and <= 299))
        {
            return null;
        }

        return tokenizer ?? TokenEncodings.ForModel(request.Model);
    }

    /// <summary>Counts the prompt and the received text locally with <paramref name="counter"/>; the counts replace
    /// missing server usage.</summary>
    private static void CountTokens(RequestRecord record, ChatRequest request, StreamAccumulator accumulator, TokenCounter counter)
    {
        var completion = counter.CountCompletion(accumulator);
        record.TokenizerEncoding = counter.Encoding;
        record.TokenizerPromptTokens = counter.CountPrompt(request.Messages, out var promptEstimated);
        record.TokenizerCountEstimated = promptEstimated || completion.Estimated ? true : null;
        record.TokenizerCompletionTokens = completion.CompletionTokens;
        if (!accumulator.HasUsage)
        {
            record.PromptTokens = record.TokenizerPromptTokens;
            record.CompletionTokens = completion.CompletionTokens;
            record.ReasoningTokens = accumulator.ReasoningChars > 0 ? completion.ReasoningTokens : null;
            record.TokensSource = TokenSources.Tokenizer;
        }
    }

    private double? ToMs(long? timestamp) => timestamp is { } t ? _clock.ToMs(t) : null;

    /// <summary>The server's error as a record keeps it: key masked first, then cut to length.</summary>
    private ErrorInfo Redact(ErrorInfo error) =>
        new(Truncate(Mask(error.Type)), Truncate(Mask(error.Code)), Truncate(Mask(error.Message)));

    /// <summary>Cuts <paramref name="text"/> to <see cref="MaxErrorChars"/>, not splitting a surrogate pair.</summary>
    private static string? Truncate(string? text)
    {
        if (text is null || text.Length <= MaxErrorChars)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[MaxErrorChars - 1]) ? MaxErrorChars - 1 : MaxErrorChars;
        return string.Concat(text.AsSpan(0, length), "…");
    }

    /// <summary>Masks the API key wherever a server or an exception echoed it, whole, case-changed or in part
    /// (<see cref="KeyMask"/>). A long text is first cut to <see cref="MaxMaskedChars"/> (never kept whole anyway).</summary>
    private string? Mask(string? text) =>
        _mask.Apply(text is { Length: > MaxMaskedChars } ? text[..MaxMaskedChars] : text);
}
