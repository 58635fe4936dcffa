using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using Bench.Core.Faults;
using Bench.Core.Wire;
using Bench.Simulator.Endpoints;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Faults;

/// <summary>The answers of the faults that replace a response: 429, 5xx, 529 and a dropped connection.</summary>
internal static class FaultResponses
{
    /// <summary>The default <see cref="FaultRule.RetryAfterS"/>.</summary>
    public const double DefaultRetryAfterS = 1;

    /// <summary>A rule's 429 (<see cref="FaultKind.RateLimited"/>): <c>Retry-After</c> as whole seconds rounded up, or an
    /// HTTP date (the simulator's clock plus the wait, rounded up to the second); OpenAI's <c>x-ratelimit-*-requests</c>
    /// headers saying none is left until then (with the model's RPM limit as the limit when its profile has one, unless
    /// the buckets already wrote theirs); OpenAI's <c>rate_limit_exceeded</c> body.</summary>
    public static async Task RateLimitedAsync(
        HttpResponse response, FaultRule rule, RateLimitSpec? limits, ResponseProgress progress, WireProtocol protocol = WireProtocol.OpenAiChat)
    {
        var waitS = rule.RetryAfterS ?? DefaultRetryAfterS;
        response.Headers.RetryAfter = RetryAfter(waitS, rule.RetryAfterFormat, progress.TimeProvider.GetUtcNow());
        if (!response.Headers.ContainsKey("x-ratelimit-remaining-requests"))
        {
            if (limits?.Rpm is { } rpm)
            {
                response.Headers["x-ratelimit-limit-requests"] = rpm.ToString(CultureInfo.InvariantCulture);
            }

            response.Headers["x-ratelimit-remaining-requests"] = "0";
            response.Headers["x-ratelimit-reset-requests"] = OpenAiDuration.Format(waitS);
        }

        var seconds = Math.Ceiling(waitS).ToString(CultureInfo.InvariantCulture);
        new ApiError(429, $"Rate limit reached for requests (simulated). Please try again in {seconds}s.", "requests", null, "rate_limit_exceeded")
            .Write(response, protocol);
        await progress.FlushAsync(response);
    }

    /// <summary>A 429 from the buckets: <c>Retry-After</c> the seconds until the refusing bucket(s) hold the cost,
    /// rounded up; OpenAI's message naming the limit.</summary>
    public static async Task RateLimitedByBucketAsync(
        HttpResponse response, string model, string limit, RateLimitBuckets.Admission admission, ResponseProgress progress,
        WireProtocol protocol = WireProtocol.OpenAiChat)
    {
        var seconds = (long)Math.Ceiling(Math.Round(admission.RetryAfterS, 9));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var (type, words, state) = limit == "rpm"
            ? ("requests", "requests per min (RPM)", admission.Requests)
            : ("tokens", "tokens per min (TPM)", admission.Tokens);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"Rate limit reached for {model} (simulated) on {words}: Limit {state?.Limit}, Remaining {state?.Remaining}. Please try again in {OpenAiDuration.Format(admission.RetryAfterS)}.");
        new ApiError(429, message, type, null, "rate_limit_exceeded").Write(response, protocol);
        await progress.FlushAsync(response);
    }

    /// <summary><c>Retry-After</c>'s value: <paramref name="waitS"/> rounded up to whole seconds, or the HTTP date
    /// <paramref name="now"/> + <paramref name="waitS"/> rounded up to the second (RFC 9110 §10.2.3).</summary>
    public static string RetryAfter(double waitS, RetryAfterFormat format, DateTimeOffset now)
    {
        if (format == RetryAfterFormat.Seconds)
        {
            return Math.Ceiling(waitS).ToString(CultureInfo.InvariantCulture);
        }

        var at = now.UtcDateTime.AddSeconds(waitS);
        var whole = new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        return (whole < at ? whole.AddSeconds(1) : whole).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A 500, 502, 503 or 504 (<see cref="FaultRule.Status"/>) with OpenAI's error object or a gateway's
    /// HTML page (<see cref="FaultRule.Body"/>).</summary>
    public static async Task ServerErrorAsync(
        HttpResponse response, FaultRule rule, ResponseProgress progress, WireProtocol protocol = WireProtocol.OpenAiChat)
    {
        var status = rule.Status ?? 500;
        if (rule.Body == FaultBody.Html)
        {
            response.StatusCode = status;
            response.ContentType = "text/html";
            var reason = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
            await response.WriteAsync(
                $"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                response.HttpContext.RequestAborted);
        }
        else
        {
            ApiError.ServerErrorOf(status).Write(response, protocol);
        }

        await progress.FlushAsync(response);
    }

    /// <summary>Anthropic's overload: HTTP 529 with <c>{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}</c>
    /// (the body every protocol but Gemini gets, as OpenAI-compatible relays in front of Anthropic pass it on); Gemini's
    /// is its own <c>{"error":{"code":529,…,"status":"UNAVAILABLE"}}</c>.</summary>
    public static async Task OverloadedAsync(HttpResponse response, ResponseProgress progress, WireProtocol protocol = WireProtocol.OpenAiChat)
    {
        if (protocol == WireProtocol.Gemini)
        {
            new ApiError(529, "Overloaded (simulated)", "server_error", null, null).Write(response, protocol);
            await progress.FlushAsync(response);
            return;
        }

        response.StatusCode = 529;
        response.ContentType = "application/json";
        response.BodyWriter.Write("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded (simulated)"}}"""u8);
        await progress.FlushAsync(response);
    }

    /// <summary>Drops the connection now: RST when <paramref name="reset"/> (linger 0, then abort), else FIN (the socket's
    /// send side shut down, then abort).</summary>
    public static void Drop(HttpContext context, bool reset, ResponseProgress progress)
    {
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            try
            {
                if (reset)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                else
                {
                    socket.Shutdown(SocketShutdown.Send);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already gone: the abort below is all there is to do.
            }
        }

        progress.Abort(context);
    }

    /// <summary>Closes a new connection with a reset, before anything is read.</summary>
    public static void Refuse(Microsoft.AspNetCore.Connections.ConnectionContext connection)
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already gone.
            }
        }

        connection.Abort(new Microsoft.AspNetCore.Connections.ConnectionAbortedException("refused (simulated fault)"));
    }
}
