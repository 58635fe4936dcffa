using System.Text.Encodings.Web;
using System.Text.Json;
using Bench.Core.Wire;
using Microsoft.AspNetCore.Http;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// An error response in OpenAI's shape (<c>ErrorResponse</c> in the OpenAI API schema):
/// <c>{"error":{"message":…,"type":…,"param":…,"code":…}}</c>, or in another protocol's
/// (<see cref="Write(HttpResponse, WireProtocol)"/>): Anthropic's <c>{"type":"error","error":{"type":…,"message":…}}</c>
/// (docs.anthropic.com/en/api/errors) and Gemini's <c>{"error":{"code":…,"message":…,"status":…}}</c>
/// (ai.google.dev/gemini-api/docs/troubleshooting), the type or status following the HTTP status.
/// </summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Message">Human-readable message (never contains the API key).</param>
/// <param name="Type"><c>error.type</c>, e.g. <c>invalid_request_error</c>.</param>
/// <param name="Param"><c>error.param</c>: the offending request field, if any.</param>
/// <param name="Code"><c>error.code</c>, e.g. <c>invalid_api_key</c>.</param>
internal readonly record struct ApiError(int Status, string Message, string Type, string? Param, string? Code)
{
    private const string InvalidRequest = "invalid_request_error";

    /// <summary>Messages quote names with <c>'</c> and <c>`</c>, which the default encoder escapes for HTML; these
    /// bodies are JSON only.</summary>
    private static readonly JsonWriterOptions WriterOptions =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ApiError MissingApiKey { get; } = new(
        StatusCodes.Status401Unauthorized,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth "
        + "(i.e. Authorization: Bearer YOUR_KEY).",
        InvalidRequest,
        null,
        "invalid_api_key");

    public static ApiError IncorrectApiKey { get; } = new(
        StatusCodes.Status401Unauthorized, "Incorrect API key provided.", InvalidRequest, null, "invalid_api_key");

    public static ApiError InvalidJson { get; } = new(
        StatusCodes.Status400BadRequest,
        "We could not parse the JSON body of your request. The body must be a JSON object.",
        InvalidRequest,
        null,
        null);

    public static ApiError ServerError { get; } = new(
        StatusCodes.Status500InternalServerError,
        "The server had an error while processing your request (simulated).",
        "server_error",
        null,
        null);

    public static ApiError ModelNotFound(string model) => new(
        StatusCodes.Status404NotFound,
        $"The model `{model}` does not exist or you do not have access to it.",
        InvalidRequest,
        null,
        "model_not_found");

    public static ApiError MissingParameter(string param) => new(
        StatusCodes.Status400BadRequest,
        $"Missing required parameter: '{param}'.",
        InvalidRequest,
        param,
        "missing_required_parameter");

    public static ApiError InvalidValue(string param, string expected) => new(
        StatusCodes.Status400BadRequest,
        $"Invalid value for '{param}': expected {expected}.",
        InvalidRequest,
        param,
        "invalid_value");

    /// <summary>An injected 5xx (<see cref="Bench.Core.Faults.FaultKind.ServerError"/>) with OpenAI's wording for
    /// the status.</summary>
    public static ApiError ServerErrorOf(int status) => status switch
    {
        502 => new(502, "Bad gateway (simulated).", "server_error", null, null),
        503 => new(503, "The server is overloaded or not ready yet (simulated).", "server_error", null, null),
        504 => new(504, "Gateway timeout (simulated).", "server_error", null, null),
        _ => ServerError,
    };

    /// <summary>An error object sent inside a 200 answer (<see cref="Bench.Core.Faults.FaultKind.ErrorMidStream"/>).</summary>
    public static ApiError MidAnswer { get; } = new(
        StatusCodes.Status200OK,
        "The server had an error while processing your request (simulated, mid-answer).",
        "server_error",
        null,
        "internal_error");

    /// <summary>Writes the status and the JSON body without flushing (headers such as <c>Retry-After</c> are the
    /// caller's).</summary>
    public void Write(HttpResponse response)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        WriteJson(response.BodyWriter);
    }

    /// <summary>Writes the <c>{"error":{…}}</c> object only.</summary>
    public void WriteJson(System.Buffers.IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, Message);
        json.WriteString("type"u8, Type);
        json.WriteString("param"u8, Param);
        json.WriteString("code"u8, Code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Writes the error (<see cref="Write(HttpResponse)"/>) and flushes it.</summary>
    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        Write(response);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>Writes the error in <paramref name="protocol"/>'s shape and flushes it.</summary>
    public async Task WriteAsync(HttpResponse response, WireProtocol protocol, CancellationToken cancellationToken)
    {
        Write(response, protocol);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>Writes the status and the JSON body in <paramref name="protocol"/>'s shape, without flushing.</summary>
    public void Write(HttpResponse response, WireProtocol protocol)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        WriteJson(response.BodyWriter, protocol);
    }

    /// <summary>Writes the error object in <paramref name="protocol"/>'s shape (OpenAI's for both OpenAI protocols).</summary>
    public void WriteJson(System.Buffers.IBufferWriter<byte> output, WireProtocol protocol)
    {
        if (protocol is WireProtocol.OpenAiChat or WireProtocol.OpenAiResponses)
        {
            WriteJson(output);
            return;
        }

        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        if (protocol == WireProtocol.AnthropicMessages)
        {
            json.WriteString("type"u8, "error"u8);
            json.WriteStartObject("error"u8);
            json.WriteString("type"u8, AnthropicType);
            json.WriteString("message"u8, Message);
            json.WriteEndObject();
        }
        else
        {
            json.WriteStartObject("error"u8);
            json.WriteNumber("code"u8, Status == StatusCodes.Status200OK ? StatusCodes.Status500InternalServerError : Status);
            json.WriteString("message"u8, Message);
            json.WriteString("status"u8, GoogleStatus);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>Anthropic's <c>error.type</c> for the status (docs.anthropic.com/en/api/errors).</summary>
    public string AnthropicType => Status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 or 200 => "overloaded_error",
        _ => "api_error",
    };

    /// <summary>Google's <c>error.status</c> for the status (google.rpc.Code; ai.google.dev/gemini-api/docs/troubleshooting).</summary>
    public string GoogleStatus => Status switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        503 or 529 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };
}
