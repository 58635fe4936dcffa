using System.Text.Json;

namespace Bench.Report.Comparison.Exporters;

/// <summary><c>--json FILE</c>: every row with its method, samples, p-values or interval and thresholds (numbers
/// unrounded; null when absent).</summary>
public static class ComparisonJson
{
    /// <summary>Writes the comparison to <paramref name="stream"/>.</summary>
    public static void Write(Comparison comparison, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("baseline", comparison.Baseline);
        json.WriteString("current", comparison.Current);
        json.WriteString("kind", comparison.Kind == SideKind.Micro ? "micro" : "run");
        json.WriteString("result", comparison.Regressions > 0 ? "fail" : "pass");
        json.WriteNumber("regressions", comparison.Regressions);
        json.WriteStartObject("counts");
        foreach (var verdict in Enum.GetValues<Verdict>())
        {
            json.WriteNumber(verdict.ToString().ToLowerInvariant(), comparison.Count(verdict));
        }

        json.WriteEndObject();
        json.WriteStartObject("settings");
        var s = comparison.Settings;
        json.WriteString("threshold", s.Threshold?.Text);
        json.WriteString("noise", s.Noise?.Text);
        json.WriteNumber("rate_margin", s.RateMargin);
        json.WriteNumber("alpha", s.Alpha);
        json.WriteStartArray("fail_on");
        foreach (var glob in s.FailOn)
        {
            json.WriteStringValue(glob);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        Strings(json, "only_in_baseline", comparison.OnlyInBaseline);
        Strings(json, "only_in_current", comparison.OnlyInCurrent);
        Strings(json, "notes", comparison.Notes);
        json.WriteStartArray("rows");
        foreach (var r in comparison.Rows)
        {
            json.WriteStartObject();
            if (comparison.Kind == SideKind.Micro)
            {
                json.WriteString("benchmark", r.Cell);
            }
            else
            {
                json.WriteString("target", r.Target);
                json.WriteString("model", r.Model);
                json.WriteString("mode", r.Mode);
                json.WriteString("policy", r.Policy);
            }

            json.WriteString("metric", r.MetricId);
            json.WriteString("unit", r.Unit);
            json.WriteString("direction", r.Direction.ToString());
            json.WriteNumber("baseline", r.Baseline);
            json.WriteNumber("current", r.Current);
            json.WriteNumber("change", r.AbsoluteChange);
            Number(json, "change_relative", r.RelativeChange);
            json.WriteString("verdict", r.Verdict.ToString());
            json.WriteString("method", r.Method.ToString().ToLowerInvariant());
            json.WriteNumber("baseline_samples", r.BaselineSamples);
            json.WriteNumber("current_samples", r.CurrentSamples);
            json.WriteString("threshold", r.Threshold);
            json.WriteString("noise", r.Noise);
            Number(json, "p_value_greater", r.PValueGreater);
            Number(json, "p_value_lesser", r.PValueLesser);
            Number(json, "interval_lower", r.IntervalLower);
            Number(json, "interval_upper", r.IntervalUpper);
            json.WriteString("note", r.Note);
            json.WriteBoolean("fail_on", r.FailOn);
            json.WriteBoolean("regression", r.Regression);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }
}
