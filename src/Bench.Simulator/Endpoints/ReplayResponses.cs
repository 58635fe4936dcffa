using System.Buffers;
using Bench.Core.Faults;
using Bench.Simulator.Generation;
using Bench.Simulator.Replay;
using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// The answers of a replay profile: a recorded stream's bytes, unchanged, re-timed by the request's
/// <see cref="CompletionPlan"/> (see <see cref="ReplaySet"/>). Nothing is encoded per request: each flush writes a
/// slice of the recording.
/// </summary>
internal static class ReplayResponses
{
    /// <summary>
    /// Streaming: the headers and the prelude at once, then token-bearing event <c>k</c> (with the non-token events
    /// after it) when the stream has reached its cumulative tokens (<see cref="RecordedStream.CumulativeTokens"/>),
    /// as a generated stream's chunk of that many tokens would be (<see cref="CompletionPlan.ChunkDeadline"/>): the
    /// first at TTFT, each later one its tokens' decode time after the previous one. Every recorded event (comments
    /// included) is flushed on its own, as a server writes them. A disconnect drops the connection when the first
    /// token-bearing event past <c>⌊events × at⌋</c> is due (a recording without any is never cut); pauses and trickles
    /// act through the plan's deadlines.
    /// </summary>
    public static async Task StreamAsync(
        HttpContext context, RecordedStream recording, CompletionPlan plan, long started, ResponseProgress progress)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var (_, preludeEvents) = recording.PreludeEvents.GetOffsetAndLength(recording.Events.Count);
        var open = preludeEvents == 0
            ? await progress.FlushAsync(response) // the headers, even when the provider sent no prelude
            : await WriteEventsAsync(response, recording, recording.PreludeEvents, progress);
        if (!open)
        {
            return;
        }

        var tokenEvents = recording.TokenEvents;
        var firstEventTokens = tokenEvents > 0 ? recording.CumulativeTokens[0] : 0;
        var interruptAt = plan.Is(FaultKind.Disconnect) ? (int)Math.Floor(tokenEvents * plan.Fault!.At) : int.MaxValue;
        for (var k = 0; k < tokenEvents; k++)
        {
            var tokensSoFar = recording.CumulativeTokens[k];
            await Deadline.DelayUntilAsync(
                progress.TimeProvider, plan.ChunkDeadline(started, tokensSoFar, firstEventTokens), context.RequestAborted);
            if (k >= interruptAt)
            {
                Faults.FaultResponses.Drop(context, plan.Fault!.Reset, progress);
                return;
            }

            progress.CompletionTokens = tokensSoFar;
            if (!await WriteEventsAsync(response, recording, recording.SegmentEvents(k), progress))
            {
                return;
            }
        }

        progress.FinishReason = recording.FinishReason;
    }

    /// <summary>Writes and flushes <paramref name="events"/> one by one; the first token-bearing one sets
    /// <see cref="ResponseProgress.FirstTokenTimestamp"/>. False when the client has gone.</summary>
    private static async ValueTask<bool> WriteEventsAsync(
        HttpResponse response, RecordedStream recording, Range events, ResponseProgress progress)
    {
        var (first, count) = events.GetOffsetAndLength(recording.Events.Count);
        for (var i = first; i < first + count; i++)
        {
            response.BodyWriter.Write(recording.EventBytes(i).Span);
            var sent = await progress.FlushAsync(response);
            if (recording.Events[i].IsTokenBearing)
            {
                progress.FirstTokenTimestamp ??= progress.LastByteTimestamp;
            }

            if (!sent)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Non-streaming: the answer assembled from the recording (<see cref="RecordedCompletion"/>), sent when the last
    /// token-bearing event before it would have been streamed (at once when there is none).
    /// </summary>
    public static async Task CompleteAsync(
        HttpResponse response, RecordedStream recording, CompletionPlan plan, long started, ResponseProgress progress)
    {
        var answer = recording.Completion;
        var before = answer.TokenEventsBefore;
        var tokens = before > 0 ? recording.CumulativeTokens[before - 1] : 0;
        var due = before > 0 ? plan.ChunkDeadline(started, tokens, recording.CumulativeTokens[0]) : started;
        await Deadline.DelayUntilAsync(progress.TimeProvider, due, response.HttpContext.RequestAborted);
        response.StatusCode = answer.StatusCode;
        response.ContentType = "application/json";
        response.BodyWriter.Write(answer.Body);
        progress.CompletionTokens = tokens;
        if (await progress.FlushAsync(response) && answer.StatusCode == StatusCodes.Status200OK)
        {
            progress.FinishReason = recording.FinishReason;
        }
    }
}
