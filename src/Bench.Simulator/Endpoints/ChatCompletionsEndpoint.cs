using System.Collections.Frozen;
using System.Text.Json;
using System.Buffers;
using System.Globalization;
using Bench.Core.Faults;
using Bench.Core.Wire;
using Bench.Simulator.Caching;
using Bench.Simulator.Faults;
using Bench.Simulator.Generation;
using Bench.Simulator.Hosting;
using Bench.Simulator.Replay;
using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>, and the same answer in the other wire protocols — <c>POST /v1/responses</c>
/// (OpenAI Responses), <c>POST /v1/messages</c> (Anthropic Messages), <c>POST /v1/models/{model}:generateContent</c>
/// and <c>:streamGenerateContent?alt=sse</c> (Gemini) —: reads the request in its protocol
/// (<see cref="WireRequests"/>), draws a <see cref="CompletionPlan"/> for the request, then answers with a fault,
/// one JSON object (non-streaming) or Server-Sent Events (streaming), each event at its absolute deadline from the
/// start of the request's clock: its arrival, or, for a model with a capacity limit whose slots are all taken, when it
/// gets one. A replay profile answers with a recorded stream instead of generated text (<see cref="ReplayResponses"/>).
/// Protocols differ only in framing (<see cref="AnswerWriter"/>) and error shapes (<see cref="ApiError"/>): the same
/// request (model, seed, limits, prompt) gets the same plan — timing, tokens, fault — in every protocol. Recordings are
/// chat streams: a replay profile answers the other protocols with generated text on the same plan.
/// </summary>
internal sealed class ChatCompletionsEndpoint
{
    /// <summary>Header whose value is echoed in <see cref="ServerTiming.RequestId"/>.</summary>
    public const string RequestIdHeader = "X-Bench-Request-Id";

    private readonly FrozenDictionary<string, ProfileSampler> _samplers;
    private readonly int _seed;
    private readonly Action<ServerTiming>? _onCompleted;
    private readonly TimeProvider _time;
    private readonly FaultEngine _faults;
    private long _requestCount;

    /// <summary>Header of the attempt number (1 when absent).</summary>
    public const string AttemptHeader = "X-Bench-Attempt";

    /// <summary>Serves <paramref name="samplers"/> (keyed by model id), pacing and stamping every response on
    /// <paramref name="timeProvider"/> (whose timestamp frequency the samplers draw in), with the faults and rate
    /// limits of <paramref name="faults"/>.</summary>
    public ChatCompletionsEndpoint(
        FrozenDictionary<string, ProfileSampler> samplers, int seed, Action<ServerTiming>? onCompleted, TimeProvider timeProvider, FaultEngine faults)
    {
        _time = timeProvider;
        _faults = faults;
        _samplers = samplers;
        _seed = seed;
        _onCompleted = onCompleted;
    }

    /// <summary>Requests for a served model taken so far (read, their model found, their plan about to be drawn).</summary>
    public long RequestsTaken => Interlocked.Read(ref _requestCount);

    /// <summary>Handles one request (authentication has been checked). Reports <see cref="ServerTiming"/> exactly once
    /// for a request that names a served model, whatever happens to it; never for a 400 or 404.</summary>
    public Task HandleAsync(HttpContext context) => HandleAsync(context, WireProtocol.OpenAiChat, null, false);

    /// <summary><c>POST /v1/responses</c> (see <see cref="HandleAsync(HttpContext)"/>).</summary>
    public Task HandleResponsesAsync(HttpContext context) => HandleAsync(context, WireProtocol.OpenAiResponses, null, false);

    /// <summary><c>POST /v1/messages</c> (see <see cref="HandleAsync(HttpContext)"/>).</summary>
    public Task HandleMessagesAsync(HttpContext context) => HandleAsync(context, WireProtocol.AnthropicMessages, null, false);

    /// <summary><c>POST /v1/models/{model}:generateContent</c> and <c>:streamGenerateContent?alt=sse</c> (the route value
    /// <c>target</c> is <c>{model}:{method}</c>); another method, or streaming without <c>alt=sse</c>, is a 400 (the
    /// simulator streams Server-Sent Events only).</summary>
    public Task HandleGeminiAsync(HttpContext context)
    {
        var target = context.Request.RouteValues["target"] as string ?? "";
        var colon = target.LastIndexOf(':');
        var method = colon < 0 ? "" : target[(colon + 1)..];
        var stream = method == "streamGenerateContent";
        if (colon <= 0 || (!stream && method != "generateContent"))
        {
            return ApiError.InvalidValue("method", "models/{model}:generateContent or :streamGenerateContent")
                .WriteAsync(context.Response, WireProtocol.Gemini, context.RequestAborted);
        }

        if (stream && context.Request.Query["alt"] != "sse")
        {
            return ApiError.InvalidValue("alt", "sse (the simulator streams Server-Sent Events only)")
                .WriteAsync(context.Response, WireProtocol.Gemini, context.RequestAborted);
        }

        return HandleAsync(context, WireProtocol.Gemini, target[..colon], stream);
    }

    private async Task HandleAsync(HttpContext context, WireProtocol protocol, string? pathModel, bool pathStream)
    {
        var received = _time.GetTimestamp();
        var aborted = context.RequestAborted;
        var response = context.Response;

        var (request, error) = await ReadRequestAsync(context.Request, protocol, pathModel, pathStream, aborted);
        if (request is null)
        {
            await error.WriteAsync(response, protocol, aborted);
            return;
        }

        if (!_samplers.TryGetValue(request.Model, out var sampler))
        {
            await ApiError.ModelNotFound(request.Model).WriteAsync(response, protocol, aborted);
            return;
        }

        var number = Interlocked.Increment(ref _requestCount);
        var requestSeed = RequestSeed.Derive(_seed, request.Model, request.Seed, number);
        var (random, plan, recording) = DrawAnswer(sampler, request, requestSeed);
        if (protocol != WireProtocol.OpenAiChat)
        {
            recording = null;
        }

        var progress = new ResponseProgress(_time) { StartedTimestamp = received };
        var requestId = context.Request.Headers.TryGetValue(RequestIdHeader, out var idHeader) ? idHeader.ToString() : null;
        var attempt = int.TryParse(context.Request.Headers[AttemptHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : 1;
        try
        {
            var refused = false;
            if (_faults.BucketsOf(request.Model) is { } buckets)
            {
                var admission = buckets.TryAdmit((long)request.PromptTokens + request.MaxTokens);
                admission.WriteHeaders(response.Headers);
                if (admission.RefusedBy is { } limit)
                {
                    refused = true;
                    _faults.RecordRateLimited(request.Model, request.Stream, limit, attempt, requestId);
                    await FaultResponses.RateLimitedByBucketAsync(response, request.Model, limit, admission, progress, protocol);
                }
            }

            var fault = refused ? null : _faults.Draw(request.Model, request.Stream, recording is not null, plan, requestSeed, attempt, requestId);
            switch (fault)
            {
                case null when refused:
                    break;
                case { Kind: FaultKind.RateLimited }:
                    await FaultResponses.RateLimitedAsync(response, fault, sampler.Profile.RateLimits, progress, protocol);
                    break;
                case { Kind: FaultKind.ServerError }:
                    await FaultResponses.ServerErrorAsync(response, fault, progress, protocol);
                    break;
                case { Kind: FaultKind.Overloaded }:
                    await FaultResponses.OverloadedAsync(response, progress, protocol);
                    break;
                case { Kind: FaultKind.ConnectionReset }:
                    FaultResponses.Drop(context, reset: true, progress);
                    break;
                case { Kind: FaultKind.HangBeforeHeaders }:
                    await Deadline.DelayUntilAsync(_time, received + FaultShaping.Ticks(fault.DurationS, _time), aborted);
                    progress.StartedTimestamp = _time.GetTimestamp();
                    await ServeAsync(context, protocol, request, sampler, plan, recording, random, number, progress);
                    break;
                default:
                    await ServeAsync(context, protocol, request, sampler, FaultShaping.Shape(plan, fault, _time), recording, random, number, progress);
                    break;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: report what was sent until then.
        }

        _onCompleted?.Invoke(new ServerTiming(
            requestId,
            request.Model,
            request.Stream,
            received,
            progress.StartedTimestamp,
            progress.FirstTokenTimestamp,
            progress.LastByteTimestamp ?? _time.GetTimestamp(),
            progress.CompletionTokens,
            response.StatusCode,
            progress.FinishReason));
    }

    /// <summary>A request's draws, in the one order every answer uses: its random source seeded with
    /// <paramref name="requestSeed"/>, the plan (<see cref="ProfileSampler.Draw"/>), then a replay profile's recording;
    /// the source is left where the answer's text starts.</summary>
    private static (Random Random, CompletionPlan Plan, RecordedStream? Recording) DrawAnswer(
        ProfileSampler sampler, ChatCompletionRequest request, int requestSeed)
    {
        var random = new Random(requestSeed);
        var plan = sampler.Draw(random, request.MaxTokens, request.IgnoreEos, request.MinTokens);
        return (random, plan, sampler.ChooseRecording(random, request.Seed));
    }

    /// <summary>
    /// The non-streaming answer to <paramref name="request"/> as this endpoint sends it when no fault is drawn — the
    /// same draws (<see cref="DrawAnswer"/>), the same text and the same <see cref="ChatCompletionWriter"/> object, or a
    /// replay profile's recorded answer — written into <paramref name="output"/> at once (no pacing). A Batch API line
    /// is answered with it, so a line with a <c>seed</c> gets the same answer as the same request sent synchronously.
    /// </summary>
    /// <param name="output">Where the JSON body goes.</param>
    /// <param name="sampler">The model's sampler.</param>
    /// <param name="request">The request (its <c>stream</c> is ignored: the answer is one object).</param>
    /// <param name="requestSeed">The request's seed (<see cref="RequestSeed.Derive(int, string, long?, long)"/>).</param>
    /// <param name="completionId">The <c>id</c> of the completion.</param>
    /// <param name="created">The <c>created</c> Unix seconds.</param>
    /// <returns>The HTTP status of the answer (200, or a recording's) and its completion tokens.</returns>
    internal static (int StatusCode, int CompletionTokens) WriteNonStreamingAnswer(
        System.Buffers.IBufferWriter<byte> output,
        ProfileSampler sampler,
        ChatCompletionRequest request,
        int requestSeed,
        string completionId,
        long created)
    {
        var (random, plan, recording) = DrawAnswer(sampler, request, requestSeed);
        if (recording is not null)
        {
            var answer = recording.Completion;
            output.Write(answer.Body);
            return (answer.StatusCode, answer.TokenEventsBefore > 0 ? recording.CumulativeTokens[answer.TokenEventsBefore - 1] : 0);
        }

        using var writer = new ChatCompletionWriter(output, completionId, request.Model, created, new PromptUsage(request.PromptTokens), includeUsage: false);
        using var text = new AnswerText(random, plan.CompletionTokens);
        text.Append(plan.CompletionTokens);
        writer.WriteCompletion(text.Text, plan.CompletionTokens, plan.FinishReason);
        return (StatusCodes.Status200OK, plan.CompletionTokens);
    }

    private static async Task<(ChatCompletionRequest? Request, ApiError Error)> ReadRequestAsync(
        HttpRequest httpRequest, WireProtocol protocol, string? pathModel, bool pathStream, CancellationToken cancellationToken)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(httpRequest.Body, default, cancellationToken);
            if (!WireRequests.TryRead(protocol, body.RootElement, pathModel, pathStream, out var request, out var error))
            {
                return (null, error);
            }

            // Bench's client sends the seed of a Responses or Anthropic request (whose bodies have none) as a header.
            return request!.Seed is null && long.TryParse(httpRequest.Headers[Core.Client.ChatClient.SeedHeader], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
                ? (request.WithSeed(seed), default)
                : (request, default);
        }
        catch (JsonException)
        {
            return (null, ApiError.InvalidJson);
        }
    }

    /// <summary>
    /// Takes one of the model's slots when it has a capacity limit (waiting in turn when they are all taken; the clock
    /// then starts when the slot is granted, so the wait is part of TTFT and E2E), answers, and frees the slot once the
    /// response has ended or been abandoned.
    /// </summary>
    private static async Task ServeAsync(
        HttpContext context,
        WireProtocol protocol,
        ChatCompletionRequest request,
        ProfileSampler sampler,
        CompletionPlan plan,
        RecordedStream? recording,
        Random random,
        long number,
        ResponseProgress progress)
    {
        var gate = sampler.Capacity;
        if (gate is not null && !await gate.EnterAsync(context.RequestAborted))
        {
            progress.StartedTimestamp = progress.TimeProvider.GetTimestamp();
        }

        var started = progress.StartedTimestamp;
        try
        {
            if (recording is null)
            {
                // The prompt meets the prefix cache when it is served (after any wait for a slot): what is cached is
                // read, the rest written, and the first token comes sooner by the prefill the cached tokens skip.
                var usage = request.Cacheable && sampler.Cache is { } cache
                    ? cache.Use(request.PromptIds, request.PromptTokens)
                    : new PromptUsage(request.PromptTokens);
                plan = sampler.Prefill(plan, usage.CachedTokens);
                await AnswerAsync(context, protocol, request, usage, sampler.Profile.TokensPerChunk, plan, random, number, started, progress);
            }
            else if (request.Stream)
            {
                var replayed = request.IncludeUsage ? recording : recording.WithoutUsageChunk;
                await ReplayResponses.StreamAsync(context, replayed, plan, started, progress);
            }
            else
            {
                await ReplayResponses.CompleteAsync(context.Response, recording, plan, started, progress);
            }
        }
        finally
        {
            gate?.Exit();
        }
    }

    private static async Task AnswerAsync(
        HttpContext context,
        WireProtocol protocol,
        ChatCompletionRequest request,
        PromptUsage usage,
        int tokensPerChunk,
        CompletionPlan plan,
        Random random,
        long number,
        long started,
        ResponseProgress progress)
    {
        using var writer = AnswerWriter.Create(
            protocol,
            context.Response.BodyWriter,
            number,
            request.Model,
            progress.TimeProvider.GetUtcNow().ToUnixTimeSeconds(),
            usage,
            request.IncludeUsage);
        using var text = new AnswerText(random, request.Stream ? tokensPerChunk : plan.CompletionTokens);
        if (request.Stream)
        {
            await StreamAsync(context, writer, text, plan, started, tokensPerChunk, request.IncludeUsage, progress);
        }
        else
        {
            await CompleteAsync(context.Response, writer, text, plan, started, tokensPerChunk, progress);
        }
    }

    /// <summary>Non-streaming: generates the answer, waits until its last token would have been streamed
    /// (<see cref="CompletionPlan.CompletionDeadline"/>: <c>TTFT + (n − 1) / rate</c> with one token per chunk, plus
    /// any pause), then writes the whole object. Faults: a hang before the first token sends the headers at once; a
    /// disconnect sends the headers and the first <c>at</c> of the body's bytes when <c>⌊n × at⌋</c> tokens are done and
    /// drops the connection when the rest was due; a malformed chunk sends the body cut at <c>at</c> of its bytes and
    /// ends the response cleanly; an empty answer is <c>"choices": []</c>; an error mid-stream is a 200
    /// whose body is an error object; absurd usage claims a billion completion tokens.</summary>
    private static async Task CompleteAsync(
        HttpResponse response,
        AnswerWriter writer,
        AnswerText text,
        CompletionPlan plan,
        long started,
        int tokensPerChunk,
        ResponseProgress progress)
    {
        text.Append(plan.CompletionTokens);
        response.ContentType = "application/json";
        var aborted = response.HttpContext.RequestAborted;
        if (plan.Is(FaultKind.HangBeforeFirstToken) && !await progress.FlushAsync(response))
        {
            return;
        }

        var due = plan.CompletionDeadline(started, tokensPerChunk);
        if (plan.Is(FaultKind.Disconnect) || plan.Is(FaultKind.MalformedChunk))
        {
            // The body written aside; its first `at` of bytes go out when that part of the answer is done (a
            // disconnect: then the connection drops when the rest was due, as a stream's does at its next chunk).
            var whole = new ArrayBufferWriter<byte>();
            using (var aside = writer.Aside(whole))
            {
                aside.WriteCompletion(text.Text, plan.CompletionTokens, plan.FinishReason);
            }

            var disconnect = plan.Is(FaultKind.Disconnect);
            if (disconnect)
            {
                var partTokens = Math.Max(1, plan.FaultAfterTokens);
                await Deadline.DelayUntilAsync(progress.TimeProvider, plan.ChunkDeadline(started, partTokens, Math.Min(tokensPerChunk, partTokens)), aborted);
            }
            else
            {
                await Deadline.DelayUntilAsync(progress.TimeProvider, due, aborted);
            }

            var cut = Math.Clamp((int)(whole.WrittenCount * plan.Fault!.At), 1, whole.WrittenCount - 1);
            response.BodyWriter.Write(whole.WrittenSpan[..cut]);
            progress.CompletionTokens = disconnect ? plan.FaultAfterTokens : plan.CompletionTokens;
            if (await progress.FlushAsync(response) && disconnect)
            {
                await Deadline.DelayUntilAsync(progress.TimeProvider, due, aborted);
                FaultResponses.Drop(response.HttpContext, plan.Fault.Reset, progress);
            }

            return;
        }

        await Deadline.DelayUntilAsync(progress.TimeProvider, due, aborted);
        if (plan.Is(FaultKind.ErrorMidStream))
        {
            writer.WriteErrorBody();
            await progress.FlushAsync(response);
            return;
        }

        if (plan.Is(FaultKind.EmptyAnswer))
        {
            writer.WriteEmptyCompletion();
            await progress.FlushAsync(response);
            return;
        }

        writer.WriteCompletion(text.Text, plan.Is(FaultKind.AbsurdUsage) ? AbsurdCompletionTokens : plan.CompletionTokens, plan.FinishReason);
        progress.CompletionTokens = plan.CompletionTokens;
        if (await progress.FlushAsync(response))
        {
            progress.FinishReason = plan.FinishReason;
        }
    }

    /// <summary>The <c>completion_tokens</c> an absurd usage claims (far above any <c>max_tokens</c>).</summary>
    private const int AbsurdCompletionTokens = 1_000_000_000;

    /// <summary>
    /// Streaming: the role prelude at once (so the first byte precedes the first token), content chunks at their
    /// deadlines, then the finish chunk, the usage chunk when asked for, and <c>[DONE]</c>, flushing after every event
    /// (Kestrel sends the headers with the first flush). A mid-answer fault strikes when the first chunk past
    /// <c>⌊n × at⌋</c> tokens is due (or, past the last token, before the finish chunk): a disconnect drops the
    /// connection (FIN, or RST with <c>reset</c>), a malformed chunk sends an event cut mid-JSON and goes on, an error
    /// mid-stream sends <c>{"error":{…}}</c> and ends the stream. A missing <c>[DONE]</c> ends the stream after the last
    /// content chunk; an empty answer is <c>data: [DONE]</c> alone; absurd usage sends a usage chunk claiming a billion
    /// completion tokens (even when usage was not asked for).
    /// </summary>
    private static async Task StreamAsync(
        HttpContext context,
        AnswerWriter writer,
        AnswerText text,
        CompletionPlan plan,
        long started,
        int tokensPerChunk,
        bool includeUsage,
        ResponseProgress progress)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        if (plan.Is(FaultKind.EmptyAnswer))
        {
            writer.WriteEmptyStream();
            await progress.FlushAsync(response);
            return;
        }

        writer.WritePrelude(); // Gemini's is empty: the flush then sends the headers alone
        if (!await progress.FlushAsync(response))
        {
            return;
        }

        var tokens = plan.CompletionTokens;
        var firstChunkTokens = Math.Min(tokensPerChunk, tokens);
        var strikeAfter = plan.Fault?.Kind is FaultKind.Disconnect or FaultKind.MalformedChunk or FaultKind.ErrorMidStream
            ? plan.FaultAfterTokens
            : int.MaxValue;
        while (text.Tokens < tokens)
        {
            var chunkTokens = Math.Min(tokensPerChunk, tokens - text.Tokens);
            var due = plan.ChunkDeadline(started, text.Tokens + chunkTokens, firstChunkTokens);
            await Deadline.DelayUntilAsync(progress.TimeProvider, due, context.RequestAborted);
            if (text.Tokens >= strikeAfter)
            {
                strikeAfter = int.MaxValue;
                if (!await StrikeAsync(context, writer, plan, progress))
                {
                    return;
                }
            }

            text.Clear();
            text.Append(chunkTokens);
            writer.WriteContentChunk(text.Text);
            progress.CompletionTokens = text.Tokens;
            var sent = await progress.FlushAsync(response);
            progress.FirstTokenTimestamp ??= progress.LastByteTimestamp;
            if (!sent)
            {
                return;
            }
        }

        if ((strikeAfter != int.MaxValue && !await StrikeAsync(context, writer, plan, progress)) || plan.Is(FaultKind.MissingDone))
        {
            return;
        }

        writer.WriteFinishChunk(plan.FinishReason);
        if (!await progress.FlushAsync(response))
        {
            return;
        }

        if (writer.SendsUsage(includeUsage) || plan.Is(FaultKind.AbsurdUsage))
        {
            writer.WriteUsageChunk(plan.Is(FaultKind.AbsurdUsage) ? AbsurdCompletionTokens : tokens);
            if (!await progress.FlushAsync(response))
            {
                return;
            }
        }

        writer.WriteDone();
        if (await progress.FlushAsync(response))
        {
            progress.FinishReason = plan.FinishReason;
        }
    }

    /// <summary>A mid-stream fault strikes; false when the stream must end (dropped, ended by an error, or the client
    /// has gone).</summary>
    private static async ValueTask<bool> StrikeAsync(HttpContext context, AnswerWriter writer, CompletionPlan plan, ResponseProgress progress)
    {
        switch (plan.Fault!.Kind)
        {
            case FaultKind.Disconnect:
                FaultResponses.Drop(context, plan.Fault.Reset, progress);
                return false;
            case FaultKind.MalformedChunk:
                writer.WriteMalformedChunk();
                return await progress.FlushAsync(context.Response);
            default:
                writer.WriteMidStreamError();
                await progress.FlushAsync(context.Response);
                return false;
        }
    }
}
