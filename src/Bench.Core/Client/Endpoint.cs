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
