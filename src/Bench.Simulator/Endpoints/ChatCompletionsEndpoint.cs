using System.Collections.Frozen;
using System.Diagnostics;
using System.Text.Json;
using Bench.Simulator.Generation;
using Bench.Simulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>: draws a <see cref="CompletionPlan"/> for the request, then answers with a fault,
/// one JSON object (non-streaming) or Server-Sent Events (streaming), each event at its absolute deadline from the
/// request's arrival.
/// </summary>
internal sealed class ChatCompletionsEndpoint
{
    /// <summary>Header whose value is echoed in <see cref="ServerTiming.RequestId"/>.</summary>
    public const string RequestIdHeader = "X-Bench-Request-Id";

    private readonly FrozenDictionary<string, ProfileSampler> _samplers;
    private readonly int _seed;
    private readonly Action<ServerTiming>? _onCompleted;
    private long _requestCount;

    /// <summary>Serves <paramref name="samplers"/> (keyed by model id).</summary>
    public ChatCompletionsEndpoint(
        FrozenDictionary<string, ProfileSampler> samplers, int seed, Action<ServerTiming>? onCompleted)
    {
        _samplers = samplers;
        _seed = seed;
        _onCompleted = onCompleted;
    }

    /// <summary>Handles one request (authentication has been checked).</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var received = Stopwatch.GetTimestamp();
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
        var progress = new Progress();
        try
        {
            switch (plan.Fault)
            {
                case Fault.RateLimited:
                    response.Headers.RetryAfter = "1";
                    ApiError.RateLimited.Write(response);
                    await FlushAsync(response, progress);
                    break;
                case Fault.ServerError:
                    ApiError.ServerError.Write(response);
                    await FlushAsync(response, progress);
                    break;
                default:
                    var tokensPerChunk = sampler.Profile.TokensPerChunk;
                    await AnswerAsync(context, request, tokensPerChunk, plan, random, number, received, progress);
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
            progress.FirstTokenTimestamp,
            progress.LastByteTimestamp ?? Stopwatch.GetTimestamp(),
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

    private static async Task AnswerAsync(
        HttpContext context,
        ChatCompletionRequest request,
        int tokensPerChunk,
        CompletionPlan plan,
        Random random,
        long number,
        long received,
        Progress progress)
    {
        using var writer = new ChatCompletionWriter(
            context.Response.BodyWriter,
            $"chatcmpl-sim{number:x8}",
            request.Model,
            TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(),
            request.PromptTokens,
            request.IncludeUsage);
        using var text = new AnswerText(random, request.Stream ? tokensPerChunk : plan.CompletionTokens);
        if (request.Stream)
        {
            await StreamAsync(context, writer, text, plan, received, tokensPerChunk, request.IncludeUsage, progress);
        }
        else
        {
            await CompleteAsync(context.Response, writer, text, plan, received, progress);
        }
    }

    /// <summary>Non-streaming: generates the answer, waits until <c>TTFT + n / rate</c>, then writes the whole
    /// object.</summary>
    private static async Task CompleteAsync(
        HttpResponse response,
        ChatCompletionWriter writer,
        AnswerText text,
        CompletionPlan plan,
        long received,
        Progress progress)
    {
        text.Append(plan.CompletionTokens);
        await Deadline.DelayUntilAsync(plan.CompletionDeadline(received), response.HttpContext.RequestAborted);
        response.ContentType = "application/json";
        writer.WriteCompletion(text.Text, plan.CompletionTokens, plan.FinishReason);
        progress.CompletionTokens = plan.CompletionTokens;
        if (await FlushAsync(response, progress))
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
        long received,
        int tokensPerChunk,
        bool includeUsage,
        Progress progress)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        writer.WriteRoleChunk();
        if (!await FlushAsync(response, progress))
        {
            return;
        }

        var tokens = plan.CompletionTokens;
        var firstChunkTokens = Math.Min(tokensPerChunk, tokens);
        var interruptAfter = plan.Fault == Fault.StreamInterrupted ? plan.InterruptAfterTokens : int.MaxValue;
        while (text.Tokens < tokens)
        {
            var chunkTokens = Math.Min(tokensPerChunk, tokens - text.Tokens);
            var due = plan.ChunkDeadline(received, text.Tokens + chunkTokens, firstChunkTokens);
            await Deadline.DelayUntilAsync(due, context.RequestAborted);
            if (text.Tokens >= interruptAfter)
            {
                progress.LastByteTimestamp = Stopwatch.GetTimestamp();
                context.Abort();
                return;
            }

            text.Clear();
            text.Append(chunkTokens);
            writer.WriteContentChunk(text.Text);
            progress.CompletionTokens = text.Tokens;
            var sent = await FlushAsync(response, progress);
            progress.FirstTokenTimestamp ??= progress.LastByteTimestamp;
            if (!sent)
            {
                return;
            }
        }

        writer.WriteFinishChunk(plan.FinishReason);
        if (!await FlushAsync(response, progress))
        {
            return;
        }

        if (includeUsage)
        {
            writer.WriteUsageChunk(tokens);
            if (!await FlushAsync(response, progress))
            {
                return;
            }
        }

        writer.WriteDone();
        if (await FlushAsync(response, progress))
        {
            progress.FinishReason = plan.FinishReason;
        }
    }

    /// <summary>Records <see cref="Progress.LastByteTimestamp"/> and flushes what has been written; false when the
    /// client has gone.</summary>
    private static async ValueTask<bool> FlushAsync(HttpResponse response, Progress progress)
    {
        progress.LastByteTimestamp = Stopwatch.GetTimestamp();
        var result = await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
        return !result.IsCompleted && !result.IsCanceled;
    }

    /// <summary>What has been sent so far, for <see cref="ServerTiming"/>.</summary>
    private sealed class Progress
    {
        /// <summary>Just before the flush of the first content chunk.</summary>
        public long? FirstTokenTimestamp { get; set; }

        /// <summary>Just before the latest flush, or when the connection was aborted.</summary>
        public long? LastByteTimestamp { get; set; }

        /// <summary>Completion tokens written so far.</summary>
        public int CompletionTokens { get; set; }

        /// <summary>The finish reason, once the response has been sent completely.</summary>
        public string? FinishReason { get; set; }
    }
}
