namespace Bench.Core.Metrics;

// The figures that say how sure a result is. The SLO evidence templates (slo_<set>_shown, _evidence,
// _good_fraction_lower95) sit beside the other SLO templates in MetricCatalog.cs because static initialisation
// order across partial files is unspecified and SloTemplates lists them.
public static partial class MetricCatalog
{
    /// <summary>The word for an <see cref="SloEvidence"/> in exports and the report.</summary>
    public static string EvidenceWord(SloEvidence evidence) => evidence switch
    {
        SloEvidence.Shown => "shown",
        SloEvidence.NotMet => "not met",
        _ => "inconclusive",
    };
}
