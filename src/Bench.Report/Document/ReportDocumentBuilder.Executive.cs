using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Report.Charts;
using Bench.Report.Model;

namespace Bench.Report.Document;

// The budget holder's page (issue 18): the executive summary that opens the report — per traffic class the option to
// choose, its monthly cost as paid, the savings, the risk in plain words — the plan as one budget, the per-class option
// table it links to, and the simulated banner wherever figures appear. Every figure is read from RunReport.Plan (the
// BudgetPlan) or the cells; nothing is computed here but its formatting.
public static partial class ReportDocumentBuilder
{
    /// <summary>The banner's text, exactly as every page, chart caption and PDF that shows figures of the embedded
    /// simulator carries it.</summary>
    public const string SimulatedBanner = "Simulated, calibrated to published figures — not a measurement of any provider.";

    /// <summary>The notes of a class the executive summary shows; the rest are in the budget plan section.</summary>
    private const int MaxSummaryNotes = 3;

    /// <summary>The sections that show figures and so carry the simulated banner first when the run used the simulator.</summary>
    private static readonly HashSet<string> FigureSections = new(StringComparer.Ordinal)
    {
        Ids.Executive, Ids.Summary, Ids.Recommendation, Ids.Cost, Ids.Projection, Ids.Routing, Ids.BudgetPlan, TargetsId, Ids.CallModes,
    };

    /// <summary>The simulated banner for <paramref name="report"/>, or null for a run measured at real endpoints only:
    /// the exact <see cref="SimulatedBanner"/>, and for a mixed run (a simulator target beside a real one) the names of
    /// the simulated targets and of the measured ones.</summary>
    public static Quote? Banner(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var simulated = report.SimulatedTargets.Count > 0 ? report.SimulatedTargets : report.Plan?.SimulatedTargets ?? [];
        if (simulated.Count == 0)
        {
            return null;
        }

        var measured = report.MeasuredTargets;
        return new Quote(measured.Count == 0
            ? [Strong(SimulatedBanner)]
            : [Strong(SimulatedBanner), $" Simulated target{(simulated.Count == 1 ? "" : "s")}: {string.Join(", ", simulated)}; measured at a real endpoint: {string.Join(", ", measured)}."])
        {
            Banner = true,
        };
    }

    /// <summary>Puts the banner first in each section that shows figures (<see cref="FigureSections"/>).</summary>
    private static List<Section> WithBanner(List<Section> sections, Quote? banner) => banner is null
        ? sections
        : [.. sections.Select(s => FigureSections.Contains(s.Id) && s.Blocks.FirstOrDefault() != banner ? s with { Blocks = [banner, .. s.Blocks] } : s)];

    /// <summary>
    /// The executive summary (section <see cref="Ids.Executive"/>, the report's first): per traffic class one sentence
    /// with the choice and its monthly cost, then the savings against the current setup and the runner-up, the risk in
    /// plain words and what the sample can and cannot show; then the plan as one budget. Null when the run has neither a
    /// plan with classes nor a simulated target (an old folder without SLO sets reads as before).
    /// </summary>
    private static Section? ExecutiveSection(RunReport report, Quote? banner)
    {
        var plan = report.Plan is { Classes.Count: > 0 } p ? p : null;
        if (plan is null && banner is null)
        {
            return null;
        }

        var blocks = new List<Block>();
        if (plan is null)
        {
            blocks.Add(Para("The scenario declares no traffic class (no SLO set in ", Code("slos"),
                "), so this run names no option to choose and prices no plan. Give each class its SLO set and a share of the traffic (", Code("share"), ") or its own volume (",
                Code("monthly_requests"), ") to get one. Each cell's cost is under ", Link("Cost per 1,000 requests", Ids.Cost), " and its monthly cost under ",
                Link("Monthly projection", Ids.Projection), "."));
            return new Section(Ids.Executive, "Executive summary", blocks);
        }

        // A run too small to recommend says so here too, before any choice is read (the recommendation says it again).
        if (SmallRunNote(report) is { } small)
        {
            blocks.Add(small);
        }

        foreach (var choice in plan.Classes)
        {
            blocks.Add(Para([.. ClassSentence(report, plan, choice)]));
            if (ClassItems(report, plan, choice) is { Count: > 0 } items)
            {
                blocks.Add(new BulletList(items));
            }
        }

        blocks.Add(Para([.. PlanSentence(plan)]));
        blocks.Add(Para([.. Provenance(plan)]));
        blocks.Add(new ChartSlot(ChartSection.Money));
        return new Section(Ids.Executive, "Executive summary", blocks);
    }

    /// <summary>"For interactive (30 % of 1,000,000 requests a month; ttft_ms ≤ 500 ms for 95 % of requests): choose
    /// simulator · gemini-2.5-flash · streaming — ¥12,345.67 (USD 1,691.19) a month."</summary>
    private static IEnumerable<Span> ClassSentence(RunReport report, BudgetPlan plan, ClassChoice choice)
    {
        var c = choice.Class;
        var volume = c.Set.Share is { } share
            ? string.Create(Inv, $"{share:0.##} % of {plan.MonthlyRequests:N0} requests a month")
            : string.Create(Inv, $"{c.MonthlyRequests:N0} requests a month");
        // The set's conditions as the recommendation words them (a batch turnaround limit included).
        var criteria = choice.Recommendation.Criteria;
        yield return "For ";
        yield return Strong(c.Name);
        yield return $" ({volume}{(criteria.Length > 0 ? "; " + criteria : "")}): ";
        if (choice.Choice is not { } chosen)
        {
            yield return Strong("no option is shown to meet this class in this run");
            yield return " (why, per cell: ";
            yield return Link("Recommendation", Ids.Recommendation);
            yield return ").";
            yield break;
        }

        yield return "choose ";
        yield return Strong(Cell(chosen.Cell));
        yield return " — ";
        yield return Link(Amount(chosen.MonthlyUsd, plan.Fx), Ids.BudgetPlan);
        yield return " a month.";
    }

    /// <summary>Under a class's sentence: the saving against the current setup and the runner-up (absolute and percent),
    /// the risk, the sample's caveat and the plan's notes.</summary>
    private static List<IReadOnlyList<Span>> ClassItems(RunReport report, BudgetPlan plan, ClassChoice choice)
    {
        var items = new List<IReadOnlyList<Span>>();
        if (choice.Choice is { } chosen)
        {
            if (choice.Current is { } current)
            {
                if (choice.ChoiceIsCurrent())
                {
                    items.Add(["It is the current setup (", Code(plan.Current?.Text ?? Cell(current.Cell)), "): nothing to change."]);
                }
                else
                {
                    items.Add([$"Against the current setup ({Cell(current.Cell)}, ", Link(Amount(current.MonthlyUsd, plan.Fx), Ids.BudgetPlan), " a month at this volume): ",
                        .. Difference(choice.SavingVsCurrentUsd!.Value, choice.SavingVsCurrentPercent(), plan.Fx), "."]);
                }
            }

            if (choice.RunnerUp is { } runnerUp)
            {
                items.Add([$"Against the runner-up ({Cell(runnerUp.Cell)}, ", Link(Amount(runnerUp.MonthlyUsd, plan.Fx), Ids.BudgetPlan), " a month): ",
                    .. Difference(choice.SavingVsRunnerUpUsd!.Value, choice.SavingVsRunnerUpPercent(), plan.Fx), "."]);
            }
            else
            {
                items.Add(["No runner-up: no other priced option is shown to meet this class."]);
            }

            if (choice.Risk is { } risk)
            {
                items.Add(["Risk: ", .. RiskWords(risk)]);
            }
        }
        else if (choice.Current is { } current)
        {
            items.Add([$"The current setup ({Cell(current.Cell)}) costs ", Link(Amount(current.MonthlyUsd, plan.Fx), Ids.BudgetPlan), " a month at this volume."]);
        }

        // The first notes here; a long list (every cell a too-small sample could not show) is whole in the budget plan.
        items.AddRange(choice.Notes.Take(MaxSummaryNotes).Select(note => Note(note, plan.Fx)));
        if (choice.Notes.Count > MaxSummaryNotes)
        {
            items.Add([string.Create(Inv, $"{choice.Notes.Count - MaxSummaryNotes} more note{(choice.Notes.Count - MaxSummaryNotes == 1 ? "" : "s")} on this class under "), Link("Budget plan", Ids.BudgetPlan), "."]);
        }

        return items;
    }

    /// <summary>"this choice saves ¥1,234.00 (USD 169.04) a month, 12.5 %" or "… costs ¥… (USD …) more a month, 3.1 %".</summary>
    private static IEnumerable<Span> Difference(decimal savingUsd, decimal? percent, IReadOnlyList<FxRate> fx, string subject = "this choice")
    {
        var share = percent is { } p ? string.Create(Inv, $", {Math.Abs(p):0.0} %") : "";
        return savingUsd switch
        {
            > 0 => [$"{subject} saves ", Strong(Amount(savingUsd, fx)), $" a month{share}"],
            < 0 => [$"{subject} costs ", Strong(Amount(-savingUsd, fx)), $" more a month{share}"],
            _ => ["the same cost"],
        };
    }

    /// <summary>The risk in plain words: "0.4 % of requests failed (at most 1.2 % as far as 640 requests show), mostly
    /// rate_limited; the endpoint rate-limited 12 attempts at this load" or "no failure in 64 requests: that shows at most
    /// 4.6 % fail"; then, when the sample cannot show the class's SLO set, how many requests would.</summary>
    internal static IReadOnlyList<Span> RiskWords(Risk risk)
    {
        ArgumentNullException.ThrowIfNull(risk);
        var text = new List<Span>();
        var upper = Pct(risk.FailureRateUpper);
        if (risk.Requests == risk.Successes)
        {
            text.Add(string.Create(Inv, $"no failure in {risk.Requests:N0} requests: that shows at most {upper} fail"));
        }
        else
        {
            var kinds = risk.FailureKinds.Count switch
            {
                0 => "",
                1 => $", all {risk.FailureKinds[0].Kind}",
                _ when risk.FailureKinds[0].Count * 2 > risk.FailureKinds.Sum(k => k.Count) => string.Create(Inv,
                    $", mostly {risk.FailureKinds[0].Kind} ({risk.FailureKinds[0].Count:N0}; also {string.Join(", ", risk.FailureKinds.Skip(1).Select(k => string.Create(Inv, $"{k.Kind} ({k.Count:N0})")))})"),
                _ => $", by kind: {string.Join(", ", risk.FailureKinds.Select(k => string.Create(Inv, $"{k.Kind} ({k.Count:N0})")))}",
            };
            text.Add(string.Create(Inv, $"{Pct(risk.FailureRate)} of requests failed (at most {upper} as far as {risk.Requests:N0} requests show){kinds}"));
        }

        text.Add(risk.RateLimited > 0
            ? string.Create(Inv, $"; the endpoint rate-limited {risk.RateLimited:N0} attempt{(risk.RateLimited == 1 ? "" : "s")} at this load.")
            : "; no rate limit was met at this load.");
        if (risk.Evidence != SloEvidence.Shown)
        {
            text.Add(" ");
            text.Add(Strong("The sample is too small to show this class's SLO set is met"));
            text.Add(risk.RequestsToShow is { } needed
                ? string.Create(Inv, $": about {needed:N0} requests without a failure or a slow answer would show it.")
                : ": the choice rests on the point estimate.");
        }

        return text;
    }

    /// <summary>The plan as one budget: its total, the current setup and the saving, the break-even; or why it has no total.</summary>
    private static IEnumerable<Span> PlanSentence(BudgetPlan plan)
    {
        yield return Strong("The plan as one budget");
        if (plan.TotalUsd is not { } total)
        {
            yield return ": no total. ";
            yield return plan.Problems.Count > 0
                ? string.Join(" ", plan.Problems.Select(Sentence))
                : plan.Classes.Any(c => c.Class.SharePercent is null)
                    ? "The scenario gives the classes no share of the traffic and no volume of their own, so each class is priced alone at the whole volume and the classes are not added."
                    : "A class has no option shown to meet it, so the plan cannot be priced whole.";
            yield break;
        }

        yield return ": ";
        yield return Link(Amount(total, plan.Fx), Ids.BudgetPlan);
        yield return string.Create(Inv, $" a month for {plan.MonthlyRequests:N0} requests (");
        yield return string.Join(", ", plan.Classes.Select(c => string.Create(Inv, $"{c.Class.Name}: {Cell(c.Choice!.Cell)}")));
        yield return "). ";
        if (plan.Current is not { } current)
        {
            yield return "No current setup was given (";
            yield return Code("--current MODEL[:MODE]");
            yield return " or a monthly spend such as ";
            yield return Code("--current 12000USD");
            yield return "), so no saving is stated.";
        }
        else if (plan.CurrentUsd is not { } currentUsd)
        {
            yield return "The current setup (";
            yield return Code(current.Text);
            yield return ") could not be priced on every class's volume, so no saving is stated.";
        }
        else
        {
            yield return "The current setup (";
            yield return Code(current.Text);
            yield return current.MonthlySpendUsd is not null ? ", as given) costs " : ") would cost ";
            yield return current.MonthlySpendUsd is not null ? Amount(currentUsd, plan.Fx) : Link(Amount(currentUsd, plan.Fx), Ids.BudgetPlan);
            yield return " a month";
            yield return current.MonthlySpendUsd is not null ? ": " : " on the same volume: ";
            foreach (var span in Difference(plan.SavingUsd!.Value, plan.SavingPercent, plan.Fx, "the plan"))
            {
                yield return span;
            }

            yield return ".";
        }

        if (plan.BreakEven is { } even)
        {
            yield return string.Create(Inv, $" The plan and the current setup cost the same at {even.MonthlyRequests:N0} requests a month ({Amount(even.MonthlyUsd, plan.Fx)} each)");
            yield return plan.Current?.MonthlySpendUsd is not null
                ? ": below that volume the plan, whose cost grows with the traffic, is the cheaper; above it the flat current spend is."
                : ": the cheaper of the two changes there.";
        }
    }

    /// <summary>Where the figures come from, with links to the tables.</summary>
    private static IEnumerable<Span> Provenance(BudgetPlan plan)
    {
        var batch = plan.Classes.Any(c => c.Options.Append(c.Current).Any(o => o?.Cell.Summary.Mode == Mode.BatchApi)) ? " (Batch API prices for batch-api)" : "";
        yield return $"Where these figures come from: a class's monthly cost on an option is its requests × the cell's mean billed tokens per attempted request in this run, priced exactly at the model's prices{batch} and paid at the target's billing; every option of every class is in the ";
        yield return Link("Budget plan", Ids.BudgetPlan);
        yield return " table, the tokens per request and the prices under ";
        yield return Link("Cost per 1,000 requests", Ids.Cost);
        yield return ", the same arithmetic at list price under ";
        yield return Link("Monthly projection", Ids.Projection);
        yield return plan.Fx.Count > 0
            ? string.Create(Inv, $". Amounts in {plan.Fx[0].Currency} at {plan.Fx[0].UnitsPerUsd} per USD (--fx {plan.Fx[0]}), USD beside; rounded only when shown.")
            : ". Amounts in USD, rounded only when shown.";
    }

    /// <summary>
    /// The per-class option table (section <see cref="Ids.BudgetPlan"/>): every option shown to meet each class, cheapest
    /// first, with its monthly cost as paid in USD and in each <c>--fx</c> currency, its paid cost per successful request
    /// and its evidence; the choice, the runner-up and the current setup marked (the current cell listed even when it does
    /// not meet the class). Null without a plan with classes.
    /// </summary>
    private static Section? BudgetPlanSection(RunReport report)
    {
        if (report.Plan is not { Classes.Count: > 0 } plan)
        {
            return null;
        }

        var blocks = new List<Block>
        {
            Para("Per traffic class, every option (target × model × mode) whose sample shows it meets the class's SLO set, priced at the class's monthly volume as the team would pay it (list prices × the target's billing, USD at the market rate), cheapest first. ",
                Strong("choice"), " is the option the executive summary names, ", Strong("current"), " the current setup (", Code("--current"), ")."),
        };
        foreach (var choice in plan.Classes)
        {
            var c = choice.Class;
            var share = c.SharePercent is { } percent ? string.Create(Inv, $" ({percent:0.##} % of the plan)") : "";
            blocks.Add(Para(Strong(c.Name), string.Create(Inv, $": {c.MonthlyRequests:N0} requests a month{share}; {choice.Recommendation.Criteria}.")));
            var rows = choice.Options.ToList();
            if (choice.Current is { } current && !rows.Any(o => o.Cell.Summary.Key.Equals(current.Cell.Summary.Key)))
            {
                rows.Add(current);
            }

            if (rows.Count == 0)
            {
                blocks.Add(Para("No priced option is shown to meet this class in this run."));
            }
            else
            {
                blocks.Add(Table(
                [.. LeadHeaders(report), "role", "USD / month", .. plan.Fx.Select(f => $"{f.Label} / month"), "USD per success (paid)", "evidence"],
                LeadAlign(report) + "L" + "R" + new string('R', plan.Fx.Count) + "RL",
                rows.Select(o => Row(
                [
                    .. Lead(report, o.Cell.Summary), Role(choice, o), Money(o.MonthlyUsd), .. plan.Fx.Select(f => Money(f.FromUsd(o.MonthlyUsd))),
                    Usd(o.Cell.Cost.Billed.CostUsdPerSuccess, "0.000000"), OptionEvidence(o, choice),
                ]))));
            }

            if (choice.Notes.Count > 0)
            {
                blocks.Add(new BulletList([.. choice.Notes.Select(note => Note(note, plan.Fx))]));
            }
        }

        if (plan.TotalUsd is not null || plan.Problems.Count == 0)
        {
            blocks.Add(Para([.. PlanSentence(plan)]));
        }
        else
        {
            blocks.Add(Para(Strong("The plan as one budget"), ": no total."));
            blocks.Add(new BulletList([.. plan.Problems.Select(problem => (IReadOnlyList<Span>)[Sentence(problem)])]));
        }

        return new Section(Ids.BudgetPlan, "Budget plan: every option per traffic class", blocks);
    }

    /// <summary>"choice", "runner-up", "current" (or several), or empty.</summary>
    private static string Role(ClassChoice choice, PricedOption option)
    {
        var key = option.Cell.Summary.Key;
        var roles = new List<string>();
        if (choice.Choice?.Cell.Summary.Key.Equals(key) == true)
        {
            roles.Add("choice");
        }

        if (choice.RunnerUp?.Cell.Summary.Key.Equals(key) == true)
        {
            roles.Add("runner-up");
        }

        if (choice.Current?.Cell.Summary.Key.Equals(key) == true)
        {
            roles.Add(choice.Options.Any(o => o.Cell.Summary.Key.Equals(key)) ? "current" : "current (not shown to meet the class)");
        }

        return string.Join(", ", roles);
    }

    /// <summary>"shown: e2e_ms p95 640 ms, success 100 % over 64 requests" (or "not shown" / "too small a sample").</summary>
    private static string OptionEvidence(PricedOption option, ClassChoice choice)
    {
        var evidence = option.Cell.Summary.Slos.FirstOrDefault(s => s.Name == choice.Class.Name)?.Evidence;
        var word = evidence switch
        {
            SloEvidence.Shown => "shown",
            SloEvidence.NotMet => "not met",
            SloEvidence.Inconclusive => "sample too small to show",
            _ => option.Cell.Summary.Mode == Mode.BatchApi ? "judged on turnaround" : "–",
        };
        return $"{word}: {Evidence(option.Cell, choice.Recommendation)}";
    }

    /// <summary>The run's metadata as its own short section after the executive summary, so the page opens with the
    /// decision.</summary>
    private static Section RunSection(Block header) => new(Ids.Run, "About this run", [header]);

    /// <summary>An amount as the reader pays it: the first <c>--fx</c> currency first, USD beside
    /// (<c>¥12,345.67 (USD 1,691.19)</c>); USD alone without <c>--fx</c>. Rounded to cents only here.</summary>
    public static string Amount(decimal usd, IReadOnlyList<FxRate> fx)
    {
        ArgumentNullException.ThrowIfNull(fx);
        if (fx.Count == 0)
        {
            return "USD " + MoneySigned(usd);
        }

        var rate = fx[0];
        var symbol = rate.Currency switch
        {
            "CNY" or "JPY" => "¥",
            "EUR" => "€",
            "GBP" => "£",
            "USD" => "$",
            var code => code + " ",
        };
        return $"{symbol}{MoneySigned(rate.FromUsd(usd))} (USD {MoneySigned(usd)})";
    }

    private static string MoneySigned(decimal value) => value < 0 ? "−" + Money(-value) : Money(value);

    private static Span Link(string text, string id) => new(SpanStyle.Plain, text) { Href = "#" + id };

    /// <summary>A note of the plan as a sentence, its amount (if any) in the reader's currency and linked to the budget
    /// plan like every money figure of the summary.</summary>
    private static IReadOnlyList<Span> Note(PlanNote note, IReadOnlyList<FxRate> fx) => note.MonthlyUsd is { } usd
        ? [Capital(note.Lead), Link(Amount(usd, fx) + " a month", Ids.BudgetPlan), Sentence(note.Rest)]
        : [Sentence(note.Lead)];

    /// <summary>A phrase of the model's as a sentence: a leading function word capitalised (a name that starts it is left
    /// as it is), a full stop at its end.</summary>
    private static string Sentence(string text)
    {
        var capital = Capital(text);
        return capital.Length == 0 || capital[^1] is '.' or '!' or '?' ? capital : capital + ".";
    }

    /// <summary>A phrase of the model's with a leading function word capitalised (a target or model name that starts it
    /// keeps its case).</summary>
    private static string Capital(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var first = text.Split(' ', 2)[0];
        return first is "the" or "a" or "an" or "no" or "every" or "each" or "one" ? char.ToUpperInvariant(text[0]) + text[1..] : text;
    }

    /// <summary>Drops any link to a section the document does not have (a plan without the monthly projection's table,
    /// say), so every link of the page resolves.</summary>
    private static List<Section> ResolveLinks(List<Section> sections)
    {
        var ids = sections.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        Span Fix(Span s) => s.Href is ['#', .. var id] && !ids.Contains(id) ? s with { Href = null } : s;
        IReadOnlyList<Span> FixAll(IReadOnlyList<Span> spans) => spans.Any(s => s.Href is not null) ? [.. spans.Select(Fix)] : spans;
        Block FixBlock(Block b) => b switch
        {
            Paragraph p => new Paragraph(FixAll(p.Text)),
            BulletList l => new BulletList([.. l.Items.Select(FixAll)]),
            Quote q => q with { Text = FixAll(q.Text) },
            Table t => t with { Rows = [.. t.Rows.Select(r => (IReadOnlyList<IReadOnlyList<Span>>)[.. r.Select(FixAll)])] },
            _ => b,
        };
        return [.. sections.Select(s => s with { Blocks = [.. s.Blocks.Select(FixBlock)] })];
    }
}
