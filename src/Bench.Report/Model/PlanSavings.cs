namespace Bench.Report.Model;

/// <summary>
/// The relative savings the executive summary states beside the absolute ones (<see cref="ClassChoice.SavingVsRunnerUpUsd"/>,
/// <see cref="ClassChoice.SavingVsCurrentUsd"/>): the saving as a share of what the alternative costs, exact decimals,
/// rounded only when printed. Judged here, so the document only formats.
/// </summary>
public static class PlanSavings
{
    /// <summary>(Runner-up − choice) / runner-up × 100, percent; null without both or when the runner-up costs nothing.</summary>
    public static decimal? SavingVsRunnerUpPercent(this ClassChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return choice.SavingVsRunnerUpUsd is { } saving && choice.RunnerUp is { MonthlyUsd: > 0 } runnerUp ? saving / runnerUp.MonthlyUsd * 100m : null;
    }

    /// <summary>(Current − choice) / current × 100 on the class's volume, percent (negative when the choice costs more);
    /// null without a current cell or a choice, or when the current cell costs nothing.</summary>
    public static decimal? SavingVsCurrentPercent(this ClassChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return choice.SavingVsCurrentUsd is { } saving && choice.Current is { MonthlyUsd: > 0 } current ? saving / current.MonthlyUsd * 100m : null;
    }

    /// <summary>True when the class's choice is the current setup's own cell (nothing to switch).</summary>
    public static bool ChoiceIsCurrent(this ClassChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return choice.Choice is { } c && choice.Current is { } current && c.Cell.Summary.Key.Equals(current.Cell.Summary.Key);
    }
}
