using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Bench.Core.Client;

namespace Bench.Harness.Running;

/// <summary>
/// A look at a real endpoint before the run: <c>GET {base}/models</c> with the key in the protocol's header
/// (<see cref="Endpoint.ApplyHeaders"/>: Bearer for openai-chat and openai-responses, <c>x-api-key</c> and
/// <c>anthropic-version</c> for anthropic-messages, <c>x-goog-api-key</c> for gemini; none for a keyless target; the
/// target's extra headers and query parameters too), once, within
/// <see cref="Timeout"/> on the run's clock. It never measures anything and never crashes a run; what it finds:
/// <list type="bullet">
/// <item>a model list (OpenAI's and Anthropic's <c>{"data": [{"id": …}]}</c>, Gemini's <c>{"models": [{"name":
/// "models/…"}]}</c>): a warning for each requested model (as the target names it, <see cref="Endpoint.WireModel"/>) it
/// does not list (some servers serve any name, so this warns, never stops);</item>
/// <item>404 while the base path lacks <c>/v1</c>, and <c>{base}/v1/models</c> answers: a hint that the base URL
/// probably needs <c>/v1</c>; 404 on both: the server offers no model list, nothing said;</item>
/// <item>401: the key is refused — the run stops before sending anything (<see cref="PreflightVerdict.BadKey"/>, exit
/// code 2: the same command cannot succeed until the key changes; for a keyless target the message says the server wants
/// a key). 403 is only a warning: a key may be allowed to chat
/// but not to list models;</item>
/// <item>no connection (refused, unknown host, unreachable): the run stops at once
/// (<see cref="PreflightVerdict.Unreachable"/>, exit code 1, like a run whose every request failed — the endpoint is
/// down, the same command may succeed later) instead of after hundreds of failed requests;</item>
/// <item>no answer within <see cref="Timeout"/>, another status or a body that is not a model list: a note, and the
/// run goes on.</item>
/// </list>
/// Every URL it prints is redacted (<see cref="BaseUrls.Redact"/>); the key is never printed.
/// </summary>
internal static class Preflight
{
    /// <summary>How long the look may take, in all.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Looks at <paramref name="endpoint"/> and reports what it found.</summary>
    /// <param name="endpoint">The target (protocol, key, headers, query, model map).</param>
    /// <param name="apiKey">The key, only to mask it should the server echo it; null for a keyless target.</param>
    /// <param name="models">The catalogue's model names the run will ask for.</param>
    /// <param name="time">The run's clock, for <see cref="Timeout"/>.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public static async Task<PreflightResult> CheckAsync(Endpoint endpoint, string? apiKey, IReadOnlyList<string> models, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(models);
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            UseCookies = false,
            AllowAutoRedirect = false,
        })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = 16 * 1024 * 1024,
        };
        var url = endpoint.Resolve("models");
        try
        {
            var (status, body) = await GetAsync(http, endpoint, url, linked.Token).ConfigureAwait(false);
            switch (status)
            {
                case HttpStatusCode.OK:
                    return Listed(url, body, [.. models.Select(endpoint.WireModel).Distinct(StringComparer.Ordinal)]);
                case HttpStatusCode.Unauthorized when !endpoint.HasApiKey:
                    return new PreflightResult(PreflightVerdict.BadKey,
                        [$"the target is keyless but the server wants a key: GET {BaseUrls.Redact(url)} answered 401 Unauthorized{Detail(body, apiKey)}. Give the target a key source (api_key_env or api_key_file) or the header its gateway expects (nothing was sent to measure)."]);
                case HttpStatusCode.Unauthorized:
                    return new PreflightResult(PreflightVerdict.BadKey,
                        [$"the endpoint refused the API key: GET {BaseUrls.Redact(url)} answered 401 Unauthorized{Detail(body, apiKey)}. Check the key (nothing was sent to measure)."]);
                case HttpStatusCode.Forbidden:
                    return Proceed($"GET {BaseUrls.Redact(url)} answered 403 Forbidden{Detail(body, apiKey)}: the key may not list models; the run goes on.");
                case HttpStatusCode.NotFound when !endpoint.BaseAddress.AbsolutePath.Contains("/v1", StringComparison.OrdinalIgnoreCase):
                    var v1 = endpoint.Resolve("v1/models");
                    var (v1Status, _) = await GetAsync(http, endpoint, v1, linked.Token).ConfigureAwait(false);
                    if (v1Status is HttpStatusCode.OK or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    {
                        var suggested = BaseUrls.Redact(endpoint.Resolve("v1"));
                        return Proceed($"the server answered 404 at {BaseUrls.Redact(url)} but {(int)v1Status} at {BaseUrls.Redact(v1)}; did you mean --base-url {suggested}?");
                    }

                    return Proceed();
                case HttpStatusCode.NotFound:
                    return Proceed();
                default:
                    return Proceed($"GET {BaseUrls.Redact(url)} answered {(int)status} {status}; the requested models were not checked.");
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Proceed(string.Create(CultureInfo.InvariantCulture,
                $"GET {BaseUrls.Redact(url)} gave no answer within {Timeout.TotalSeconds:0} s; the requested models were not checked."));
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            || e.InnerException is SocketException)
        {
            return new PreflightResult(PreflightVerdict.Unreachable,
                [$"cannot reach the endpoint: GET {BaseUrls.Redact(url)} failed: {Reason(e)}. Nothing was measured."]);
        }
        catch (HttpRequestException e)
        {
            return Proceed($"GET {BaseUrls.Redact(url)} failed ({Reason(e)}); the requested models were not checked.");
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, Endpoint endpoint, Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        endpoint.ApplyHeaders(request);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, body);
    }

    /// <summary>A model list: warn for each requested model it lacks. A body that is not one: a note.</summary>
    private static PreflightResult Listed(Uri url, string body, IReadOnlyList<string> models)
    {
        HashSet<string> listed;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                listed = [.. data.EnumerateArray()
                    .Where(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                    .Select(m => m.GetProperty("id").GetString()!)];
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("models", out var gemini) && gemini.ValueKind == JsonValueKind.Array)
            {
                // Gemini (ai.google.dev, models.list): {"models": [{"name": "models/gemini-2.5-pro", …}], "nextPageToken": …};
                // only the first page is read.
                listed = [.. gemini.EnumerateArray()
                    .Where(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                    .Select(m => m.GetProperty("name").GetString()!)
                    .Select(n => n.StartsWith("models/", StringComparison.Ordinal) ? n["models/".Length..] : n)];
                models = [.. models.Select(m => m.StartsWith("models/", StringComparison.Ordinal) ? m["models/".Length..] : m)];
            }
            else
            {
                return Proceed($"GET {BaseUrls.Redact(url)} did not answer a model list ({{\"data\": […]}} or {{\"models\": […]}}); the requested models were not checked.");
            }
        }
        catch (JsonException)
        {
            return Proceed($"GET {BaseUrls.Redact(url)} did not answer JSON; the requested models were not checked.");
        }

        var shown = string.Join(", ", listed.Order(StringComparer.Ordinal).Take(20)) + (listed.Count > 20 ? ", …" : "");
        return Proceed([.. models.Where(m => !listed.Contains(m))
            .Select(m => $"model '{m}' is not in the endpoint's model list (GET {BaseUrls.Redact(url)}: {(listed.Count == 0 ? "none" : shown)}); its requests may fail.")]);
    }

    private static PreflightResult Proceed(params string[] warnings) => new(PreflightVerdict.Proceed, warnings);

    /// <summary>The provider's error message, if the body carries one (OpenAI's <c>{"error": {"message": …}}</c>),
    /// cut to 200 characters, the key masked should the server echo it.</summary>
    private static string Detail(string body, string? apiKey)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                // The server's sentence ends where Bench's goes on: its own full stop would double ("provided..").
                var text = (string.IsNullOrEmpty(apiKey) ? message.GetString()! : message.GetString()!.Replace(apiKey, BaseUrls.Mask, StringComparison.OrdinalIgnoreCase)).TrimEnd('.', ' ');
                return ": " + (text.Length > 200 ? text[..200] + "…" : text);
            }
        }
        catch (JsonException)
        {
        }

        return "";
    }

    private static string Reason(HttpRequestException e) => e.InnerException is SocketException socket ? socket.Message : e.Message;
}

/// <summary>What the preflight decided.</summary>
internal enum PreflightVerdict
{
    /// <summary>Go on (perhaps with warnings).</summary>
    Proceed,

    /// <summary>The key was refused (401): stop, exit code 2.</summary>
    BadKey,

    /// <summary>No connection could be made: stop, exit code 1.</summary>
    Unreachable,
}

/// <summary>The preflight's verdict and what it has to say (warnings when it proceeds, the reason when it stops).</summary>
internal sealed record PreflightResult(PreflightVerdict Verdict, IReadOnlyList<string> Messages);
