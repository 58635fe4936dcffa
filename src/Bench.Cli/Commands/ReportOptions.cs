using System.CommandLine;
using Bench.Core.Configuration;
using Bench.Core.Pricing;
using Bench.Core.Results;

namespace Bench.Cli.Commands;

/// <summary>The cost-projection flags shared by <c>bench run</c> and <c>bench report</c>.</summary>
internal sealed class ReportOptions
{
    public Option<string?> MonthlyRequests { get; } = new("--monthly-requests") { Description = "Project cost to this many requests per month (e.g. 1M, 250k; default 1M)." };

    public Option<string[]> Fx { get; } = new("--fx") { Description = "Show amounts in a currency: LABEL=UNITS_PER_USD, e.g. --fx CNY=7.3 --fx CNY-relay=1.0 (repeatable).", AllowMultipleArgumentsPerToken = false };

    public Option<string[]> Mix { get; } = new("--mix") { Description = "Price a model mix as one budget: MODEL:MODE=PCT%,... e.g. --mix gpt-4.1:streaming=30%,deepseek-v3.2:non-streaming=70% (repeatable)." };

    public Option<string?> Prices { get; } = new("--prices") { Description = "A price file of your own (JSON), taking precedence over the built-in catalogue." };

    public void AddTo(Command command)
    {
        command.Options.Add(Prices);
        command.Options.Add(MonthlyRequests);
        command.Options.Add(Fx);
        command.Options.Add(Mix);
    }

    /// <summary>Applies the flags given to <paramref name="settings"/> (flags not given leave it unchanged).</summary>
    /// <exception cref="ArgumentException">A flag's value is invalid.</exception>
    public void Apply(ParseResult parse, ReportSettings settings)
    {
        if (parse.GetValue(MonthlyRequests) is { } text)
        {
            settings.MonthlyRequests = TokenQuantity.TryParse(text, out var requests, out var error) && requests > 0
                ? requests
                : throw new ArgumentException($"--monthly-requests: {error ?? "must be positive"}");
        }

        if (parse.GetValue(Prices) is { } prices)
        {
            settings.PricesFile = Path.GetFullPath(prices);
        }

        if (parse.GetValue(Fx) is { Length: > 0 } fx)
        {
            settings.Fx = [.. fx];
        }

        if (parse.GetValue(Mix) is { Length: > 0 } mixes)
        {
            settings.Mixes = [.. mixes];
        }

        // Parse now so a bad rate, mix or price file fails before a run starts, not after it.
        try
        {
            Report.Model.RunReport.ParseSettings(settings);
            _ = Catalog(settings);
        }
        catch (Exception e) when (e is PricingException or ConfigException)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    /// <summary>The price catalogue a report uses: the user's price file first when one is set, then the built-in
    /// catalogue (SEED-FIGURES.md), then LiteLLM's.</summary>
    /// <exception cref="ConfigException">The user's price file is missing or invalid.</exception>
    public static PriceCatalog Catalog(ReportSettings settings)
    {
        var defaults = PriceCatalog.BuiltIn.WithFallback(PriceCatalog.LiteLlm);
        return settings.PricesFile is { } file ? PriceCatalog.LoadUserFile(file).WithFallback(defaults) : defaults;
    }
}
