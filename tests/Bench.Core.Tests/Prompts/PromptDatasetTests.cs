using Bench.Core.Configuration;
using Bench.Core.Prompts.Datasets;

namespace Bench.Core.Tests.Prompts;

/// <summary>Dataset files: both formats, detection, ShareGPT's skipping rule (vLLM's), and errors at file and line.</summary>
public sealed class PromptDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-dataset-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_Messages_ReadsEntriesAndMaxTokens()
    {
        var path = Write("m.jsonl", """
            {"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}],"max_tokens":50}

            {"messages":[{"role":"user","content":"what is 2+2?"}]}
            """);

        var dataset = PromptDataset.Load(path, null);

        Assert.Equal(PromptDataset.MessagesFormat, dataset.Format);
        Assert.Equal(2, dataset.Entries.Count);
        Assert.Equal(50, dataset.Entries[0].MaxTokens);
        Assert.Equal("system", dataset.Entries[0].Messages[0].Role);
        Assert.Null(dataset.Entries[1].MaxTokens);
        Assert.Equal(2, dataset.Entries[1].Index); // the blank line keeps its number
    }

    [Fact]
    public void Load_ShareGptArray_FirstHumanThenGpt_SkipsTheRest()
    {
        var path = Write("s.json", """
            [
              {"id":"a","conversations":[{"from":"human","value":"Tell me a joke"},{"from":"gpt","value":"Why did the chicken cross the road?"},{"from":"human","value":"more"}]},
              {"id":"b","conversations":[{"from":"human","value":"alone"}]},
              {"id":"c","conversations":[{"from":"gpt","value":"starts with the model"},{"from":"human","value":"x"}]},
              {"id":"d","conversations":[{"from":"system","value":"You are terse."},{"from":"human","value":"hello"},{"from":"gpt","value":"hi"}]}
            ]
            """);

        var dataset = PromptDataset.Load(path, null);

        Assert.Equal(PromptDataset.ShareGptFormat, dataset.Format);
        Assert.Equal(2, dataset.Skipped);
        Assert.Equal([0L, 3L], dataset.Entries.Select(e => e.Index));
        Assert.Equal("Tell me a joke", Assert.Single(dataset.Entries[0].Messages).Content);
        Assert.Equal("Why did the chicken cross the road?", dataset.Entries[0].Completion);
        Assert.Equal(["system", "user"], dataset.Entries[1].Messages.Select(m => m.Role));
    }

    [Fact]
    public void Load_ShareGptJsonl_IsDetected()
    {
        var path = Write("s.jsonl", """
            {"conversations":[{"from":"human","value":"q"},{"from":"gpt","value":"a"}]}
            """);

        Assert.Equal(PromptDataset.ShareGptFormat, PromptDataset.Load(path, null).Format);
    }

    [Fact]
    public void Load_BadLines_NameFileAndLine()
    {
        var path = Write("bad.jsonl", """
            {"messages":[{"role":"user","content":"ok"}]}
            this is not json
            {"messages":[]}
            {"messages":[{"role":"robot","content":"x"}]}
            {"messages":[{"role":"user","content":"x"}],"max_tokens":0}
            """);

        var error = Assert.Throws<ConfigException>(() => PromptDataset.Load(path, null));

        Assert.Equal(["line 2", "line 3", "line 4", "line 5"], error.Errors.Select(e => e.Path));
        Assert.All(error.Errors, e => Assert.Equal(path, e.File));
        Assert.StartsWith("not JSON", error.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShareGptWithNothingUsable_IsAnError()
    {
        var path = Write("empty.json", """[ {"conversations":[{"from":"human","value":"alone"}]} ]""");

        var error = Assert.Throws<ConfigException>(() => PromptDataset.Load(path, "sharegpt"));

        Assert.Contains("no usable entry (1 skipped", error.Message, StringComparison.Ordinal);
    }
}
