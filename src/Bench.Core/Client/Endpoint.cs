namespace Bench.Core.Client;

/// <summary>
/// A target's API: its base address (e.g. <c>http://127.0.0.1:1234/v1/</c>), protocol, optional API key, extra
/// headers, query parameters and body fields, and model-name map. The key is sent in the protocol's authentication
/// header (<see cref="AuthHeaderName"/>: <c>Authorization: Bearer …</c>, <c>x-api-key</c> or <c>x-goog-api-key</c>) and
/// is otherwise unreadable: <see cref="ToString"/> shows the address only, never the key, a header value or a query
/// parameter's value.
/// </summary>
public sealed class Endpoint
{
    /// <summary>Creates an endpoint.</summary>
    /// <param name="baseAddress">Absolute http(s) address up to and including the API version, e.g.
    /// <c>https://api.openai.com/v1</c>; a missing trailing slash is added.</param>
    /// <param name="apiKey">The bearer token; <see langword="null"/> or empty sends no <c>Authorization</c> header.</param>
    /// <exception cref="ArgumentException"><paramref name="baseAddress"/> is not an absolute http or https address, or
    /// <paramref name="apiKey"/> contains control characters (the message never shows the key).</exception>
    public Endpoint(Uri baseAddress, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Expected an absolute http or https address, got '{baseAddress}'.", nameof(baseAddress));
        }

        if (apiKey is not null && apiKey.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            throw new ArgumentException("The API key contains control characters (a pasted line break?).", nameof(apiKey));
        }

        // The query (e.g. Azure's ?api-version=…, or a key as ?api-key=…) belongs to every request, not to the path: keep
        // it after "chat/completions" rather than let a relative URI drop it (or a '/' land inside it).
        var path = baseAddress.GetLeftPart(UriPartial.Path);
        _path = path.EndsWith('/') ? path : path + "/";
        _baseQuery = baseAddress.Query;
        BaseAddress = new Uri(_path + _baseQuery);
        ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
    }

    private readonly string _path;

    // The request URL of every protocol but Gemini's (whose URL names the model and the mode), built on first use: the
    // properties it depends on (Protocol, QueryParameters) are init-only, and a Uri is parsed once, not per request.
    // Concurrent first uses build equal values; either one is kept.
    private Uri? _fixedUri;
    private readonly string _baseQuery;
    private string? _query;

    /// <summary>The API the endpoint speaks (<see cref="Wire.WireProtocol.OpenAiChat"/> by default): the request's path,
    /// body and authentication header, and how its response is read.</summary>
    public Wire.WireProtocol Protocol { get; init; } = Wire.WireProtocol.OpenAiChat;

    /// <summary>Headers added to every request (scenario <c>targets[].headers</c>: a gateway's own authentication, an
    /// organisation id, <c>anthropic-beta</c>…); values are secrets as far as display goes (never logged). Empty by
    /// default.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Fields added at the top level of every request body (scenario <c>targets[].body</c>, e.g.
    /// <c>"reasoning_effort": "low"</c>), written as given after Bench's own fields. Empty by default.</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement> BodyFields { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, System.Text.Json.JsonElement>.Empty;

    /// <summary>The name each catalogue model id is sent as on this endpoint (scenario <c>targets[].model_map</c>, e.g.
    /// <c>gpt-4.1</c> → <c>openai/gpt-4.1</c> on a relay); a model not in it is sent as named. Records keep the
    /// catalogue's name, so cells of two targets compare.</summary>
    public IReadOnlyDictionary<string, string> ModelNames { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The name <paramref name="model"/> is sent as (<see cref="ModelNames"/>).</summary>
    public string WireModel(string model) => ModelNames.TryGetValue(model, out var mapped) ? mapped : model;

    /// <summary>Query parameters added to every request's URL after the base address's own (scenario
    /// <c>targets[].query</c>, e.g. Azure OpenAI's <c>api-version</c>), names and values URL-encoded here. Empty by
    /// default. A name the base address's query already has is refused by <see cref="Validate"/>.</summary>
    public IReadOnlyDictionary<string, string> QueryParameters { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The base address, ending with <c>/</c>, with the base URL's own query (not
    /// <see cref="QueryParameters"/>).</summary>
    public Uri BaseAddress { get; }

    /// <summary><see cref="BaseAddress"/>'s path + <c>chat/completions</c>, with <see cref="Query"/>.</summary>
    public Uri ChatCompletionsUri => new(_path + "chat/completions" + Query);

    /// <summary>The base address's query followed by <see cref="QueryParameters"/>, with its <c>?</c> (or empty): added
    /// to every request's URL.</summary>
    internal string Query => _query ??= MergeQuery();

    /// <summary>The URL a generation request for <paramref name="wireModel"/> goes to (the common paths of issue 14):
    /// <list type="bullet">
    /// <item>openai-chat: <c>{base}chat/completions</c>;</item>
    /// <item>openai-responses: <c>{base}responses</c>;</item>
    /// <item>anthropic-messages: <c>{base}messages</c>;</item>
    /// <item>gemini: <c>{base}models/{model}:generateContent</c>, or <c>:streamGenerateContent?alt=sse</c> when
    /// streaming (ai.google.dev, "Generating content"; without <c>alt=sse</c> Gemini streams one JSON array, not
    /// Server-Sent Events). A leading <c>models/</c> in the name is dropped, the rest URL-encoded.</item>
    /// </list>
    /// Always with <see cref="Query"/> (after <c>alt=sse</c>).</summary>
    /// <param name="mode">Streaming or not (only Gemini's URL depends on it).</param>
    /// <param name="wireModel">The model as the target names it (<see cref="WireModel"/>).</param>
    public Uri RequestUri(Records.Mode mode, string wireModel)
    {
        ArgumentNullException.ThrowIfNull(wireModel);
        switch (Protocol)
        {
            case Wire.WireProtocol.OpenAiResponses:
                return _fixedUri ??= new Uri(_path + "responses" + Query);
            case Wire.WireProtocol.AnthropicMessages:
                return _fixedUri ??= new Uri(_path + "messages" + Query);
            case Wire.WireProtocol.Gemini:
                var name = wireModel.StartsWith("models/", StringComparison.Ordinal) ? wireModel["models/".Length..] : wireModel;
                var method = mode == Records.Mode.Streaming ? ":streamGenerateContent?alt=sse" : ":generateContent";
                var query = Query.Length == 0 ? "" : (mode == Records.Mode.Streaming ? "&" : "?") + Query[1..];
                return new Uri(_path + "models/" + Uri.EscapeDataString(name) + method + query);
            default:
                return _fixedUri ??= ChatCompletionsUri;
        }
    }

    /// <summary>The header that carries the key: <c>Authorization</c> (openai-chat, openai-responses: <c>Bearer
    /// KEY</c>), <c>x-api-key</c> (anthropic-messages), <c>x-goog-api-key</c> (gemini).</summary>
    public string AuthHeaderName => Protocol switch
    {
        Wire.WireProtocol.AnthropicMessages => "x-api-key",
        Wire.WireProtocol.Gemini => "x-goog-api-key",
        _ => "Authorization",
    };

    /// <summary>The <c>anthropic-version</c> Bench sends to anthropic-messages targets unless <see cref="Headers"/>
    /// gives another (Anthropic: "the anthropic-version header is required").</summary>
    public const string AnthropicVersion = "2023-06-01";

    /// <summary>Headers no target may set: the transport's own, and the content's.</summary>
    private static readonly string[] s_reservedHeaders = ["Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection"];

    /// <summary>Checks what the init properties gave, before anything is sent: <see cref="Headers"/> (valid names and
    /// values, not a transport header, and not the protocol's key header when the endpoint has a key — one key, one
    /// place; a keyless endpoint may carry its own <c>Authorization</c> or <c>api-key</c> header), <see cref="BodyFields"/>
    /// (<see cref="Wire.BodyFields.Check"/>) and <see cref="QueryParameters"/> (not repeating the base URL's). Messages
    /// name the header or field, never its value.</summary>
    /// <exception cref="ArgumentException">One of the above.</exception>
    public void Validate()
    {
        foreach (var (name, value) in Headers)
        {
            if (string.IsNullOrWhiteSpace(name) || name.AsSpan().ContainsAny(" :\t\r\n()<>@,;\"/[]?={}") || name.AsSpan().ContainsAnyInRange('\0', '\u001f'))
            {
                throw new ArgumentException($"The extra header name '{name}' is not a valid HTTP header name.", nameof(Headers));
            }

            if (value is null || value.AsSpan().ContainsAnyInRange('\0', '\u001f'))
            {
                throw new ArgumentException($"The value of the extra header '{name}' is missing or contains control characters (a pasted line break?).", nameof(Headers));
            }

            if (s_reservedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The extra header '{name}' is set by Bench's HTTP stack; remove it.", nameof(Headers));
            }

            if (HasApiKey && string.Equals(name, AuthHeaderName, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"The extra header '{name}' would duplicate the API key Bench already sends in it for {Wire.WireProtocols.Name(Protocol)}; give the key once (the key source, or the header with a keyless target).",
                    nameof(Headers));
            }
        }

        Wire.BodyFields.Check(Protocol, BodyFields);
        var own = _baseQuery.Length > 1
            ? _baseQuery[1..].Split('&').Select(p => Uri.UnescapeDataString(p.Split('=')[0])).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var name in QueryParameters.Keys)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("An extra query parameter has an empty name.", nameof(QueryParameters));
            }

            if (own.Contains(name))
            {
                throw new ArgumentException($"The extra query parameter '{name}' is already in the base URL's query; give it once.", nameof(QueryParameters));
            }
        }
    }

    /// <summary>Puts the key (in the protocol's header), <c>anthropic-version</c> for Anthropic, and
    /// <see cref="Headers"/> on <paramref name="message"/>. A keyless endpoint sends no key header. Every request to
    /// the target goes through here (generation, batch, preflight).</summary>
    public void ApplyHeaders(HttpRequestMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ApiKey is { } key)
        {
            if (Protocol is Wire.WireProtocol.OpenAiChat or Wire.WireProtocol.OpenAiResponses)
            {
                message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(AuthHeaderName, key);
            }
        }

        if (Protocol == Wire.WireProtocol.AnthropicMessages && !Headers.Keys.Any(h => string.Equals(h, "anthropic-version", StringComparison.OrdinalIgnoreCase)))
        {
            message.Headers.TryAddWithoutValidation("anthropic-version", AnthropicVersion);
        }

        foreach (var (name, value) in Headers)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private string MergeQuery()
    {
        if (QueryParameters.Count == 0)
        {
            return _baseQuery;
        }

        var added = string.Join('&', QueryParameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value ?? "")));
        return _baseQuery.Length > 1 ? _baseQuery + "&" + added : "?" + added;
    }

    /// <summary>The URL of <paramref name="relative"/> (e.g. <c>models</c>) under the base path, with the base
    /// query.</summary>
    public Uri Resolve(string relative) => new(BaseAddress.GetLeftPart(UriPartial.Path) + relative + Query);

    /// <summary>Whether requests carry the key header (<see cref="AuthHeaderName"/>); false for a keyless target.</summary>
    public bool HasApiKey => ApiKey is not null;

    /// <summary>The key itself: internal so that no serializer, logger or report can reach it.</summary>
    internal string? ApiKey { get; }

    /// <summary>Whether requests carry a secret: the key, or an extra header that authenticates (see
    /// <see cref="MaskedSecret"/>) — what must not travel over plain HTTP to another host.</summary>
    public bool CarriesSecret => MaskedSecret is not null;

    /// <summary>The secret to mask in texts kept from the server (<see cref="KeyMask"/>): the key, else — a
    /// header-authenticated target — the value of the first extra header whose name says it carries a credential
    /// (<c>key</c>, <c>auth</c>, <c>token</c>, <c>secret</c>), without an auth scheme (<c>Bearer </c>, <c>Basic </c>).</summary>
    internal string? MaskedSecret
    {
        get
        {
            if (ApiKey is not null)
            {
                return ApiKey;
            }

            foreach (var (name, value) in Headers)
            {
                if (name.Contains("key", StringComparison.OrdinalIgnoreCase) || name.Contains("auth", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("token", StringComparison.OrdinalIgnoreCase) || name.Contains("secret", StringComparison.OrdinalIgnoreCase))
                {
                    var space = value.IndexOf(' ', StringComparison.Ordinal);
                    return space > 0 && space < value.Length - 1 ? value[(space + 1)..].Trim() : value;
                }
            }

            return null;
        }
    }

    /// <summary>The base address as it may be shown (<see cref="BaseUrls.Redact"/>: user-info and query values
    /// masked); never the key.</summary>
    public override string ToString() => BaseUrls.Redact(BaseAddress);
}
