using Bench.Core.Wire;
using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// Middleware requiring the API key on every request, in whichever header the protocol uses:
/// <c>Authorization: Bearer &lt;key&gt;</c> (OpenAI), <c>x-api-key</c> (Anthropic,
/// docs.anthropic.com/en/api/overview) or <c>x-goog-api-key</c> (Gemini, ai.google.dev/api; or its <c>?key=</c> query
/// parameter on a Gemini path); the first one present in that order is the one checked. A missing key (or a missing <c>Bearer </c> prefix, the failure the seed articles
/// report) or a wrong one is a 401 in the request's protocol's shape (<see cref="ProtocolOf"/>).
/// </summary>
internal sealed class ApiKeyCheck
{
    private const string Scheme = "Bearer ";

    private readonly string? _apiKey;

    /// <summary>Accepts only <paramref name="apiKey"/>, or any non-empty key when it is <see langword="null"/>.</summary>
    public ApiKeyCheck(string? apiKey) => _apiKey = apiKey;

    /// <summary>The protocol a request speaks, for its error shapes: by path (<c>/v1/messages</c>: Anthropic;
    /// <c>/v1/models/{model}:…</c>: Gemini; <c>/v1/responses</c>: Responses), and for the paths every protocol shares
    /// (<c>GET /v1/models</c>) by its headers: <c>anthropic-version</c> (which Anthropic's clients always send) means
    /// Anthropic, <c>x-goog-api-key</c> means Gemini; anything else is OpenAI Chat.</summary>
    public static WireProtocol ProtocolOf(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (path.StartsWith("/v1/messages", StringComparison.Ordinal))
        {
            return WireProtocol.AnthropicMessages;
        }

        if (path.StartsWith("/v1/responses", StringComparison.Ordinal))
        {
            return WireProtocol.OpenAiResponses;
        }

        if (path.StartsWith("/v1/models/", StringComparison.Ordinal) && path.Contains(':', StringComparison.Ordinal))
        {
            return WireProtocol.Gemini;
        }

        if (request.Headers.ContainsKey("anthropic-version"))
        {
            return WireProtocol.AnthropicMessages;
        }

        return request.Headers.ContainsKey("x-goog-api-key") ? WireProtocol.Gemini : WireProtocol.OpenAiChat;
    }

    /// <summary>Calls <paramref name="next"/> when the request is authorised, else writes the 401.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Request.Headers;
        ReadOnlySpan<char> key;
        string? authorization = headers.Authorization;
        if (authorization is not null)
        {
            key = authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? authorization.AsSpan(Scheme.Length).Trim() : default;
        }
        else if (headers.TryGetValue("x-api-key", out var apiKey) || headers.TryGetValue("x-goog-api-key", out apiKey))
        {
            key = apiKey.ToString().AsSpan().Trim();
        }
        else if (ProtocolOf(context.Request) == WireProtocol.Gemini && context.Request.Query.TryGetValue("key", out var queryKey))
        {
            key = queryKey.ToString().AsSpan().Trim(); // Gemini also takes the key as ?key= (ai.google.dev/api)
        }
        else
        {
            key = default;
        }

        if (key.IsEmpty)
        {
            return ApiError.MissingApiKey.WriteAsync(context.Response, ProtocolOf(context.Request), context.RequestAborted);
        }

        if (_apiKey is not null && !key.SequenceEqual(_apiKey))
        {
            return ApiError.IncorrectApiKey.WriteAsync(context.Response, ProtocolOf(context.Request), context.RequestAborted);
        }

        return next(context);
    }
}
