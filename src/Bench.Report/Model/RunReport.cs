using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Core.Scenarios;

namespace Bench.Report.Model;

/// <summary>
/// Everything a report shows, computed once from a run's summaries: exporters (CSV, Markdown) only format it.
/// </summary>
public sealed class RunReport
{
    /// <summary>The run's metadata (<c>run.json</c>).</summary>
    public required RunInfo Run { get; init; }

    /// <summary>One row per model × mode, in run order.</summary>
    public required IReadOnlyList<CellReport> Cells { get; init; }

    /// <summary>Price catalogue layers used, in precedence order (e.g. "built-in (SEED-FIGURES.md), then LiteLLM").</summary>
    public required string PriceCatalog { get; init; }

    /// <summary>Records read; lines skipped as truncated or corrupt (a killed run's last line).</summary>
    public required RecordsReadResult Records { get; init; }

    /// <summary>Warm-up records (recorded, excluded from statistics).</summary>
    public long WarmupRecords { get; init; }

    /// <summary>Sweep curves, one per cell that ran a sweep step (empty otherwise).</summary>
    public IReadOnlyList<SweepCurve> Sweeps { get; init; } = [];

    /// <summary>The scenario's SLO sets.</summary>
    public IReadOnlyList<SloSet> Slos { get; init; } = [];

    /// <summary>Per model, whether streaming and non-streaming E2E differ beyond noise (models measured in both
    /// modes with enough successful requests). Set by <see cref="ReportBuilder"/> once the chart samples are read.</summary>
    public IReadOnlyDictionary<string, ModeDifference> ModeDifferences { get; internal set; } = new Dictionary<string, ModeDifference>();

    /// <summary>One recommendation per SLO set.</summary>
    public IReadOnlyList<Recommendation> Recommendations { get; init; } = [];

    /// <summary>The run's token mix projected to a monthly volume.</summary>
    public required Projection Projection { get; init; }

    /// <summary>Builds the report model from aggregated records and a price catalogue.</summary>
    /// <exception cref="PricingException">An FX rate or mix in <see cref="RunInfo.Report"/> is invalid (all listed).</exception>
    public static RunReport Build(RunInfo run, RunAggregator aggregator, RecordsReadResult read, PriceCatalog prices,
        IReadOnlyList<SloSet>? slos = null, IReadOnlyList<SweepCurve>? sweeps = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(prices);
        var cells = aggregator.Summarize().Select(s => CellReport.Create(s, prices)).ToList();
        var (fx, mixes) = ParseSettings(run.Report);
        return new RunReport
        {
            Slos = slos ?? [],
            Recommendations = Recommendation.For(cells, slos ?? []),
            Projection = Projection.Build(cells, run.Report.MonthlyRequests, fx, mixes),
            Run = run,
            Cells = cells,
            PriceCatalog = prices.Description,
            Records = read,
            WarmupRecords = aggregator.WarmupRecords,
            Sweeps = sweeps ?? [],
        };
    }

    /// <summary>Parses the FX rates and mixes of <paramref name="settings"/>, listing every invalid one.</summary>
    /// <exception cref="PricingException">Some rate or mix is invalid.</exception>
    public static (IReadOnlyList<FxRate> Fx, IReadOnlyList<ModelMix> Mixes) ParseSettings(ReportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new List<string>();
        var fx = new List<FxRate>();
        foreach (var text in settings.Fx)
        {
            if (FxRate.TryParse(text, out var rate, out var error))
            {
                fx.Add(rate);
            }
            else
            {
                errors.Add($"--fx {text}: {error}");
            }
        }

        var mixes = new List<ModelMix>();
        foreach (var text in settings.Mixes)
        {
            var shares = new List<MixShare>();
            foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (MixShare.TryParse(part, out var share, out var error))
                {
                    shares.Add(share);
                }
                else
                {
                    errors.Add($"--mix {text}: {error}");
                }
            }

            try
            {
                if (shares.Count > 0)
                {
                    mixes.Add(ModelMix.Create(shares));
                }
            }
            catch (ArgumentException e)
            {
                errors.Add($"--mix {text}: {e.Message}");
            }
        }

        if (settings.MonthlyRequests <= 0)
        {
            errors.Add($"--monthly-requests must be positive (got {settings.MonthlyRequests})");
        }

        return errors.Count > 0 ? throw new PricingException(errors) : (fx, mixes);
    }
}

/// <summary>One cell's summary with its cost.</summary>
public sealed class CellReport
{
    /// <summary>The cell's statistics.</summary>
    public required CellSummary Summary { get; init; }

    /// <summary>The price used, or null when the model is not in the catalogue.</summary>
    public ModelPrice? Price { get; init; }

    /// <summary>Why there is no price (unknown model), or null.</summary>
    public string? Unpriced { get; init; }

    /// <summary>Cost of everything billed in the cell (all attempted requests' tokens), USD.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary><c>cost_usd_per_1k_requests</c>: billed cost / attempted requests × 1,000.</summary>
    public decimal? CostUsdPer1kRequests => CostUsd is { } c && Summary.Requests > 0 ? c / Summary.Requests * 1000m : null;

    /// <summary><c>cost_usd_per_success</c>: billed cost / successful requests (failures' cost is carried by successes).</summary>
    public decimal? CostUsdPerSuccess => CostUsd is { } c && Summary.Successes > 0 ? c / Summary.Successes : null;

    /// <summary>Prices a summary.</summary>
    public static CellReport Create(CellSummary summary, PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(prices);
        if (!prices.TryGet(summary.Model, out var price))
        {
            return new CellReport
            {
                Summary = summary,
                Unpriced = $"'{summary.Model}' is not in the price catalogue ({prices.Description}): not priced, never counted as free",
            };
        }

        return new CellReport
        {
            Summary = summary,
            Price = price,
            CostUsd = CostModel.RequestCostUsd(summary.BilledTokens, price),
        };
    }
}
