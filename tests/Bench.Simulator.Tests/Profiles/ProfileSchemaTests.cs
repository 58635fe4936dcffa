using System.Text.Json;
using System.Text.Json.Nodes;
using Bench.Core.Tests.Configuration;
using Bench.Simulator.Profiles;
using NJsonSchema;

namespace Bench.Simulator.Tests.Profiles;

/// <summary><c>scenarios/profile.schema.json</c> describes exactly what the profile reader reads, and every shipped
/// profile is valid against it.</summary>
public class ProfileSchemaTests
{
    private static readonly string SchemaPath = Path.Combine(TestPaths.RepositoryRoot, "scenarios", "profile.schema.json");

    public static TheoryData<string> ShippedProfiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestPaths.Profiles, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void ProfileSchema_MatchesTheModelProfileModel() =>
        Assert.Empty(SchemaDrift.Compare(typeof(ModelProfile), File.ReadAllText(SchemaPath)));

    [Theory]
    [MemberData(nameof(ShippedProfiles))]
    public async Task ShippedProfile_ValidatesAgainstTheSchema(string name)
    {
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(SchemaPath));

        var errors = schema.Validate(WithoutComments(await File.ReadAllTextAsync(Path.Combine(TestPaths.Profiles, name))));

        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [InlineData("""{ "model": "m", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1, "output_tokens": { "mean": 1, "sd": 0 }, "colour": 1 }""")]
    [InlineData("""{ "model": "m", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1 }""")]
    [InlineData("""{ "model": "m", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1, "tokens_per_chunk": 2, "replay": { "folder": "r" } }""")]
    public async Task Schema_RejectsWhatTheLoaderRejects(string json)
    {
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(SchemaPath));
        var directory = Directory.CreateTempSubdirectory("bench-profile-schema-").FullName;
        try
        {
            var file = Path.Combine(directory, "p.json");
            await File.WriteAllTextAsync(file, json);

            Assert.NotEmpty(schema.Validate(json));
            Assert.Throws<Bench.Core.Configuration.ConfigException>(() => ProfileLoader.Load(file));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // Profiles allow comments and trailing commas; the schema validator (Newtonsoft-based) does not.
    private static string WithoutComments(string json) =>
        JsonNode.Parse(json, documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        })!.ToJsonString();
}
