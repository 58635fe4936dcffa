using System.CommandLine;
using Bench.Core.Pricing;
using Bench.Harness.Reporting;

namespace Bench.Cli.Options;

/// <summary>The cost-projection flags <c>bench run</c> and <c>bench report</c> share.</summary>
internal sealed class ReportFlags
{
    private readonly Option<decimal?> _monthlyRequests = SharedOptions.Quantity("--monthly-requests", "Project cost to this many requests per month (e.g. 1M, 250k; default 1M).", positive: true);
    private readonly Option<FxRate[]> _fx = SharedOptions.Fx();
    private readonly Option<ModelMix[]> _mix = SharedOptions.Mix();
    private readonly Option<string?> _prices = SharedOptions.Prices();
    private readonly Option<string?> _current = new("--current")
    {
        Description = "What the team runs now, the reference of every saving in the budget plan: a measured cell "
            + "MODEL[:MODE[:POLICY]][@TARGET] (priced on each traffic class's volume) or a monthly spend AMOUNT[k|M][CURRENCY] "
            + "(12000, 12kUSD, 80000CNY with --fx CNY=7.3), a flat amount at every volume.",
        HelpName = "CELL|SPEND",
    };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_prices);
        command.Options.Add(_monthlyRequests);
        command.Options.Add(_fx);
        command.Options.Add(_mix);
        command.Options.Add(_current);
    }

    /// <summary>The flags given (their canonical text is what <c>run.json</c> keeps).</summary>
    public ReportOverrides Read(ParseResult parse) => new()
    {
        MonthlyRequests = parse.GetValue(_monthlyRequests),
        Fx = [.. (parse.GetValue(_fx) ?? []).Select(r => r.ToString())],
        Mixes = [.. (parse.GetValue(_mix) ?? []).Select(m => string.Join(",", m.Shares))],
        PricesFile = parse.GetValue(_prices),
        Current = parse.GetValue(_current),
    };
}
