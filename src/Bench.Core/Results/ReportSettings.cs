namespace Bench.Core.Results;

/// <summary>
/// How a run's cost is projected in its report: a monthly request volume, FX rates, model mixes and prices. Kept in
/// <c>run.json</c> so <c>bench report</c> rebuilds the same tables; its flags override them.
/// </summary>
public sealed class ReportSettings
{
    /// <summary>Default monthly volume: one million requests.</summary>
    public const decimal DefaultMonthlyRequests = 1_000_000m;

    /// <summary>Requests per month to project to.</summary>
    public decimal MonthlyRequests { get; set; } = DefaultMonthlyRequests;

    /// <summary>True when <see cref="MonthlyRequests"/> was given on a command line (<c>--monthly-requests</c> on
    /// <c>bench run</c> or <c>bench report</c>), not the default: traffic classes with their own
    /// <c>monthly_requests</c> are then rescaled to it keeping their proportions. False in a run.json written before
    /// the field existed.</summary>
    public bool MonthlyRequestsGiven { get; set; }

    /// <summary>FX rates as given on the command line, e.g. <c>CNY=7.3</c>, <c>CNY-relay=1.0</c> (units per USD).</summary>
    public List<string> Fx { get; set; } = [];

    /// <summary>Model mixes, each a comma-separated list of shares, e.g.
    /// <c>gpt-4.1:streaming=30%,deepseek-v3.2:non-streaming=70%</c>.</summary>
    public List<string> Mixes { get; set; } = [];

    /// <summary>A user's own price file (JSON, see <c>PriceCatalog.LoadUserFile</c>), full path, taking precedence
    /// over the built-in catalogue; <see langword="null"/> for the built-in one.</summary>
    public string? PricesFile { get; set; }

    /// <summary>What the team runs now, the reference of every saving (<c>--current</c>): a cell selector
    /// <c>MODEL[:MODE[:POLICY]][@TARGET]</c> measured in the run, or a monthly spend <c>AMOUNT[CURRENCY]</c>
    /// (<c>12000</c>, <c>12000USD</c>, <c>80000CNY</c> with a <c>--fx CNY=…</c> rate), a flat amount at every volume;
    /// <see langword="null"/> when not given (savings are then against the runner-up only).</summary>
    public string? Current { get; set; }
}
