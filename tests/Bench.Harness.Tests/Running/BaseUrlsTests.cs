using Bench.Core.Client;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Harness.Tests.Running;

public sealed class BaseUrlsTests
{
    [Theory]
    [InlineData("https://api.example.com/v1", "https://api.example.com/v1")]
    [InlineData("https://user:sk-secret@api.example.com/v1", "https://***@api.example.com/v1")]
    [InlineData("https://h.example.com/v1?api-key=sk-secret", "https://h.example.com/v1?api-key=***")]
    [InlineData("https://h.example.com/v1?key=sk-secret&api-version=2024-10-21", "https://h.example.com/v1?key=***&api-version=2024-10-21")]
    [InlineData("http://127.0.0.1:8080/v1?sk-secret", "http://127.0.0.1:8080/v1?***")]
    [InlineData("https://h.example.com:8443/v1/#sk-secret", "https://h.example.com:8443/v1/")]
    public void Redact_SecretsInUrl_MaskedRestKept(string url, string shown)
    {
        Assert.Equal(shown, BaseUrls.Redact(new Uri(url)));
    }

    [Theory]
    [InlineData("http://localhost:8000/v1", false)]
    [InlineData("http://LOCALHOST/v1", false)]
    [InlineData("http://127.0.0.1/v1", false)]
    [InlineData("http://127.200.3.4:1234/v1", false)]
    [InlineData("http://[::1]:8000/v1", false)]
    [InlineData("http://[::ffff:127.0.0.1]:8000/v1", false)]
    [InlineData("https://api.example.com/v1", false)]
    [InlineData("http://api.example.com/v1", true)]
    [InlineData("http://10.0.0.5:8000/v1", true)]
    [InlineData("http://128.0.0.1/v1", true)]
    [InlineData("http://localhost.example.com/v1", true)]
    public void IsInsecure_PlainHttpOffThisMachine_True(string url, bool insecure)
    {
        Assert.Equal(insecure, BaseUrls.IsInsecure(new Uri(url)));
    }

    [Fact]
    public void Endpoint_BaseUrlWithQuery_KeepsTheQueryOnEveryRequestAndNeverShowsIt()
    {
        var endpoint = new Endpoint(new Uri("https://h.example.com/openai/v1?api-key=sk-secret&api-version=1"), "k");

        Assert.Equal("https://h.example.com/openai/v1/chat/completions?api-key=sk-secret&api-version=1", endpoint.ChatCompletionsUri.AbsoluteUri);
        Assert.Equal("https://h.example.com/openai/v1/models?api-key=sk-secret&api-version=1", endpoint.Resolve("models").AbsoluteUri);
        Assert.Equal("https://h.example.com/openai/v1/?api-key=***&api-version=1", endpoint.ToString());
    }

    [Fact]
    public void Endpoint_BaseUrlWithoutQuery_AsBefore()
    {
        var endpoint = new Endpoint(new Uri("http://127.0.0.1:9/v1"));

        Assert.Equal("http://127.0.0.1:9/v1/", endpoint.BaseAddress.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:9/v1/chat/completions", endpoint.ChatCompletionsUri.AbsoluteUri);
    }
}
