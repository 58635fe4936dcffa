using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Bench.Core.Pricing;

/// <summary>
/// One routing share of a model mix: this percentage of the monthly volume goes to this model, in this mode.
/// </summary>
/// <param name="Model">Model name as requested (resolved through the catalogue).</param>
/// <param name="Mode"><c>non-streaming</c>, <c>streaming</c> (both at standard prices) or <c>batch-api</c> (batch
/// prices); <see langword="null"/> when not given (standard prices).</param>
/// <param name="Percent">Share of the volume in percent, &gt; 0 and ≤ 100 (30 means 30 %).</param>
public sealed record MixShare(string Model, string? Mode, decimal Percent)
{
    /// <summary>The mode names a share may carry (ARCHITECTURE.md, "Modes").</summary>
    public static IReadOnlyList<string> ModeNames { get; } = ["non-streaming", "streaming", "batch-api"];

    /// <summary>The target whose cell prices the share (<c>@TARGET</c>, <c>*</c> globs allowed), or
    /// <see langword="null"/> for the model's cell at any target (the first in run order).</summary>
    public string? Target { get; init; }

    /// <summary>Whether a cell at <paramref name="target"/> may price this share: any when the share names no target;
    /// else a target matching the pattern (a cell without a target — results from before targets — matches none).</summary>
    public bool MatchesTarget(string? target) => Target is null
        || target is not null && (Target.Contains('*', StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.IsMatch(target, "^" + string.Join(".*", Target.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$",
                System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            : string.Equals(Target, target, StringComparison.Ordinal));

    /// <summary>The price list this share is billed at: <see cref="PriceTier.Batch"/> for <c>batch-api</c>.</summary>
    public PriceTier Tier => string.Equals(Mode, "batch-api", StringComparison.Ordinal) ? PriceTier.Batch : PriceTier.Standard;

    /// <summary><see cref="Percent"/> / 100.</summary>
    public decimal Fraction => Percent / 100m;

    /// <summary>
    /// Parses <c>MODEL[:MODE][@TARGET]=PERCENT[%]</c>: <c>gpt-4.1:streaming=30%</c>, <c>deepseek-v3.2=70</c>,
    /// <c>gpt-4.1:batch-api=12.5%</c>, <c>gpt-4.1@relay=40%</c>. The mode is recognised only as one of
    /// <see cref="ModeNames"/> after the last colon, so model ids containing colons (<c>llama3:8b=20%</c>) still work;
    /// the target is what follows the last <c>@</c> (a model id containing <c>@</c> is written with <c>@*</c>).
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MixShare? share, [NotNullWhen(false)] out string? error)
    {
        share = null;
        var source = text?.Trim() ?? "";
        var equals = source.LastIndexOf('=');
        if (equals <= 0 || equals == source.Length - 1)
        {
            error = $"'{text}' is not a mix share: expected MODEL[:MODE]=PERCENT, e.g. gpt-4.1:streaming=30% "
                + $"(MODE: {string.Join(", ", ModeNames)}).";
            return false;
        }

        var left = source[..equals].Trim();
        var percentText = source[(equals + 1)..].Trim().TrimEnd('%').TrimEnd();
        string? target = null;
        if (left.LastIndexOf('@') is var at and >= 0)
        {
            target = left[(at + 1)..].Trim();
            left = left[..at].Trim();
            if (target.Length == 0)
            {
                error = $"'{text}': the target after '@' is empty (leave out the '@' for any target).";
                return false;
            }
        }

        string? mode = null;
        var colon = left.LastIndexOf(':');
        if (colon >= 0)
        {
            var candidate = left[(colon + 1)..].Trim().ToLowerInvariant();
            if (ModeNames.Contains(candidate, StringComparer.Ordinal))
            {
                mode = candidate;
                left = left[..colon].Trim();
            }
        }

        if (left.Length == 0)
        {
            error = $"'{text}': the model name is missing.";
            return false;
        }

        if (!decimal.TryParse(percentText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            || percent <= 0 || percent > 100)
        {
            error = $"'{text}': the share must be a percentage > 0 and ≤ 100 (e.g. 30%).";
            return false;
        }

        share = new MixShare(left, mode, percent) { Target = target == "*" ? null : target };
        error = null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Model}{(Mode is null ? "" : ":" + Mode)}{(Target is null ? "" : "@" + Target)}={Percent}%");
}

/// <summary>
/// A model mix: routing shares of one monthly volume, priced as one budget. The shares must sum to exactly 100 %.
/// </summary>
public sealed class ModelMix
{
    private ModelMix(IReadOnlyList<MixShare> shares)
    {
        Shares = shares;
    }

    /// <summary>The shares, in the order given.</summary>
    public IReadOnlyList<MixShare> Shares { get; }

    /// <summary>
    /// Validates and creates a mix. Throws <see cref="ArgumentException"/> listing every problem: no shares, a share
    /// ≤ 0 % or &gt; 100 %, an unknown mode, or shares not summing to exactly 100 % (no tolerance: decimal percentages
    /// add exactly).
    /// </summary>
    public static ModelMix Create(IEnumerable<MixShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var list = shares.ToArray();
        var errors = new List<string>();
        if (list.Length == 0)
        {
            errors.Add("a mix needs at least one share");
        }

        foreach (var share in list)
        {
            if (string.IsNullOrWhiteSpace(share.Model))
            {
                errors.Add("a share has no model");
            }

            if (share.Percent is <= 0 or > 100)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{share}: a share must be > 0 % and ≤ 100 %"));
            }

            if (share.Mode is not null && !MixShare.ModeNames.Contains(share.Mode, StringComparer.Ordinal))
            {
                errors.Add($"{share}: mode must be one of {string.Join(", ", MixShare.ModeNames)}");
            }
        }

        var total = list.Sum(s => s.Percent);
        if (list.Length > 0 && total != 100m)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"shares sum to {total} %, not 100 % ({string.Join(" + ", list.Select(s => s.Percent))})"));
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid model mix: {string.Join("; ", errors)}.");
        }

        return new ModelMix(list);
    }

    /// <summary>
    /// Parses one whole mix as every verb takes it after <c>--mix</c>: comma-separated shares
    /// <c>MODEL[:MODE]=PERCENT[%]</c> summing to 100 %, e.g. <c>gpt-4.1:streaming=30%,deepseek-v3.2:non-streaming=70%</c>
    /// (each share as <see cref="MixShare.TryParse"/> reads it; a repeated <c>--mix</c> is another mix).
    /// </summary>
    /// <param name="text">The flag's value.</param>
    /// <param name="mix">The mix, when valid.</param>
    /// <param name="error">Every problem, in one sentence, when invalid.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ModelMix? mix, [NotNullWhen(false)] out string? error)
    {
        mix = null;
        var errors = new List<string>();
        var shares = new List<MixShare>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (MixShare.TryParse(part, out var share, out var shareError))
            {
                shares.Add(share);
            }
            else
            {
                errors.Add(shareError);
            }
        }

        if (errors.Count == 0)
        {
            try
            {
                mix = Create(shares);
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
        }

        error = errors.Count > 0 ? string.Join(" ", errors) : null;
        return error is null;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(" + ", Shares);
}
