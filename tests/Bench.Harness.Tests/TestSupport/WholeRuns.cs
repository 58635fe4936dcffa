namespace Bench.Harness.Tests.TestSupport;

/// <summary>Test classes that run whole scenarios one at a time: a run's timing checks (TTFT, TPOT against the fixed
/// profile) must not share two cores with another run started by a class alongside.</summary>
[CollectionDefinition(Name)]
public sealed class WholeRuns
{
    /// <summary>The collection's name.</summary>
    public const string Name = "whole runs";
}
