namespace Bench.Report.Pdf;

/// <summary>The paper <c>report.pdf</c> is printed on (<c>--paper a4|letter</c>).</summary>
public enum PaperSize
{
    /// <summary>ISO A4, 210 × 297 mm (595 × 842 pt): the default.</summary>
    A4,

    /// <summary>US Letter, 8.5 × 11 in (612 × 792 pt).</summary>
    Letter,
}

/// <summary>Names and sizes of <see cref="PaperSize"/>.</summary>
public static class PaperSizes
{
    /// <summary>The names <c>--paper</c> accepts, in help order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["a4", "letter"];

    /// <summary>Parses <c>a4</c> or <c>letter</c> (any case).</summary>
    public static bool TryParse(string? text, out PaperSize paper)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "a4":
                paper = PaperSize.A4;
                return true;
            case "letter":
                paper = PaperSize.Letter;
                return true;
            default:
                paper = PaperSize.A4;
                return false;
        }
    }

    /// <summary>The lower-case name (<c>a4</c>, <c>letter</c>), as <c>--paper</c> takes it.</summary>
    public static string Name(this PaperSize paper) => paper == PaperSize.Letter ? "letter" : "a4";

    /// <summary>The CSS <c>@page size</c> keyword (<c>A4</c>, <c>letter</c>; CSS Paged Media, page-size keywords).</summary>
    public static string CssSize(this PaperSize paper) => paper == PaperSize.Letter ? "letter" : "A4";

    /// <summary>The page's width and height in PostScript points (1/72 in): A4 595.28 × 841.89, Letter 612 × 792.</summary>
    public static (double Width, double Height) Points(this PaperSize paper) =>
        paper == PaperSize.Letter ? (612, 792) : (210 / 25.4 * 72, 297 / 25.4 * 72);
}
