using System.Text.Json;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Report.Exporters;
using Bench.Report.Model;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Exporters;

/// <summary>
/// The files and the catalogue agree: every column of <c>summary.csv</c> and <c>records.csv</c> and every key of a
/// <c>summary.json</c> cell has a <see cref="MetricCatalog"/> entry that says it is written there, and every entry is
/// written somewhere — by a run that exercises every figure (both modes, open load, SLOs, a priced and an unpriced
/// model, tokenizer comparisons, a batch-api cell with its batch).
/// </summary>
public sealed class MetricCatalogExportTests : IDisposable
{
    private static readonly IReadOnlyList<SloSet> Slos =
    [
        new SloSet { Name = "fast", MaxMs = new Dictionary<string, double> { ["e2e_ms"] = 900 } },
        new SloSet { Name = "snappy", MaxMs = new Dictionary<string, double> { ["ttft_ms"] = 300 }, Percentile = 90 },
    ];

    private readonly TestRun _run = TestRun.Standard();
    private readonly RunReport _report;

    public MetricCatalogExportTests()
    {
        // An unpriced model under open load, with server and tokenizer counts.
        for (var i = 0; i < 3; i++)
        {
            var sent = 100 + (i * 300);
            _run.Records.Add(new RequestRecord
            {
                Id = 1000 + i, Model = "mystery-1", Mode = Mode.Streaming, SentMs = sent, IntendedMs = sent - 5, FirstByteMs = sent + 20,
                FirstTokenMs = sent + 50, FirstOutputTokenMs = sent + 50, LastTokenMs = sent + 200, EndMs = sent + 210, TokenEventsMs = [sent + 50, sent + 100, sent + 200],
                HttpStatus = 200, Outcome = Outcome.Success, PromptTokens = 5, CompletionTokens = 3, ReasoningTokens = 1, CachedTokens = 2,
                TokensSource = TokenSources.Usage, TokenizerCompletionTokens = 2,
                IntendedPromptTokens = 2, IntendedCompletionTokens = 4, // issue 15: the lengths block
            });
        }

        // A batch-api cell with its batch (batches.jsonl): the batch figures, custom_id and batch_id.
        _run.AddBatch(TestRun.Alpha, lines: 4, turnaroundS: 1080, expired: 1);

        // Two replicates (bench run --repeat 2): summary.json's replicates block and replicates.csv's replicate column.
        foreach (var record in _run.Records)
        {
            record.Replicate = 1 + (int)(record.Id % 2);
        }

        _run.Save();
        _report = _run.Report(slos: Slos);
    }

    public void Dispose() => _run.Dispose();

    private List<string> SummaryCsvHeader()
    {
        var text = new StringWriter();
        SummaryCsvExporter.Write(_report, text);
        return [.. text.ToString().Split('\n')[0].TrimEnd('\r').Split(',')];
    }

    private List<string> RecordsCsvHeader()
    {
        using (var exporter = new RecordsCsvExporter(_run.Directory))
        {
            _run.Records.ForEach(exporter.Add);
        }

        return [.. File.ReadLines(Path.Combine(_run.Directory, RecordsCsvExporter.FileName)).First().Split(',')];
    }

    /// <summary>Every leaf key of every cell of <c>summary.json</c>, as <c>/a/b</c> paths (<c>*</c> for array
    /// indices), and the top-level keys.</summary>
    private (HashSet<string> CellPaths, List<string> TopLevel) SummaryJsonKeys()
    {
        SummaryJsonExporter.Write(_report, _run.Directory);
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_run.Directory, SummaryJsonExporter.FileName)));
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            Collect(cell, "", paths);
        }

        return (paths, [.. document.RootElement.EnumerateObject().Select(p => p.Name)]);

        static void Collect(JsonElement element, string path, HashSet<string> paths)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value, $"{path}/{property.Name}", paths);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, path + "/*", paths);
                    }

                    break;
                default:
                    paths.Add(path);
                    break;
            }
        }
    }

    /// <summary>Every figure the catalogue knows for this run: the fixed ones and the SLO templates for its sets.</summary>
    private static List<MetricDefinition> Catalogue() =>
        [.. MetricCatalog.All, .. Slos.SelectMany(s => MetricCatalog.Templates.Select(t => t.For(s.Name)))];

    [Fact]
    public void SummaryCsv_EveryColumnHasAnEntry_ThatSaysItIsInSummaryCsv()
    {
        var header = SummaryCsvHeader();

        Assert.Equal(header.Count, header.Distinct().Count());
        Assert.All(header, id =>
        {
            Assert.True(MetricCatalog.TryFind(id, out var metric), $"summary.csv column '{id}' has no catalogue entry");
            Assert.True(metric.Exports.HasFlag(MetricExports.SummaryCsv), $"'{id}' is in summary.csv but its entry does not say so");
        });
    }

    [Fact]
    public void RecordsCsv_EveryColumnHasAnEntry_ThatSaysItIsInRecordsCsv()
    {
        var header = RecordsCsvHeader();

        Assert.All(header, id =>
        {
            Assert.True(MetricCatalog.TryFind(id, out var metric), $"records.csv column '{id}' has no catalogue entry");
            Assert.True(metric.Exports.HasFlag(MetricExports.RecordsCsv), $"'{id}' is in records.csv but its entry does not say so");
        });
    }

    [Fact]
    public void SummaryJson_EveryKeyHasAnEntry_AtThatPath()
    {
        var (paths, topLevel) = SummaryJsonKeys();
        var declared = Catalogue().Where(m => m.Exports.HasFlag(MetricExports.SummaryJson)).SelectMany(m => m.JsonPaths).ToHashSet(StringComparer.Ordinal);

        // Run metadata, not figures: a new top-level key must be declared here (or become a catalogue entry). The run
        // has SLO sets, so the budget plan is there (its keys: SummaryJson_Plan_EveryKeyIsDeclaredInTheCatalogue…); a
        // record bills cached tokens, so prompt caching's block is there too (its keys: PromptCachingTests).
        Assert.Equal(["run_id", "price_catalog", "cells", MetricCatalog.PlanJsonKey, MetricCatalog.PromptCachingJsonKey], topLevel);
        Assert.All(paths, path => Assert.True(declared.Contains(path), $"summary.json key '{path}' has no catalogue entry"));
    }

    [Fact]
    public void Catalogue_EveryEntryIsExportedWhereItSays()
    {
        var summaryCsv = SummaryCsvHeader();
        var recordsCsv = RecordsCsvHeader();
        var (json, _) = SummaryJsonKeys();

        Assert.All(Catalogue(), metric =>
        {
            Assert.True(metric.Exports != MetricExports.None, $"'{metric.Id}' is exported nowhere");
            if (metric.Exports.HasFlag(MetricExports.SummaryCsv))
            {
                Assert.True(summaryCsv.Contains(metric.Id), $"'{metric.Id}' says summary.csv but is not there");
            }

            if (metric.Exports.HasFlag(MetricExports.RecordsCsv))
            {
                Assert.True(recordsCsv.Contains(metric.Id), $"'{metric.Id}' says records.csv but is not there");
            }

            if (metric.Exports.HasFlag(MetricExports.SummaryJson))
            {
                Assert.All(metric.JsonPaths, path => Assert.True(json.Contains(path), $"'{metric.Id}' says summary.json {path} but it is not there"));
            }
        });
    }

    [Fact]
    public void SummaryJson_Thresholds_EveryKeyIsDeclaredInTheCatalogue_InItsOrder()
    {
        var thresholds = new[] { "e2e_ms_p95<1", "success_rate>=0", "tpot_ms_p50{*:batch-api}<5" }
            .Select(e => new Bench.Core.Thresholds.ThresholdSpec { Expression = e }.ToThreshold()).ToList();
        var report = _run.Report(slos: Slos, thresholds: thresholds);

        SummaryJsonExporter.Write(report, _run.Directory);
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_run.Directory, SummaryJsonExporter.FileName)));

        Assert.Equal(["run_id", "price_catalog", "cells", MetricCatalog.ThresholdsJsonKey, MetricCatalog.PlanJsonKey, MetricCatalog.PromptCachingJsonKey], document.RootElement.EnumerateObject().Select(p => p.Name));
        var rows = document.RootElement.GetProperty(MetricCatalog.ThresholdsJsonKey).EnumerateArray().ToList();
        Assert.Equal(report.Thresholds.Count, rows.Count);
        Assert.All(rows, row => Assert.Equal(MetricCatalog.ThresholdJsonFields.Select(f => f.Name), row.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("failed", rows[0].GetProperty("status").GetString()); // failing rows first
        Assert.Equal("no_data", rows.Single(r => r.GetProperty("model").ValueKind == JsonValueKind.Null).GetProperty("status").GetString());
    }

    [Fact]
    public void SummaryJson_Plan_EveryKeyIsDeclaredInTheCatalogue_InItsOrder()
    {
        // Shares make a complete plan with a choice, a runner-up and a current cell on every class.
        SloSet[] classes =
        [
            new() { Name = "fast", MaxMs = new Dictionary<string, double> { ["e2e_ms"] = 100_000 }, Percentile = 50, Share = 40m },
            new() { Name = "any", MinSuccessRate = 0.1, Share = 60m, MaxTurnaroundH = 24 },
        ];
        _run.Run.Report.Current = "alpha-model:streaming";
        var report = _run.Report(slos: classes);

        SummaryJsonExporter.Write(report, _run.Directory);
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_run.Directory, SummaryJsonExporter.FileName)));

        var plan = document.RootElement.GetProperty(MetricCatalog.PlanJsonKey);
        Assert.Equal(MetricCatalog.PlanJsonFields.Select(f => f.Name), plan.EnumerateObject().Select(p => p.Name));
        var rows = plan.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(MetricCatalog.PlanClassJsonFields.Select(f => f.Name), row.EnumerateObject().Select(p => p.Name)));
        var options = rows.SelectMany(r => r.GetProperty("options").EnumerateArray().Concat(
            new[] { "choice", "runner_up" }.Select(k => r.GetProperty(k)).Where(o => o.ValueKind == JsonValueKind.Object))).ToList();
        Assert.NotEmpty(options);
        Assert.All(options, o => Assert.Equal(MetricCatalog.PlanOptionJsonFields.Select(f => f.Name), o.EnumerateObject().Select(p => p.Name)));
        var risks = rows.Select(r => r.GetProperty("risk")).Where(r => r.ValueKind == JsonValueKind.Object).ToList();
        Assert.NotEmpty(risks);
        Assert.All(risks, r => Assert.Equal(MetricCatalog.PlanRiskJsonFields.Select(f => f.Name), r.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public void SummaryCsv_ColumnsAreTheCataloguesInItsOrder()
    {
        Assert.Equal(MetricCatalog.SummaryCsv(["fast", "snappy"]).Select(m => m.Id), SummaryCsvHeader());
        Assert.Equal(["goodput_rps", "slo_fast_met", "slo_fast_shown", "slo_fast_good_fraction", "goodput_rps_fast", "slo_snappy_met", "slo_snappy_shown", "slo_snappy_good_fraction", "goodput_rps_snappy"],
            SummaryCsvHeader().SkipWhile(id => id != "goodput_rps"));
        Assert.DoesNotContain("goodput_rps", MetricCatalog.SummaryCsv([]).Select(m => m.Id));
    }
}
