using System.Buffers;
using System.Text;
using Bench.Core.Client;
using Bench.Core.Prompts;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Text;
using Bench.Core.Tokens;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Prompts;

/// <summary>The default prompt source: classic scenarios unchanged, shaped ones exact, deterministic and cache-friendly.</summary>
public sealed class PromptSourcesTests
{
    [Fact]
    public void For_ClassicShape_SendsWhatBenchAlwaysSent()
    {
        var shape = new RequestShape { PromptTokens = 12, MaxTokens = 30, SystemPrompt = "be brief" };
        var source = PromptSources.For(shape, seed: 9);

        // The algorithm Bench used before issue 15 (ChatExecutor.BuildRequest at 496be80), written out independently.
        foreach (var id in new long[] { 0, 1, 15, 16, 17, 1000 })
        {
            var body = SyntheticText.Prompt(10, 9 + (int)(id % 16));
            var draw = source.Draw(id, "gpt-4o-mini");

            Assert.IsType<ClassicPromptSource>(source);
            Assert.Equal([new ChatMessage("system", "be brief"), new ChatMessage("user", $"request {id} {body}")], draw.Messages);
            Assert.Equal(30, draw.MaxTokens);
            Assert.Null(draw.IntendedPromptTokens);
            Assert.Null(draw.IntendedCompletionTokens);
            Assert.False(draw.IgnoreEos);
        }
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("gpt-4")]
    public void Draw_Synthetic_IntendedIsExactAndStable(string model)
    {
        var shape = new RequestShape
        {
            InputTokens = new LengthDistribution { Kind = DistributionKind.Uniform, Min = 20, Max = 400 },
            OutputTokens = new LengthDistribution { Kind = DistributionKind.Fixed, Value = 64 },
            IgnoreEos = true,
        };
        var source = PromptSources.For(shape, seed: 3);
        var counter = TokenCounter.ForModel(model);

        for (long id = 0; id < 50; id++)
        {
            var draw = source.Draw(id, model);

            Assert.Equal(LengthSampler.Sample(shape.InputTokens, 3, id, SeededDraw.InputStream), draw.IntendedPromptTokens);
            Assert.Equal(draw.IntendedPromptTokens, draw.Messages.Sum(m => counter.Count(m.Content)));
            Assert.Equal(64, draw.MaxTokens);
            Assert.Equal(64, draw.IntendedCompletionTokens);
            Assert.True(draw.IgnoreEos);
            Assert.Equal(draw, source.Draw(id, model) with { Messages = draw.Messages });
            Assert.Equal(draw.Messages, source.Draw(id, model).Messages);
        }
    }

    [Fact]
    public void Draw_SharedPrefix_GroupsShareTheirTextAndFractionHolds()
    {
        var shape = new RequestShape { PromptTokens = 50, SharedPrefix = new SharedPrefixSpec { Tokens = 300, Fraction = 0.6, Groups = 3 } };
        var source = PromptSources.For(shape, seed: 11);
        var counter = TokenCounter.ForModel("gpt-4o-mini");
        const int N = 3000;

        var draws = Enumerable.Range(0, N).Select(i => source.Draw(i, "gpt-4o-mini")).ToList();
        var withPrefix = draws.Where(d => d.PrefixGroup is not null).ToList();

        // p = 0.6 over 3,000: expected 1,800, binomial σ ≈ 27; 5σ.
        Assert.InRange(withPrefix.Count, 1800 - 135, 1800 + 135);
        Assert.Equal([0, 1, 2], withPrefix.Select(d => d.PrefixGroup!.Value).Distinct().Order());
        foreach (var group in withPrefix.GroupBy(d => d.PrefixGroup))
        {
            var texts = group.Select(d => d.Messages[0].Content).Distinct().ToList();
            Assert.Single(texts);
            Assert.Equal(300, counter.Count(texts[0]));
            Assert.All(group, d => Assert.Equal(350, d.IntendedPromptTokens));
        }

        Assert.All(draws.Where(d => d.PrefixGroup is null), d => Assert.Equal("user", Assert.Single(d.Messages).Role));
    }

    [Fact]
    public void Draw_Dataset_SamplesEntriesWithTheirLengths()
    {
        var dir = Directory.CreateTempSubdirectory("bench-source-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "d.jsonl"), """
                {"conversations":[{"from":"human","value":"Name three colours."},{"from":"gpt","value":"Red, green and blue."}]}
                {"conversations":[{"from":"human","value":"Say hi."},{"from":"gpt","value":"Hi there, friend!"}]}
                """);
            var shape = new RequestShape { Dataset = new DatasetSpec { Path = "d.jsonl" } };
            var source = PromptSources.For(shape, seed: 5, dir);
            var counter = TokenCounter.ForModel("gpt-4o");

            var draws = Enumerable.Range(0, 200).Select(i => source.Draw(i, "gpt-4o")).ToList();

            Assert.Equal([0L, 1L], draws.Select(d => d.SourceIndex!.Value).Distinct().Order());
            foreach (var draw in draws)
            {
                var (prompt, answer) = draw.SourceIndex == 0 ? ("Name three colours.", "Red, green and blue.") : ("Say hi.", "Hi there, friend!");
                Assert.Equal(prompt, Assert.Single(draw.Messages).Content);
                Assert.Equal(counter.Count(prompt), draw.IntendedPromptTokens);
                Assert.Equal(counter.Count(answer), draw.IntendedCompletionTokens);
                Assert.Equal(counter.Count(answer), draw.MaxTokens);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Writer_IgnoreEos_AddsVllmSamplingFields_OnlyWhenAsked()
    {
        var plain = Body(new ChatRequest("m", Mode.NonStreaming, [new ChatMessage("user", "x")], 7, 1));
        var exact = Body(new ChatRequest("m", Mode.NonStreaming, [new ChatMessage("user", "x")], 7, 1, IgnoreEos: true));

        Assert.Equal("""{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":7,"stream":false,"seed":1}""", plain);
        Assert.Equal("""{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":7,"stream":false,"seed":1,"ignore_eos":true,"min_tokens":7}""", exact);
    }

    private static string Body(ChatRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ChatRequestWriter.Write(buffer, request);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
