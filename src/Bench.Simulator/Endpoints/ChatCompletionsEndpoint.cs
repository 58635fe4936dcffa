using System.Collections.Frozen;
using System.Text.Json;
using Bench.Simulator.Generation;
using Bench.Simulator.Hosting;
using Bench.Simulator.Replay;
using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>: draws a <see cref="CompletionPlan"/> for the request, then answers with a fault,
/// one JSON object (non-streaming) or Server-Sent Events (streaming), each event at its absolute deadline from the
/// start of the request's clock: its arrival, or, for a model with a capacity limit whose slots are all taken, when it
/// gets one. A replay profile answers with a recorded stream instead of generated text (<see cref="ReplayResponses"/>).
/// </summary>
internal sealed class ChatCompletionsEndpoint
{
    /// <summary>Header whose value is echoed in <see cref="ServerTiming.RequestId"/>.</summary>
    public const string RequestIdHeader = "X-Bench-Request-Id";

    private readonly FrozenDictionary<string, ProfileSampler> _samplers;
    private readonly int _seed;
    private readonly Action<ServerTiming>? _onCompleted;
    private readonly TimeProvider _time;
    private long _requestCount;

    /// <summary>Serves <paramref name="samplers"/> (keyed by model id), pacing and stamping every response on
    /// <paramref name="timeProvider"/> (whose timestamp frequency the samplers draw in).</summary>
    public ChatCompletionsEndpoint(
        FrozenDictionary<string, ProfileSampler> samplers, int seed, Action<ServerTiming>? onCompleted, TimeProvider timeProvider)
    {
        _time = timeProvider;
        _samplers = samplers;
        _seed = seed;
        _onCompleted = onCompleted;
    }

    /// <summary>Requests for a served model taken so far (read, their model found, their plan about to be drawn).</summary>
    public long RequestsTaken => Interlocked.Read(ref _requestCount);

    /// <summary>Handles one request (authentication has been checked). Reports <see cref="ServerTiming"/> exactly once
    /// for a request that names a served model, whatever happens to it; never for a 400 or 404.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var received = _time.GetTimestamp();
        var aborted = context.RequestAborted;
        var response = context.Response;

        var (request, error) = await ReadRequestAsync(context.Request, aborted);
        if (request is null)
        {
            await error.WriteAsync(response, aborted);
            return;
        }

        if (!_samplers.TryGetValue(request.Model, out var sampler))
        {
            await ApiError.ModelNotFound(request.Model).WriteAsync(response, aborted);
            return;
        }

        var number = Interlocked.Increment(ref _requestCount);
        var random = new Random(RequestSeed.Derive(_seed, request.Model, request.Seed, number));
        var plan = sampler.Draw(random, request.MaxTokens, request.Stream);
        var recording = sampler.ChooseRecording(random, request.Seed);
        var progress = new ResponseProgress(_time) { StartedTimestamp = received };
        try
        {
            switch (plan.Fault)
            {
                case Fault.RateLimited:
                    response.Headers.RetryAfter = "1";
                    ApiError.RateLimited.Write(response);
                    await progress.FlushAsync(response);
                    break;
                case Fault.ServerError:
                    ApiError.ServerError.Write(response);
                    await progress.FlushAsync(response);
                    break;
                default:
                    await ServeAsync(context, request, sampler, plan, recording, random, number, received, progress);
                    break;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: report what was sent until then.
        }

        _onCompleted?.Invoke(new ServerTiming(
            context.Request.Headers.TryGetValue(RequestIdHeader, out var id) ? id.ToString() : null,
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

    private static async Task<(ChatCompletionRequest? Request, ApiError Error)> ReadRequestAsync(
        HttpRequest httpRequest, CancellationToken cancellationToken)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(httpRequest.Body, default, cancellationToken);
            return ChatCompletionRequest.TryRead(body.RootElement, out var request, out var error)
                ? (request, default)
                : (null, error);
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
        ChatCompletionRequest request,
        ProfileSampler sampler,
        CompletionPlan plan,
        RecordedStream? recording,
        Random random,
        long number,
        long received,
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
                await AnswerAsync(context, request, sampler.Profile.TokensPerChunk, plan, random, number, started, progress);
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
        ChatCompletionRequest request,
        int tokensPerChunk,
        CompletionPlan plan,
        Random random,
        long number,
        long started,
        ResponseProgress progress)
    {
        using var writer = new ChatCompletionWriter(
            context.Response.BodyWriter,
            $"chatcmpl-sim{number:x8}",
            request.Model,
            progress.TimeProvider.GetUtcNow().ToUnixTimeSeconds(),
            request.PromptTokens,
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
    /// (<see cref="CompletionPlan.CompletionDeadline"/>: <c>TTFT + (n − 1) / rate</c> with one token per chunk), then
    /// writes the whole object.</summary>
    private static async Task CompleteAsync(
        HttpResponse response,
        ChatCompletionWriter writer,
        AnswerText text,
        CompletionPlan plan,
        long started,
        int tokensPerChunk,
        ResponseProgress progress)
    {
        text.Append(plan.CompletionTokens);
        await Deadline.DelayUntilAsync(
            progress.TimeProvider, plan.CompletionDeadline(started, tokensPerChunk), response.HttpContext.RequestAborted);
        response.ContentType = "application/json";
        writer.WriteCompletion(text.Text, plan.CompletionTokens, plan.FinishReason);
        progress.CompletionTokens = plan.CompletionTokens;
        if (await progress.FlushAsync(response))
        {
            progress.FinishReason = plan.FinishReason;
        }
    }

    /// <summary>
    /// Streaming: the role prelude at once (so the first byte precedes the first token), content chunks at their
    /// deadlines, then the finish chunk, the usage chunk when asked for, and <c>[DONE]</c>, flushing after every event
    /// (Kestrel sends the headers with the first flush). An interrupted stream is aborted when the first chunk past
    /// half the answer is due.
    /// </summary>
    private static async Task StreamAsync(
        HttpContext context,
        ChatCompletionWriter writer,
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
        writer.WriteRoleChunk();
        if (!await progress.FlushAsync(response))
        {
            return;
        }

        var tokens = plan.CompletionTokens;
        var firstChunkTokens = Math.Min(tokensPerChunk, tokens);
        var interruptAfter = plan.Fault == Fault.StreamInterrupted ? plan.InterruptAfterTokens : int.MaxValue;
        while (text.Tokens < tokens)
        {
            var chunkTokens = Math.Min(tokensPerChunk, tokens - text.Tokens);
            var due = plan.ChunkDeadline(started, text.Tokens + chunkTokens, firstChunkTokens);
            await Deadline.DelayUntilAsync(progress.TimeProvider, due, context.RequestAborted);
            if (text.Tokens >= interruptAfter)
            {
                progress.Abort(context);
                return;
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

        writer.WriteFinishChunk(plan.FinishReason);
        if (!await progress.FlushAsync(response))
        {
            return;
        }

        if (includeUsage)
        {
            writer.WriteUsageChunk(tokens);
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
}
