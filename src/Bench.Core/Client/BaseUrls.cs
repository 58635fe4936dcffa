using System.Net;
using System.Text;

namespace Bench.Core.Client;

/// <summary>
/// What Bench shows of an endpoint's base URL, and whether a key may travel to it. A base URL may carry a secret:
/// user-info (<c>https://user:sk-…@host/v1</c>) or a query value (<c>?api-key=sk-…</c>, Azure-style); every place a
/// base URL is displayed (console, <c>run.json</c>, reports, error messages) shows <see cref="Redact"/>'s form, while
/// requests still go to the URL as given (<see cref="Endpoint"/> keeps the query on every request).
/// </summary>
public static class BaseUrls
{
    /// <summary>What a hidden value is shown as.</summary>
    public const string Mask = "***";

    /// <summary>Query parameters whose values are shown as they are: they select an API version, never grant access.
    /// Every other query value is masked — a key may hide under any name (<c>key</c>, <c>api-key</c>, <c>code</c>,
    /// <c>sig</c>, …).</summary>
    private static readonly HashSet<string> Harmless = new(StringComparer.OrdinalIgnoreCase) { "api-version", "api_version", "version" };

    /// <summary>The URL as it may be shown: user-info replaced by <c>***</c>, every query value except an API version
    /// replaced by <c>***</c> (names kept), fragment dropped. E.g. <c>https://u:sk-1@host/v1?api-key=sk-1&amp;api-version=2024-10-21</c>
    /// → <c>https://***@host/v1?api-key=***&amp;api-version=2024-10-21</c>.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return url.OriginalString;
        }

        var text = new StringBuilder()
            .Append(url.Scheme).Append("://")
            .Append(url.UserInfo.Length > 0 ? Mask + "@" : "")
            .Append(url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}")
            .Append(url.AbsolutePath);
        if (url.Query.Length > 1)
        {
            var parameters = url.Query[1..].Split('&').Select(p =>
            {
                var equals = p.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0)
                {
                    // A bare value may be the key itself.
                    return p.Length == 0 ? p : Mask;
                }

                var name = p[..equals];
                return Harmless.Contains(Uri.UnescapeDataString(name)) ? p : $"{name}={Mask}";
            });
            text.Append('?').Append(string.Join('&', parameters));
        }

        return text.ToString();
    }

    /// <summary>Whether the URL carries user-info (<c>user:password@</c>).</summary>
    public static bool HasUserInfo(Uri url) => url is { IsAbsoluteUri: true, UserInfo.Length: > 0 };

    /// <summary>Whether the host is this machine: <c>localhost</c>, an address in 127.0.0.0/8, or <c>::1</c> (also
    /// written IPv4-mapped, <c>::ffff:127.0.0.1</c>). Only these may receive a key over plain HTTP without
    /// <c>--allow-insecure-http</c>: their traffic never leaves the machine.</summary>
    public static bool IsLoopback(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (string.Equals(url.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address))
        {
            return false;
        }

        return IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    /// <summary>Whether a key sent to <paramref name="url"/> would cross the network in clear text: plain
    /// <c>http</c> to a host that is not <see cref="IsLoopback"/>.</summary>
    public static bool IsInsecure(Uri url) =>
        url is { IsAbsoluteUri: true } && url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url);
}
