using Bench.Core.Metrics;
using Bench.Report.Model;

namespace Bench.Report.Document;

/// <summary>The words for issue 15's prompt sources: intended against achieved lengths.</summary>
public static partial class ReportDocumentBuilder
{
    /// <summary>"Intended against achieved lengths": per cell, the prompt and answer lengths the workload meant
    /// against the server's usage, with the chat template's overhead named. Null when no record carried an intended
    /// length.</summary>
    private static Section? LengthSection(RunReport report)
    {
        var checks = report.Lengths;
        if (checks.Count == 0)
        {
            return null;
        }

        static string N(double? v) => v is { } x ? x.ToString("N1", Inv) : "–";
        var rows = checks.Select(c =>
        {
            var s = c.Cell.Summary;
            var l = c.Lengths;
            return Row([CellKey.Label(s.Target, s.Model, s.Mode, s.Policy), l.Requests.ToString("N0", Inv),
                N(l.IntendedPromptMean), N(l.AchievedPromptMean), N(l.IntendedPromptP50), N(l.AchievedPromptP50), N(l.PromptOverheadMean),
                N(l.IntendedCompletionMean), N(l.AchievedCompletionMean), N(l.IntendedCompletionP50), N(l.AchievedCompletionP50), Verdict(c.Completion)]);
        });
        var shorter = checks.Where(c => c.Completion == LengthVerdict.Shorter).Select(c => CellKey.Label(c.Cell.Summary.Target, c.Cell.Summary.Model, c.Cell.Summary.Mode, c.Cell.Summary.Policy)).ToList();
        var blocks = new List<Block>
        {
            Para("What each request was meant to be (the prompt the source built, counted with the model family's tokenizer; the answer length asked for) against what the server's ",
                Code("usage"), " reported, over successful requests. Achieved prompt tokens include the chat template, which intended ones leave out: about 3 tokens per message plus 3 priming the reply for OpenAI's models (the ",
                Strong("overhead"), " column; a model of another family also counts with its own tokenizer)."),
            Table(["cell", "requests", "prompt intended mean", "prompt achieved mean", "prompt intended p50", "prompt achieved p50", "overhead mean",
                "answer intended mean", "answer achieved mean", "answer intended p50", "answer achieved p50", "answers"], "LRRRRRRRRRRL", rows),
        };
        if (shorter.Count > 0)
        {
            blocks.Add(Para(string.Create(Inv, $"Answers were more than {LengthCheck.Tolerance:P0} shorter than asked in {string.Join(", ", shorter)}: the model stopped at its end-of-sequence token. "),
                "Output costs and decode times there are for shorter answers than the workload meant; ", Code("\"ignore_eos\": true"),
                " asks a vLLM-compatible server for exactly the length (OpenAI's API refuses the field)."));
        }

        return new Section(Ids.Lengths, "Intended against achieved lengths", blocks);
    }

    private static string Verdict(LengthVerdict verdict) => verdict switch
    {
        LengthVerdict.AsAsked => "as asked",
        LengthVerdict.Shorter => "shorter",
        LengthVerdict.Longer => "longer",
        _ => "not asked",
    };
}
