using System.Reflection;
using System.Security.Cryptography;
using SkiaSharp;

namespace Bench.Report.Charts;

/// <summary>
/// The font every chart is drawn with: DejaVu Sans (regular and bold), embedded in this assembly (licence:
/// <c>Fonts/LICENSE.txt</c>) and registered with ScottPlot under its own family name, so chart text looks the same on
/// every machine whatever fonts it has installed.
/// </summary>
public static class ChartFonts
{
    /// <summary>The family name the bundled font is registered under (distinct from any installed "DejaVu Sans", so
    /// ScottPlot can never resolve it to a system font).</summary>
    public const string Family = "Bench DejaVu Sans";

    private const string RegularResource = "Bench.Report.Fonts.DejaVuSans.ttf";
    private const string BoldResource = "Bench.Report.Fonts.DejaVuSans-Bold.ttf";

    private static readonly Lazy<(SKTypeface Regular, SKTypeface Bold)> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The regular face (registers the fonts on first use).</summary>
    public static SKTypeface Regular => Registered.Value.Regular;

    /// <summary>The bold face (registers the fonts on first use).</summary>
    public static SKTypeface Bold => Registered.Value.Bold;

    /// <summary>Registers the bundled faces with ScottPlot (<c>Fonts.AddFontFile</c>); idempotent and thread-safe.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    private static (SKTypeface, SKTypeface) Register()
    {
        var regular = Extract(RegularResource);
        var bold = Extract(BoldResource);
        ScottPlot.Fonts.AddFontFile(Family, regular, bold: false, italic: false);
        ScottPlot.Fonts.AddFontFile(Family, bold, bold: true, italic: false);
        return (ScottPlot.Fonts.GetTypeface(Family, bold: false, italic: false), ScottPlot.Fonts.GetTypeface(Family, bold: true, italic: false));
    }

    /// <summary>
    /// Writes an embedded font to a content-addressed file in the temp folder (ScottPlot registers fonts by path) and
    /// returns its path. The name carries a hash of the bytes, so concurrent processes write identical files and a
    /// stale or partial file is never reused.
    /// </summary>
    private static string Extract(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded font '{resource}' is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var folder = Path.Combine(Path.GetTempPath(), "bench-fonts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{hash}-{resource["Bench.Report.Fonts.".Length..]}");
        if (File.Exists(path) && new FileInfo(path).Length == bytes.Length)
        {
            return path;
        }

        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, bytes);
        try
        {
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process won the race with the same bytes.
            File.Delete(temporary);
        }

        return path;
    }
}
