namespace Bench.Core.Client;

/// <summary>
/// An OpenAI-compatible API: its base address (e.g. <c>http://127.0.0.1:1234/v1/</c>) and an optional API key. The key
/// is sent as <c>Authorization: Bearer …</c> and is otherwise unreadable: <see cref="ToString"/> shows the address only.
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
        path = path.EndsWith('/') ? path : path + "/";
        Query = baseAddress.Query;
        BaseAddress = new Uri(path + Query);
        ChatCompletionsUri = new Uri(path + "chat/completions" + Query);
        ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
    }

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

    /// <summary>The base address, ending with <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary><see cref="BaseAddress"/>'s path + <c>chat/completions</c>, with its query.</summary>
    public Uri ChatCompletionsUri { get; }

    /// <summary>The base address's query, with its <c>?</c> (or empty): added to every request's URL.</summary>
    internal string Query { get; }

    /// <summary>The URL of <paramref name="relative"/> (e.g. <c>models</c>) under the base path, with the base
    /// query.</summary>
    public Uri Resolve(string relative) => new(BaseAddress.GetLeftPart(UriPartial.Path) + relative + Query);

    /// <summary>Whether requests carry an <c>Authorization</c> header.</summary>
    public bool HasApiKey => ApiKey is not null;

    /// <summary>The key itself: internal so that no serializer, logger or report can reach it.</summary>
    internal string? ApiKey { get; }

    /// <summary>The base address as it may be shown (<see cref="BaseUrls.Redact"/>: user-info and query values
    /// masked); never the key.</summary>
    public override string ToString() => BaseUrls.Redact(BaseAddress);
}
