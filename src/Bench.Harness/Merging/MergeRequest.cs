using Bench.Core.Planning;

namespace Bench.Harness.Merging;

/// <summary>What <c>bench merge DIR... --out DIR</c> was asked for.</summary>
public sealed record MergeRequest
{
    /// <summary>The shards' results folders (each written by <c>bench run --shard I/N</c>), in any order.</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];

    /// <summary>The merged results folder: new or empty, or (with <see cref="Force"/>) a Bench results folder started
    /// afresh, as <c>bench run --out</c>.</summary>
    public string OutputDirectory { get; init; } = "";

    /// <summary>Start a non-empty <see cref="OutputDirectory"/> afresh (<c>--force</c>; only the files Bench wrote are
    /// deleted).</summary>
    public bool Force { get; init; }

    /// <summary>Which shard each folder is when its run.json does not say (a full path → its slice): <c>bench run
    /// --shards N</c> knows the slice it gave each child. Null for <c>bench merge</c>, where run.json's <c>shard</c> block
    /// must say it.</summary>
    internal IReadOnlyDictionary<string, ShardSpec>? Known { get; init; }

    /// <summary>The shard count when no folder could say it (every child of <c>bench run --shards N</c> failed before
    /// writing).</summary>
    internal int? Count { get; init; }

    /// <summary>Shards the caller already knows are missing, with why (a child that exited before writing its
    /// run.json): reported as given.</summary>
    internal IReadOnlyDictionary<int, string>? KnownMissing { get; init; }

    /// <summary>The output folder holds the shards' own folders (<c>bench run --shards N</c> writes them to
    /// <c>OUT/shards/shard-I</c> and checked OUT before starting): its <c>shards</c> entry is not a reason to refuse it.</summary>
    internal bool OutputHoldsShards { get; init; }
}
