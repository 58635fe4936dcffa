using System.Text.Json;
using Bench.Simulator.Profiles;
using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary><c>GET /v1/models</c>: <c>{"object":"list","data":[{"id","object":"model","created","owned_by"}]}</c>,
/// one entry per profile.</summary>
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
        using (var json = new Utf8JsonWriter(response.BodyWriter))
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

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
