using System.ComponentModel.DataAnnotations;
using Bench.Core.Configuration;
using Bench.Core.Metrics;
using Bench.Core.Thresholds;

namespace Bench.Core.Scenarios;

/// <summary>
/// One entry of a scenario's <c>cell_requests</c> (issue 15, "one prompt source per scenario, or per cell"): the cells
/// it applies to and the prompt-source fields that replace the scenario's <c>request</c> for them. A cell takes the
/// first entry one of whose selectors names it, and the scenario's <c>request</c> when none does.
/// </summary>
/// <example><c>{ "cells": ["claude-*"], "request": { "shared_prefix": { "tokens": 2048 } } }</c></example>
public sealed record CellRequestSpec : IConfigValidatable
{
    /// <summary>Cell selectors <c>MODEL[:MODE[:POLICY]][@TARGET]</c> (<see cref="CellSelector"/>, as thresholds take
    /// them); at least one. Each must name a cell of the plan (checked when the plan is made).</summary>
    public IReadOnlyList<string> Cells { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>The fields that differ for these cells; those left out are the scenario's <c>request</c>'s.</summary>
    [Required(ErrorMessage = "is required")]
    public CellRequestShape Request { get; init; } = new();

    /// <summary>The selectors parse; there is at least one.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (Cells.Count == 0)
        {
            validation.Error(nameof(Cells), "names no cell: give at least one selector MODEL[:MODE[:POLICY]][@TARGET], e.g. claude-*");
        }

        for (var i = 0; i < Cells.Count; i++)
        {
            if (!CellSelector.TryParse(Cells[i], out _, out var error))
            {
                validation.Error($"{validation.NameOf(nameof(Cells))}[{i}]", error);
            }
        }
    }

    /// <summary>Whether a selector of <see cref="Cells"/> names <paramref name="cell"/> (selectors that do not parse
    /// name nothing; <see cref="Validate"/> reports them).</summary>
    public bool Selects(CellKey cell) =>
        Cells.Any(c => CellSelector.TryParse(c, out var selector, out _) && selector.Matches(cell));
}

/// <summary>
/// The prompt-source fields of <see cref="RequestShape"/> a <see cref="CellRequestSpec"/> may set for its cells, each
/// optional (left out: the scenario's). Timeouts, response caps and the conversation apply to every cell and are set in
/// the scenario's <c>request</c> only.
/// </summary>
public sealed record CellRequestShape
{
    /// <summary>As <see cref="RequestShape.PromptTokens"/>.</summary>
    [Range(1, ScenarioLimits.MaxPromptTokens, ErrorMessage = "must be between 1 and 10,000,000 (the largest context windows offered; the prompt is built in memory)")]
    public int? PromptTokens { get; init; }

    /// <summary>As <see cref="RequestShape.MaxTokens"/>.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1")]
    public int? MaxTokens { get; init; }

    /// <summary>As <see cref="RequestShape.SystemPrompt"/>.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>As <see cref="RequestShape.InputTokens"/>.</summary>
    public LengthDistribution? InputTokens { get; init; }

    /// <summary>As <see cref="RequestShape.OutputTokens"/>.</summary>
    public LengthDistribution? OutputTokens { get; init; }

    /// <summary>As <see cref="RequestShape.IgnoreEos"/>.</summary>
    public bool? IgnoreEos { get; init; }

    /// <summary>As <see cref="RequestShape.SharedPrefix"/>.</summary>
    public SharedPrefixSpec? SharedPrefix { get; init; }

    /// <summary>As <see cref="RequestShape.Dataset"/> (a relative path is resolved against the scenario file's
    /// folder).</summary>
    public DatasetSpec? Dataset { get; init; }

    /// <summary><paramref name="shape"/> with every field this entry gives replacing its own.</summary>
    public RequestShape ApplyTo(RequestShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape with
        {
            PromptTokens = PromptTokens ?? shape.PromptTokens,
            MaxTokens = MaxTokens ?? shape.MaxTokens,
            SystemPrompt = SystemPrompt ?? shape.SystemPrompt,
            InputTokens = InputTokens ?? shape.InputTokens,
            OutputTokens = OutputTokens ?? shape.OutputTokens,
            IgnoreEos = IgnoreEos ?? shape.IgnoreEos,
            SharedPrefix = SharedPrefix ?? shape.SharedPrefix,
            Dataset = Dataset ?? shape.Dataset,
        };
    }
}
