using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bench.Core.Tests.TestSupport;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port) that answers <c>POST /v1/chat/completions</c> with a script
/// chosen by the request's <c>model</c>. Every request is captured (headers and body) by its
/// <c>X-Bench-Request-Id</c>.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary><c>http://127.0.0.1:PORT/v1/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Requests received, by <c>X-Bench-Request-Id</c>.</summary>
    public ConcurrentDictionary<string, CapturedRequest> Requests { get; } = new();

    /// <summary>Starts a server whose scripts are <paramref name="scripts"/>, keyed by model.</summary>
    public static async Task<ScriptedServer> StartAsync(IReadOnlyDictionary<string, Func<HttpContext, Task>> scripts)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ScriptedServer? server = null;
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var model = body.RootElement.GetProperty("model").GetString()!;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var id = headers.GetValueOrDefault("X-Bench-Request-Id", "");
            server!.Requests[id] = new CapturedRequest(headers, body.RootElement.Clone());
            await scripts[model](context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ScriptedServer(app, new Uri(address.TrimEnd('/') + "/v1/"));
        return server;
    }

    /// <summary>Sends the status and headers of an SSE response now (Kestrel sends them only at the first flush).</summary>
    public static async Task StartEventStreamAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync();
        await context.Response.Body.FlushAsync();
    }

    /// <summary>Writes one SSE event (<c>event:</c> line when given, one <c>data:</c> line) and flushes it.</summary>
    public static async Task WriteEventAsync(HttpContext context, string data, string? eventType = null)
    {
        var text = eventType is null ? $"data: {data}\n\n" : $"event: {eventType}\ndata: {data}\n\n";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text));
        await context.Response.Body.FlushAsync();
    }

    /// <summary>Writes a whole response with a status and a body.</summary>
    public static async Task WriteBodyAsync(HttpContext context, int status, string body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the server received.</summary>
public sealed record CapturedRequest(IReadOnlyDictionary<string, string> Headers, JsonElement Body);
