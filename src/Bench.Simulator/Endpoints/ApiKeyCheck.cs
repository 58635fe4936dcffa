using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// Middleware requiring <c>Authorization: Bearer &lt;key&gt;</c> on every request, answering 401
/// <c>invalid_api_key</c> otherwise (the failure the seed articles report for a missing <c>Bearer </c> prefix).
/// </summary>
internal sealed class ApiKeyCheck
{
    private const string Scheme = "Bearer ";

    private readonly string? _apiKey;

    /// <summary>Accepts only <paramref name="apiKey"/>, or any non-empty key when it is <see langword="null"/>.</summary>
    public ApiKeyCheck(string? apiKey) => _apiKey = apiKey;

    /// <summary>Calls <paramref name="next"/> when the request is authorised, else writes the 401.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        string? authorization = context.Request.Headers.Authorization;
        if (authorization is null
            || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || authorization.AsSpan(Scheme.Length).Trim().IsEmpty)
        {
            return ApiError.MissingApiKey.WriteAsync(context.Response, context.RequestAborted);
        }

        if (_apiKey is not null && !authorization.AsSpan(Scheme.Length).Trim().SequenceEqual(_apiKey))
        {
            return ApiError.IncorrectApiKey.WriteAsync(context.Response, context.RequestAborted);
        }

        return next(context);
    }
}
