using System.Collections.Concurrent;
using Bench.Core.Client;
using Bench.Core.Prompts.Datasets;
using Bench.Core.Scenarios;
using Bench.Core.Text;
using Bench.Core.Tokens;

namespace Bench.Core.Prompts;

/// <summary>The default <see cref="IPromptSource"/> of a scenario's <c>request</c>.</summary>
public static class PromptSources
{
    /// <summary>Whether <paramref name="shape"/> uses none of issue 15's fields (input/output length distributions,
    /// <c>ignore_eos</c>, shared prefix, dataset): its requests are then exactly those Bench always sent.</summary>
    public static bool IsClassic(RequestShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.InputTokens is null && shape.OutputTokens is null && !shape.IgnoreEos && shape.SharedPrefix is null && shape.Dataset is null;
    }

    /// <summary>The source for <paramref name="shape"/>: <see cref="ClassicPromptSource"/> when
    /// <see cref="IsClassic"/>, else a <see cref="ShapedPromptSource"/> (its dataset read now, before anything is
    /// sent).</summary>
    /// <param name="shape">The scenario's (or the cell's) request.</param>
    /// <param name="seed">The scenario's seed.</param>
    /// <param name="scenarioDirectory">Where a relative dataset path is resolved from (the scenario file's folder);
    /// the working directory when null.</param>
    /// <exception cref="Configuration.ConfigException">The dataset cannot be read or has bad entries.</exception>
    public static IPromptSource For(RequestShape shape, int seed, string? scenarioDirectory = null) =>
        For(shape, seed, spec => PromptDataset.Load(ResolvePath(spec.Path, scenarioDirectory), spec.Format));

    /// <summary>As <see cref="For(RequestShape, int, string?)"/>, reading a dataset with <paramref name="load"/>.</summary>
    internal static IPromptSource For(RequestShape shape, int seed, Func<DatasetSpec, PromptDataset> load)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (IsClassic(shape))
        {
            return new ClassicPromptSource(shape, seed);
        }

        return new ShapedPromptSource(shape, seed, shape.Dataset is { } spec ? load(spec) : null);
    }

    /// <summary><paramref name="path"/> made absolute against <paramref name="directory"/> (the working directory when
    /// null).</summary>
    public static string ResolvePath(string path, string? directory) =>
        Path.GetFullPath(Path.IsPathRooted(path) || directory is null ? path : Path.Combine(directory, path));
}

/// <summary>
/// The requests Bench sent before issue 15, byte for byte: <c>request {id}</c> and one of 16 bodies of
/// <c>prompt_tokens − 2</c> synthetic words (drawn once from seed + variant), after the optional
/// <c>system_prompt</c>; <c>max_tokens</c> from the scenario; no intended lengths recorded.
/// </summary>
public sealed class ClassicPromptSource : IPromptSource
{
    private const int PromptVariants = 16;
    private readonly RequestShape _shape;
    private readonly string[] _bodies;

    /// <summary>Creates the source for <paramref name="shape"/> and <paramref name="seed"/>.</summary>
    public ClassicPromptSource(RequestShape shape, int seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _shape = shape;

        // The id prefix takes 2 words ("request N"), the body the rest of the stated prompt size.
        var bodyTokens = Math.Max(0, shape.PromptTokens - 2);
        _bodies = [.. Enumerable.Range(0, PromptVariants).Select(i => SyntheticText.Prompt(bodyTokens, seed + i))];
    }

    /// <inheritdoc />
    public PromptDraw Draw(long requestId, string model)
    {
        var prompt = $"request {requestId} {_bodies[requestId % PromptVariants]}";
        IReadOnlyList<ChatMessage> messages = _shape.SystemPrompt is { } system
            ? [new ChatMessage("system", system), new ChatMessage("user", prompt)]
            : [new ChatMessage("user", prompt)];
        return new PromptDraw(messages, _shape.MaxTokens);
    }
}

/// <summary>
/// A request of issue 15's shape, drawn from (seed, request id) alone:
/// <list type="number">
/// <item>the <c>system_prompt</c>, if any;</item>
/// <item>a shared prefix (<see cref="SharedPrefixSpec"/>) with probability <c>fraction</c>: a system message of exactly
/// <c>tokens</c> tokens, group g's text the same for every request of group g (g uniform over <c>groups</c>), so a
/// prompt cache can hit (<see cref="PromptDraw.PrefixGroup"/>);</item>
/// <item>a dataset entry (uniform over the entries, <see cref="PromptDraw.SourceIndex"/> its index), else a synthetic
/// user prompt of <c>input_tokens</c> tokens (default: the fixed <c>prompt_tokens</c>) built by
/// <see cref="SyntheticPrompts"/>. <c>input_tokens</c> is the user message's length: a prefix adds to it.</item>
/// </list>
/// The answer length is drawn from <c>output_tokens</c>, else an entry's own <c>max_tokens</c>, else a ShareGPT
/// entry's reference answer's token count, else the scenario's <c>max_tokens</c>; it is sent as <c>max_tokens</c> and
/// recorded as intended (except the last, a bound only). The intended prompt tokens are the tokens of every message
/// content built, in the model family's tokenizer (no chat-template overhead).
/// </summary>
public sealed class ShapedPromptSource : IPromptSource
{
    private readonly RequestShape _shape;
    private readonly int _seed;
    private readonly PromptDataset? _dataset;
    private readonly ConcurrentDictionary<(string Encoding, int Group), (string Text, int Tokens)> _prefixes = new();
    private readonly ConcurrentDictionary<(string Encoding, long Index), (int Prompt, int? Completion)> _entryTokens = new();

    /// <summary>Creates the source.</summary>
    /// <param name="shape">The request shape.</param>
    /// <param name="seed">The scenario's seed.</param>
    /// <param name="dataset">The loaded <see cref="RequestShape.Dataset"/>, or null for synthetic prompts.</param>
    public ShapedPromptSource(RequestShape shape, int seed, PromptDataset? dataset)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _shape = shape;
        _seed = seed;
        _dataset = dataset;
    }

    /// <summary>The dataset read, or null.</summary>
    public PromptDataset? Dataset => _dataset;

    /// <inheritdoc />
    public PromptDraw Draw(long requestId, string model)
    {
        var counter = TokenCounter.ForModel(model);
        var messages = new List<ChatMessage>(3);
        var promptTokens = 0;
        if (_shape.SystemPrompt is { } system)
        {
            messages.Add(new ChatMessage("system", system));
            promptTokens += counter.Count(system);
        }

        int? group = null;
        if (_shape.SharedPrefix is { } prefix && SeededDraw.Unit(_seed, requestId, SeededDraw.PrefixStream, 0) < prefix.Fraction)
        {
            var g = (int)SeededDraw.Below(Math.Max(1, prefix.Groups), _seed, requestId, SeededDraw.PrefixStream, 1);
            var (text, tokens) = _prefixes.GetOrAdd((counter.Encoding, g), key =>
            {
                var built = SyntheticPrompts.Prefix(prefix.Tokens, counter, _seed, key.Group);
                return (built, counter.Count(built));
            });
            messages.Add(new ChatMessage("system", text));
            promptTokens += tokens;
            group = g;
        }

        int? intendedCompletion = _shape.OutputTokens is { } output
            ? LengthSampler.Sample(output, _seed, requestId, SeededDraw.OutputStream)
            : null;
        long? sourceIndex = null;
        if (_dataset is { } dataset)
        {
            var entry = dataset.Entries[(int)SeededDraw.Below(dataset.Entries.Count, _seed, requestId, SeededDraw.DatasetStream)];
            var (entryPrompt, entryCompletion) = _entryTokens.GetOrAdd((counter.Encoding, entry.Index), _ =>
                (entry.Messages.Sum(m => counter.Count(m.Content)), entry.Completion is { } c ? Math.Max(1, counter.Count(c)) : null));
            messages.AddRange(entry.Messages);
            promptTokens += entryPrompt;
            intendedCompletion ??= entry.MaxTokens ?? entryCompletion;
            sourceIndex = entry.Index;
        }
        else
        {
            var length = _shape.InputTokens is { } input
                ? LengthSampler.Sample(input, _seed, requestId, SeededDraw.InputStream)
                : _shape.PromptTokens;
            messages.Add(new ChatMessage("user", SyntheticPrompts.Prompt(length, counter, _seed, requestId, out var built)));
            promptTokens += built;
        }

        return new PromptDraw(
            messages,
            Math.Max(1, intendedCompletion ?? _shape.MaxTokens),
            IntendedPromptTokens: promptTokens,
            IntendedCompletionTokens: intendedCompletion is { } n ? Math.Max(1, n) : null,
            IgnoreEos: _shape.IgnoreEos,
            PrefixGroup: group,
            SourceIndex: sourceIndex);
    }
}
