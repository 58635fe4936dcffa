using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Bench.Core.Records;
using Bench.Core.Tokens;
using Bench.Core.Wire;

namespace Bench.Core.Client;

/// <summary>
/// Sends one Chat Completions request, streaming or not, and returns a complete <see cref="RequestRecord"/>: every
/// time on the run clock, the HTTP status, the outcome, the finish reason and the <c>usage</c> counts.
/// </summary>
/// <remarks>
/// <para>Failures are classified, never thrown: the client's timeout → <see cref="Outcome.Timeout"/>; HTTP 429 →
/// <see cref="Outcome.RateLimited"/>; 5xx → <see cref="Outcome.ServerError"/>; any other non-2xx →
/// <see cref="Outcome.ClientError"/> (type, code and message from the OpenAI-shaped body, cut to 500 characters); no
/// response → <see cref="Outcome.ConnectionError"/>; a broken connection, an error event, or a stream that ends with
/// neither <c>[DONE]</c> nor a finish reason → <see cref="Outcome.StreamInterrupted"/>; a body or chunk that is not the
/// protocol's JSON → <see cref="Outcome.Malformed"/>. Only the caller's cancellation throws.</para>
/// <para>Token counts: the server's <c>usage</c> (asked for with <c>stream_options.include_usage</c>) is the source
/// of truth. Whenever a 2xx response arrived, the prompt and the received text are also counted locally
/// (<see cref="ChatClientOptions.Tokenizer"/>) into <see cref="RequestRecord.TokenizerPromptTokens"/> and
/// <see cref="RequestRecord.TokenizerCompletionTokens"/>; when the response had no usage those counts become the
/// record's, with <see cref="RequestRecord.TokensSource"/> <c>tokenizer</c>.</para>
/// <para>The API key never appears in a record: it is only written into the <c>Authorization</c> header and is masked
/// in every message kept from the server or from an exception.</para>
/// <para>Thread-safe: one client serves every concurrent request of a target.</para>
/// </remarks>
public sealed class ChatClient
{
    private const string Redacted = "***";

    /// <summary>Error texts kept in a record are cut to this many characters.</summary>
    private const int MaxErrorChars = 500;

    private readonly HttpClient _http;
    private readonly Endpoint _endpoint;
    private readonly RunClock _clock;
    private readonly TimeSpan _timeout;
    private readonly bool _useMaxCompletionTokens;
    private readonly string? _tokenizer;
    private readonly Dictionary<string, string>? _modelTokenizers;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>Creates a client.</summary>
    /// <param name="httpClient">Sends the requests; not disposed. Its own <see cref="HttpClient.Timeout"/> should be
    /// infinite (see <see cref="ChatClientOptions.Timeout"/>).</param>
    /// <param name="endpoint">Where to send them, with the API key.</param>
    /// <param name="clock">The run's clock, for every time in the records and for the request timeout (both on its
    /// <see cref="RunClock.TimeProvider"/>).</param>
    /// <param name="options">Timeout and wire options; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ChatClientOptions.Timeout"/> is not positive or exceeds
    /// <see cref="int.MaxValue"/> milliseconds.</exception>
    /// <exception cref="ArgumentException"><see cref="ChatClientOptions.Tokenizer"/> or a value of
    /// <see cref="ChatClientOptions.ModelTokenizers"/> is not <c>o200k_base</c>, <c>cl100k_base</c>, <c>none</c> or
    /// <see langword="null"/>.</exception>
    public ChatClient(HttpClient httpClient, Endpoint endpoint, RunClock clock, ChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(clock);
        options ??= new ChatClientOptions();
        if (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "Timeout must be positive and at most int.MaxValue milliseconds.");
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
        _useMaxCompletionTokens = options.UseMaxCompletionTokens;
        _tokenizer = options.Tokenizer;
        _modelTokenizers = options.ModelTokenizers is { Count: > 0 } byModel ? new Dictionary<string, string>(byModel, StringComparer.Ordinal) : null;
        _authorization = endpoint.ApiKey is { } key ? new AuthenticationHeaderValue("Bearer", key) : null;
    }

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
        var accumulator = new StreamAccumulator();
        using var body = new PooledBufferWriter();
        ChatRequestWriter.Write(body, request);
        using var message = CreateMessage(request.Mode, context.Id, body);
        // The timeout runs on the run clock's provider, so it is as exact as every other time in the record.
        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _clock.TimeProvider);
        using var linked = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);

        HttpResponseMessage? response = null;
        try
        {
            record.SentMs = _clock.NowMs();
            timeout.CancelAfter(_timeout);
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            record.HttpStatus = (int)response.StatusCode;
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                await ReadErrorAsync(record, response, stream, accumulator, timeout.Token).ConfigureAwait(false);
            }
            else if (request.Mode == Mode.Streaming)
            {
                await ChatStreamReader.ReadAsync(stream, accumulator, _clock.TimeProvider, timeout.Token).ConfigureAwait(false);
                ClassifyStream(record, accumulator);
            }
            else
            {
                await ChatCompletionReader.ReadAsync(stream, accumulator, _clock.TimeProvider, timeout.Token).ConfigureAwait(false);
                ClassifyCompletion(record, accumulator);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Fail(record, Outcome.Timeout, $"No complete response within {_timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            // No status: the request never got a response. A status: the body broke off after it.
            Fail(record, record.HttpStatus is null ? Outcome.ConnectionError : Outcome.StreamInterrupted, ex.Message);
        }
        finally
        {
            response?.Dispose();
        }

        Complete(record, accumulator);
        CountTokens(record, request, accumulator);
        UsageCheck.Apply(record, request.MaxTokens, accumulator.UsageIssue);
        return record;
    }

    private HttpRequestMessage CreateMessage(Mode mode, long id, PooledBufferWriter body)
    {
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var message = new HttpRequestMessage(HttpMethod.Post, _endpoint.ChatCompletionsUri) { Content = content };
        message.Headers.Authorization = _authorization;
        message.Headers.TryAddWithoutValidation("Accept", mode == Mode.Streaming ? "text/event-stream" : "application/json");
        message.Headers.TryAddWithoutValidation("X-Bench-Request-Id", id.ToString(CultureInfo.InvariantCulture));
        return message;
    }

    /// <summary>A non-2xx response: the status decides the outcome, the body (OpenAI's <c>{"error":{…}}</c>, else its
    /// text) says why.</summary>
    private async Task ReadErrorAsync(RequestRecord record, HttpResponseMessage response, Stream stream, StreamAccumulator accumulator, CancellationToken cancellationToken)
    {
        record.Outcome = ClassifyStatus(response.StatusCode);
        record.Error = Redact(new ErrorInfo(null, null, $"HTTP {record.HttpStatus} {response.ReasonPhrase}"));
        using var body = new PooledBufferWriter();
        await ChatCompletionReader.ReadBodyAsync(stream, accumulator, body, _clock.TimeProvider, cancellationToken).ConfigureAwait(false);
        if (ChunkParser.TryReadError(body.WrittenSpan) is { } error)
        {
            record.Error = Redact(error);
        }
        else if (body.WrittenSpan.Length > 0)
        {
            record.Error = Redact(ChunkParser.RawError(body.WrittenSpan));
        }
    }

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
            record.Outcome = Outcome.StreamInterrupted;
            record.Error = Redact(error);
        }
        else if (accumulator.Malformed)
        {
            record.Outcome = Outcome.Malformed;
            record.Error = new ErrorInfo(Names.Of(Outcome.Malformed), null, Truncate(Mask(accumulator.MalformedReason is { } reason
                ? $"The stream was not chat.completion.chunk events: {reason}."
                : "An event was not a chat.completion.chunk JSON object.")));
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
        if (accumulator.Malformed)
        {
            record.Outcome = Outcome.Malformed;
            record.Error = accumulator.Error is { } error
                ? Redact(error)
                : new ErrorInfo(Names.Of(Outcome.Malformed), null, Truncate(Mask(accumulator.MalformedReason is { } reason
                    ? $"The body was not a chat.completion JSON object: {reason}."
                    : "The body was not a chat.completion JSON object.")));
        }
        else
        {
            record.Outcome = Outcome.Success;
        }
    }

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
        }

        record.FinishReason = accumulator.FinishReason;
        record.PromptTokens = accumulator.PromptTokens;
        record.CompletionTokens = accumulator.CompletionTokens;
        record.ReasoningTokens = accumulator.ReasoningTokens;
        record.CachedTokens = accumulator.CachedTokens;
        record.TokensSource = accumulator.HasUsage ? TokenSources.Usage : TokenSources.None;
        record.Events = accumulator.Events;
        record.ContentChars = accumulator.ContentChars;
        record.ReasoningChars = accumulator.ReasoningChars;
    }

    /// <summary>Counts the prompt and the received text locally when a 2xx response arrived (a refused or failed request
    /// generated nothing to count); the counts replace missing server usage.</summary>
    private void CountTokens(RequestRecord record, ChatRequest request, StreamAccumulator accumulator)
    {
        var tokenizer = _modelTokenizers?.GetValueOrDefault(request.Model) ?? _tokenizer;
        if (tokenizer == TokenEncodings.None || record.HttpStatus is not (>= 200 and <= 299))
        {
            return;
        }

        var counter = tokenizer is null ? TokenCounter.ForModel(request.Model) : TokenCounter.ForEncoding(tokenizer);
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

    /// <summary>Masks the API key wherever a server or an exception echoed it.</summary>
    private string? Mask(string? text) =>
        _endpoint.ApiKey is { } key && text is not null && text.Contains(key, StringComparison.Ordinal)
            ? text.Replace(key, Redacted, StringComparison.Ordinal)
            : text;
}
