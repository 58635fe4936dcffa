using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bench.Core.Configuration;
using Bench.Core.Records;

namespace Bench.Core.Tests.Configuration;

public class ConfigReaderTests
{
    public enum Colour
    {
        DarkRed,
        [JsonStringEnumMemberName("sky-blue")]
        SkyBlue,
    }

    public sealed class Sample : IConfigValidatable
    {
        [Required]
        public string Name { get; set; } = "";

        public bool Flag { get; set; }

        [Range(1, 10, ErrorMessage = "must be between 1 and 10")]
        public int Count { get; set; } = 1;

        public double Ratio { get; set; }

        public decimal Price { get; set; }

        public decimal? OptionalPrice { get; set; }

        public TimeSpan Wait { get; set; }

        public Uri? Url { get; set; }

        public Colour Colour { get; set; }

        public List<Mode> Modes { get; set; } = [];

        public Dictionary<string, double> Limits { get; set; } = [];

        public Inner? Inner { get; set; }

        public Pair? Pair { get; set; }

        [JsonPropertyName("renamed")]
        public string? OtherName { get; set; }

        public string? Note { get; set; }

        public void Validate(ConfigValidation validation)
        {
            if (Flag && Count > 5)
            {
                validation.Error(nameof(Count), $"must be at most 5 when {validation.NameOf(nameof(Flag))} is set");
            }
        }
    }

    public sealed class Inner
    {
        public int MaxConcurrency { get; set; }
    }

    public sealed record Pair([property: Range(0, 1, ErrorMessage = "must be between 0 and 1")] double Low, double High = 1);

    private static Sample Parse(string json) => ConfigReader.Parse<Sample>(json, "s.json");

    private static List<string> Errors(string json) =>
        [.. Assert.Throws<ConfigException>(() => Parse(json)).Errors.Select(e => $"{e.Path}: {e.Reason}")];

    [Fact]
    public void Parse_EveryValueKind_ReadsIt()
    {
        var s = Parse("""
            // comments and trailing commas are allowed
            {
              "$schema": "./sample.schema.json",
              "name": "n", "flag": true, "count": 3, "ratio": 0.25, "price": 0.1000000000000000000001, "optional_price": null,
              "wait": "1.5m", "url": "https://example.com/v1", "colour": "sky-blue", "modes": ["streaming", "non-streaming"],
              "limits": { "ttft_ms": 500 }, "inner": { "max_concurrency": 8 }, "pair": { "low": 0.5 }, "renamed": "x",
            }
            """);

        Assert.Equal("n", s.Name);
        Assert.True(s.Flag);
        Assert.Equal(3, s.Count);
        Assert.Equal(0.25, s.Ratio);
        Assert.Equal(0.1000000000000000000001m, s.Price);
        Assert.Null(s.OptionalPrice);
        Assert.Equal(TimeSpan.FromSeconds(90), s.Wait);
        Assert.Equal(new Uri("https://example.com/v1"), s.Url);
        Assert.Equal(Colour.SkyBlue, s.Colour);
        Assert.Equal([Mode.Streaming, Mode.NonStreaming], s.Modes);
        Assert.Equal(500, s.Limits["ttft_ms"]);
        Assert.Equal(8, s.Inner!.MaxConcurrency);
        Assert.Equal(new Pair(0.5, 1), s.Pair);
        Assert.Equal("x", s.OtherName);
    }

    [Theory]
    [InlineData("\"30s\"", 30_000)]
    [InlineData("\"500ms\"", 500)]
    [InlineData("\"2m\"", 120_000)]
    [InlineData("12", 12_000)]
    [InlineData("0.25", 250)]
    public void Parse_Duration_StringOrSeconds(string wait, double ms) =>
        Assert.Equal(ms, Parse($$"""{ "name": "n", "wait": {{wait}} }""").Wait.TotalMilliseconds);

    [Fact]
    public void Parse_WrongTypes_SayWhatWasFound()
    {
        Assert.Equal(
        [
            "$.flag: expected true or false, found the string \"yes\"",
            "$.count: expected a whole number, found the number 1.5",
            "$.ratio: expected a number, found true",
            "$.wait: expected a duration like \"30s\", \"2m\", \"500ms\" or a number of seconds, found the string \"soon\"",
            "$.url: 'ftp://example.com' is not an http(s) URL",
            "$.colour: unknown colour 'red'; use one of dark_red, sky-blue",
            "$.modes[1]: unknown mode 'batch'; use one of non-streaming, streaming, batch-api",
            "$.limits.ttft_ms: expected a number, found null",
            "$.inner: expected an object, found an array",
            "$.name: expected a string, found null",
        ], Errors("""
            { "flag": "yes", "count": 1.5, "ratio": true, "wait": "soon", "url": "ftp://example.com", "colour": "red",
              "modes": ["streaming", "batch"], "limits": { "ttft_ms": null }, "inner": [], "name": null }
            """));
    }

    [Fact]
    public void Parse_UnknownAndMissingFields_ListKnownFieldsThenRequired()
    {
        Assert.Equal(
        [
            "$.colour_name: unknown field; known fields here: name, flag, count, ratio, price, optional_price, wait, url, colour, modes, limits, inner, pair, renamed, note",
            "$.inner.max_concurency: unknown field; known fields here: max_concurrency",
            "$.pair.high: expected a number, found the string \"x\"",
            "$.pair.low: is required",
            "$.name: is required",
        ], Errors("""{ "colour_name": 1, "inner": { "max_concurency": 2 }, "pair": { "high": "x" } }"""));
    }

    [Fact]
    public void Parse_RulesOfFieldsThenOfTheObject_AllAtOnce()
    {
        Assert.Equal(
        [
            "$.count: must be between 1 and 10",
            "$.pair.low: must be between 0 and 1",
        ], Errors("""{ "name": "n", "count": 11, "pair": { "low": 2 } }"""));
        Assert.Equal(["$.count: must be at most 5 when flag is set"], Errors("""{ "name": "n", "count": 6, "flag": true }"""));
    }

    [Fact]
    public void Parse_RequiredFieldMissing_SkipsTheObjectsOwnRules() =>
        Assert.Equal(["$.name: is required"], Errors("""{ "count": 6, "flag": true }"""));

    [Fact]
    public void Parse_NotJson_NamesLineAndColumn()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("{ \"name\": "));

        Assert.Equal("$", Assert.Single(e.Errors).Path);
        Assert.StartsWith("not valid JSON (line 1, column ", e.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ModelBuiltInCode_SameRulesAtJsonPaths()
    {
        var sample = new Sample { Name = " ", Count = 7, Flag = true, Pair = new Pair(-1) };

        var e = Assert.Throws<ConfigException>(() => ConfigReader.Validate(sample, "<command line>"));

        Assert.Equal(
        [
            "<command line>: $.name: The name field is required.",
            "<command line>: $.pair.low: must be between 0 and 1",
            "<command line>: $.count: must be at most 5 when flag is set",
        ], e.Errors.Select(x => x.ToString()));
    }

    [Fact]
    public void ConfigException_Message_ListsEveryErrorUnderTheFile()
    {
        var e = new ConfigException([new ConfigError("a.json", "$.x", "bad"), new ConfigError("a.json", "$.y", "worse"), new ConfigError("b.json", "$", "gone")]);

        Assert.Equal(
            string.Join(Environment.NewLine, "a.json: 3 errors:", "  $.x: bad", "  $.y: worse", "  b.json: $: gone"),
            e.Message);
    }

    [Fact]
    public void ShapeOf_Sample_DescribesFieldsAsTheReaderSeesThem()
    {
        var shape = ConfigReader.ShapeOf(typeof(Sample));

        var fields = shape.Fields!.ToDictionary(f => f.Name);
        Assert.Equal(ConfigJsonTypes.Object, shape.Types);
        Assert.True(fields["name"].Required);
        Assert.Equal(ConfigJsonTypes.Integer, fields["count"].Shape.Types);
        Assert.Equal(ConfigJsonTypes.Number | ConfigJsonTypes.Null, fields["optional_price"].Shape.Types);
        Assert.Equal(ConfigJsonTypes.String | ConfigJsonTypes.Number, fields["wait"].Shape.Types);
        Assert.Equal(["dark_red", "sky-blue"], fields["colour"].Shape.Values);
        Assert.Equal(ConfigJsonTypes.Number, fields["limits"].Shape.Items!.Types);
        Assert.Equal("OtherName", fields["renamed"].Property);
        Assert.False(fields["pair"].Shape.Fields!.Single(f => f.Name == "high").Required);
        Assert.True(fields["pair"].Shape.Fields!.Single(f => f.Name == "low").Required);
    }

    [Fact]
    public void JsonName_Property_IsSnakeCaseOrTheGivenName()
    {
        Assert.Equal("max_concurrency", ConfigReader.JsonName(typeof(Inner), nameof(Inner.MaxConcurrency)));
        Assert.Equal("renamed", ConfigReader.JsonName(typeof(Sample), nameof(Sample.OtherName)));
    }

    [Theory]
    [InlineData("\"s\"", "the string \"s\"")]
    [InlineData("\"0123456789012345678901234567890123456789more\"", "the string \"0123456789012345678901234567890123456789…\"")]
    [InlineData("1.50", "the number 1.50")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    [InlineData("[1]", "an array")]
    [InlineData("{}", "an object")]
    public void Describe_Value_SaysWhatItIs(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, ConfigReader.Describe(document.RootElement));
    }
}
