using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary>What one chat completion response has sent so far, for <see cref="Hosting.ServerTiming"/>, and the clock
/// it is paced and stamped on.</summary>
/// <param name="timeProvider">The simulator's clock (<see cref="Hosting.SimulatorOptions.TimeProvider"/>); the
/// system clock when <see langword="null"/>.</param>
internal sealed class ResponseProgress(TimeProvider? timeProvider = null)
{
    /// <summary>The clock every deadline and timestamp of this response is on.</summary>
    public TimeProvider TimeProvider { get; } = timeProvider ?? TimeProvider.System;

    /// <summary>When the request's clock started: its arrival, or when it got a slot after waiting for one.</summary>
    public long StartedTimestamp { get; set; }

    /// <summary>Just before the flush of the first token-bearing chunk.</summary>
    public long? FirstTokenTimestamp { get; set; }

    /// <summary>Just before the latest flush, or when the connection was aborted.</summary>
    public long? LastByteTimestamp { get; set; }

    /// <summary>Completion tokens written so far (for a replay, the recording's tokens up to the last event
    /// written).</summary>
    public int CompletionTokens { get; set; }

    /// <summary>The finish reason, once the response has been sent completely.</summary>
    public string? FinishReason { get; set; }

    /// <summary>Records <see cref="LastByteTimestamp"/> just before flushing what has been written (Kestrel sends the
    /// headers with the first flush); false when the client has gone.</summary>
    public async ValueTask<bool> FlushAsync(HttpResponse response)
    {
        LastByteTimestamp = TimeProvider.GetTimestamp();
        var result = await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
        return !result.IsCompleted && !result.IsCanceled;
    }

    /// <summary>Aborts the connection (a simulated drop), noting when.</summary>
    public void Abort(HttpContext context)
    {
        LastByteTimestamp = TimeProvider.GetTimestamp();
        context.Abort();
    }
}
