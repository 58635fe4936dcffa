using Bench.Core.Results;

namespace Bench.Harness.Reporting;

/// <summary>The cost-projection flags <c>bench run</c> and <c>bench report</c> share; <see langword="null"/> or empty
/// keeps what <c>run.json</c> (or the default) says.</summary>
public sealed record ReportOverrides
{
    /// <summary>Requests per month to project to (<c>--monthly-requests</c>), &gt; 0.</summary>
    public decimal? MonthlyRequests { get; init; }

    /// <summary>FX rates <c>LABEL=UNITS_PER_USD</c> (<c>--fx</c>); replace the stored ones when any is given.</summary>
    public IReadOnlyList<string> Fx { get; init; } = [];

    /// <summary>Model mixes, each one whole mix <c>MODEL[:MODE]=PCT%,...</c> (<c>--mix</c>); replace the stored ones
    /// when any is given.</summary>
    public IReadOnlyList<string> Mixes { get; init; } = [];

    /// <summary>A user price file layered over the built-in catalogue (<c>--prices</c>).</summary>
    public string? PricesFile { get; init; }

    /// <summary>What the team runs now (<c>--current</c>): a cell selector or a monthly spend
    /// (<see cref="Report.Model.CurrentSetup.TryParse"/>); replaces the stored one when given.</summary>
    public string? Current { get; init; }

    /// <summary>Applies the overrides given to <paramref name="settings"/> (the price file as a full path).</summary>
    public ReportSettings ApplyTo(ReportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (MonthlyRequests is { } requests)
        {
            settings.MonthlyRequests = requests;
            settings.MonthlyRequestsGiven = true;
        }

        if (PricesFile is { } prices)
        {
            settings.PricesFile = Path.GetFullPath(prices);
        }

        if (Current is { } current)
        {
            settings.Current = current;
        }

        if (Fx.Count > 0)
        {
            settings.Fx = [.. Fx];
        }

        if (Mixes.Count > 0)
        {
            settings.Mixes = [.. Mixes];
        }

        return settings;
    }
}
