using System.Text.Json;
using Bench.Simulator.Profiles;
using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary><c>GET /v1/models</c>, one entry per profile, in the protocol of the request
/// (<see cref="ApiKeyCheck.ProtocolOf"/>): OpenAI's <c>{"object":"list","data":[{"id","object":"model","created","owned_by"}]}</c>;
/// with <c>anthropic-version</c>, Anthropic's <c>{"data":[{"type":"model","id","display_name","created_at"}],
/// "has_more":false,"first_id","last_id"}</c> (docs.anthropic.com/en/api/models-list); with <c>x-goog-api-key</c>,
/// Gemini's <c>{"models":[{"name":"models/{id}","displayName",…}]}</c> (ai.google.dev/api/models#method:-models.list).</summary>
internal sealed class ModelsEndpoint
{
    private readonly IReadOnlyList<ModelProfile> _profiles;
    private readonly long _created;

    /// <summary>Lists <paramref name="profiles"/>, all created at <paramref name="created"/> (Unix seconds).</summary>
    public ModelsEndpoint(IReadOnlyList<ModelProfile> profiles, long created)
    {
        _profiles = profiles;
        _created = created;
    }

    /// <summary>Handles one request (authentication has been checked).</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        var protocol = ApiKeyCheck.ProtocolOf(context.Request);
        using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            if (protocol == Bench.Core.Wire.WireProtocol.AnthropicMessages)
            {
                WriteAnthropic(json);
            }
            else if (protocol == Bench.Core.Wire.WireProtocol.Gemini)
            {
                WriteGemini(json);
            }
            else
            {
                WriteOpenAi(json);
            }
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private void WriteAnthropic(Utf8JsonWriter json)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(_created).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        json.WriteStartObject();
        json.WriteStartArray("data"u8);
        foreach (var profile in _profiles)
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "model"u8);
            json.WriteString("id"u8, profile.Model);
            json.WriteString("display_name"u8, profile.Model);
            json.WriteString("created_at"u8, created);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteBoolean("has_more"u8, false);
        json.WriteString("first_id"u8, _profiles.Count > 0 ? _profiles[0].Model : null);
        json.WriteString("last_id"u8, _profiles.Count > 0 ? _profiles[^1].Model : null);
        json.WriteEndObject();
    }

    private void WriteGemini(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("models"u8);
        foreach (var profile in _profiles)
        {
            json.WriteStartObject();
            json.WriteString("name"u8, "models/" + profile.Model);
            json.WriteString("displayName"u8, profile.Model);
            json.WriteStartArray("supportedGenerationMethods"u8);
            json.WriteStringValue("generateContent"u8);
            json.WriteStringValue("streamGenerateContent"u8);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private void WriteOpenAi(Utf8JsonWriter json)
    {
        {
            json.WriteStartObject();
            json.WriteString("object"u8, "list"u8);
            json.WriteStartArray("data"u8);
            foreach (var profile in _profiles)
            {
                json.WriteStartObject();
                json.WriteString("id"u8, profile.Model);
                json.WriteString("object"u8, "model"u8);
                json.WriteNumber("created"u8, _created);
                json.WriteString("owned_by"u8, profile.OwnedBy);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
    }
}
