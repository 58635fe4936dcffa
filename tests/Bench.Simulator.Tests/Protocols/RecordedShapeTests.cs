using System.Text.Json;
using static Bench.Simulator.Tests.Protocols.WireClient;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Protocols;

/// <summary>
/// The simulator's events use the providers' own field names: every field path of every event it sends (and of its
/// non-streaming objects) occurs in an event of the same type in the real recorded bodies
/// (<c>RecordedFieldPaths.json</c>, written by a python reader over shared/fixtures/recorded-streams), except the few
/// documented fields those recordings happen not to show (<see cref="NotRecorded"/>).
/// </summary>
public class RecordedShapeTests
{
    private static readonly JsonElement Recorded = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(TestPaths.RepositoryRoot, "tests", "Bench.Simulator.Tests", "Protocols", "RecordedFieldPaths.json"))).RootElement;

    /// <summary>Documented fields no recording shows: Responses' <c>incomplete_details.reason</c>
    /// (platform.openai.com/docs/api-reference/responses/object) and an error's <c>code</c>/<c>message</c> (no
    /// recording failed); an Anthropic non-streaming message's text block (recorded <c>message_start</c>s have empty
    /// content; the block's <c>type</c> and <c>text</c> are those of <c>content_block_start</c>'s, per
    /// docs.anthropic.com/en/api/messages).</summary>
    private static readonly HashSet<string> NotRecorded =
    [
        "message.content[].type", "message.content[].text",
        "response.incomplete_details.reason", "incomplete_details.reason",
        "response.error.code", "response.error.message", "error.code", "error.message",
    ];

    [Theory]
    [InlineData("openai-responses")]
    [InlineData("anthropic-messages")]
    [InlineData("gemini")]
    public async Task Stream_EveryFieldOfEveryEvent_OccursInTheRecordingsEventOfThatType(string protocol)
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, protocol);
        var (path, body) = Request(protocol, "fast", stream: true);

        var events = await EventsAsync(client, path, body);

        foreach (var (type, data) in events)
        {
            var recordedType = protocol == "gemini" ? "chunk" : type;
            AssertRecorded(protocol, recordedType, prefix: "", data);
        }
    }

    [Theory]
    [InlineData("openai-responses", "response.completed", "response.")]
    [InlineData("anthropic-messages", "message_start", "message.")]
    [InlineData("gemini", "chunk", "")]
    public async Task Complete_EveryFieldOfTheObject_OccursInTheRecordedObject(string protocol, string recordedType, string prefix)
    {
        await using var host = await StartAsync(Fast());
        using var client = Create(host, protocol);
        var (path, body) = Request(protocol, "fast", stream: false, maxTokens: 5);

        var (_, answer) = await JsonAsync(client, path, body);

        AssertRecorded(protocol, recordedType, prefix, answer);
    }

    private static void AssertRecorded(string protocol, string recordedType, string prefix, JsonElement data)
    {
        Assert.True(Recorded.GetProperty(protocol).TryGetProperty(recordedType, out var known), $"{protocol}: no recorded event of type {recordedType}");
        var recorded = known.EnumerateArray().Select(p => p.GetString()!).ToHashSet();
        var unknown = Paths(data, prefix.TrimEnd('.')).Where(p => !recorded.Contains(p) && !NotRecorded.Contains(p)).ToList();
        Assert.True(unknown.Count == 0, $"{protocol} {recordedType}: fields no recording has: {string.Join(", ", unknown)}");
    }

    /// <summary>Dot-separated paths, <c>[]</c> for array items, as the python reader writes them.</summary>
    private static IEnumerable<string> Paths(JsonElement element, string prefix)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                    yield return path;
                    foreach (var inner in Paths(property.Value, path))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var inner in Paths(item, prefix + "[]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
