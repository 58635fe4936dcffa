using System.CommandLine;
using System.CommandLine.Parsing;
using Bench.Core.Pricing;
using Bench.Core.Scenarios;

namespace Bench.Cli.Options;

/// <summary>
/// The flags several verbs take, each defined once so it means the same thing and takes the same grammar everywhere:
/// <c>--models</c> (comma-separated and/or repeated), <c>--mix</c> (one whole mix per flag), <c>--fx</c>
/// (<c>LABEL=RATE</c>, repeatable) and <c>--prices</c> (a user price file layered over the built-in catalogue). A
/// value that does not parse is a command-line error (exit code 2, nothing sent).
/// </summary>
internal static class SharedOptions
{
    /// <summary><c>--models a,b</c> (also <c>--model</c>, <c>-m</c>; repeated and comma-separated both allowed).</summary>
    public static Option<string[]> Models(string description) => new("--models", "--model", "-m")
    {
        Description = description + " Comma-separated and/or repeated: --models gpt-4.1,deepseek-v3.2.",
        HelpName = "MODEL[,MODEL...]",
        CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
    };

    /// <summary><c>--mix MODEL[:MODE]=PCT%,...</c>: one whole mix per flag (shares sum to 100 %); repeat for another mix.</summary>
    public static Option<ModelMix[]> Mix() => new("--mix")
    {
        Description = "A model mix priced as one budget: MODEL[:MODE]=PCT%,... with MODE non-streaming, streaming (standard prices) "
            + "or batch-api (batch prices); shares sum to 100%. One whole mix per flag; repeat for another mix. "
            + "Example: --mix gpt-4.1:streaming=30%,deepseek-v3.2:non-streaming=70%",
        HelpName = "MODEL[:MODE]=PCT%,...",
        CustomParser = result => Each(result, "--mix", (string text, out ModelMix? mix, out string? error) => ModelMix.TryParse(text, out mix, out error)),
    };

    /// <summary><c>--fx LABEL=UNITS_PER_USD</c>, repeatable.</summary>
    public static Option<FxRate[]> Fx() => new("--fx")
    {
        Description = "Show amounts in a currency: LABEL=UNITS_PER_USD (CNY=7.3, CNY-relay=1.0); repeatable. "
            + "Two rates of one currency also show the saving.",
        HelpName = "LABEL=RATE",
        CustomParser = result => Each(result, "--fx", (string text, out FxRate? rate, out string? error) => FxRate.TryParse(text, out rate, out error)),
    };

    /// <summary><c>--prices FILE</c>: a user price file layered over the built-in catalogue.</summary>
    public static Option<string?> Prices() => new("--prices")
    {
        Description = "A price file of your own ({\"models\": [{\"model\", \"aliases\", \"input\", \"cached_input\", \"output\", "
            + "\"batch_input\", \"batch_output\", \"source\"}]}, USD per 1M tokens), layered over the built-in catalogue: its "
            + "prices win.",
        HelpName = "FILE",
    };

    /// <summary><c>--threshold EXPR</c>, repeatable: <c>METRIC[{CELL,...}] OP NUMBER</c> (checked by the verb's library
    /// entry point, which names the flag in its error).</summary>
    public static Option<string[]> Threshold(string description) => new("--threshold")
    {
        Description = description + " EXPR is METRIC[{MODEL[:MODE[:POLICY]],...}] OP NUMBER with OP <, <=, >, >=, ==, != and a catalogue id "
            + "(ttft_ms_p95, success_rate, cost_usd_per_1k_requests, goodput_rps_<slo>); repeatable. Example: --threshold 'ttft_ms_p95{*:streaming}<500'",
        HelpName = "EXPR",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>A count such as <c>10M</c>, <c>2.5k</c>, <c>1,000,000</c> (see <see cref="TokenQuantity"/>); with
    /// <paramref name="positive"/>, zero is refused.</summary>
    public static Option<decimal?> Quantity(string name, string description, bool positive = false) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (TokenQuantity.TryParse(text, out var quantity, out var error) && (!positive || quantity > 0))
            {
                return quantity;
            }

            result.AddError($"{name}: {error ?? "must be positive"}");
            return null;
        },
    };

    /// <summary>A positive duration such as <c>30s</c>, <c>2m</c>, <c>500ms</c> (see <see cref="Durations"/>).</summary>
    public static Option<TimeSpan?> Duration(string description) => new("--duration")
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (Durations.TryParse(text, out var duration, out var problem) && duration > TimeSpan.Zero)
            {
                return duration;
            }

            result.AddError(problem is null || duration > TimeSpan.Zero
                ? $"--duration: '{text}' is not a positive duration such as 30s, 2m or 500ms."
                : $"--duration: '{text}' is {problem}.");
            return null;
        },
    };

    /// <summary>An integer flag that must be at least 1.</summary>
    public static Option<int?> Positive(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"{name}: '{text}' is not a whole number.");
                return null;
            }

            if (value <= 0)
            {
                result.AddError($"{name} must be at least 1 (got {value}).");
                return null;
            }

            return value;
        },
    };

    private delegate bool TryParse<T>(string text, out T? value, out string? error);

    private static T[] Each<T>(ArgumentResult result, string name, TryParse<T> parse)
    {
        var values = new List<T>();
        foreach (var token in result.Tokens)
        {
            if (parse(token.Value, out var value, out var error) && value is not null)
            {
                values.Add(value);
            }
            else
            {
                result.AddError($"{name}: {error}");
            }
        }

        return [.. values];
    }
}
