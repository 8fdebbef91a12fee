using System.Globalization;
using System.Net;
using System.Text;

namespace TlsLab.Formatting;

/// <summary>
/// Renders a <see cref="View"/> as self-contained HTML: inline styles only, no scripts, no external files,
/// and colours that read on light and dark notebook themes alike.
/// </summary>
internal static class HtmlRenderer
{
    private const string Font = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.45";
    private const string Cell = "padding:3px 10px 3px 0;vertical-align:top;text-align:left";
    private const string Rule = "border-bottom:1px solid rgba(128,128,128,.35)";

    /// <summary>The whole view as one HTML fragment.</summary>
    public static string Render(View view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"tlslab-view\" style=\"{Font};margin:4px 0 8px 0\">");
        if (view.Title.Length > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div style=\"font-weight:600;font-size:14px;margin-bottom:4px\">{E(view.Title)}</div>");
        }

        foreach (var block in view.Blocks)
        {
            switch (block)
            {
                case FactsBlock facts:
                    Facts(html, facts);
                    break;
                case TableBlock table:
                    Table(html, table);
                    break;
                case NoteBlock note:
                    html.Append(CultureInfo.InvariantCulture, $"<div style=\"border-left:3px solid " +
                        $"{Colour(note.Tone, "rgba(128,128,128,.6)")};padding:2px 8px;margin:6px 0\">{E(note.Text)}</div>");
                    break;
                case HeadingBlock heading:
                    html.Append(CultureInfo.InvariantCulture, $"<div style=\"font-weight:600;margin-top:8px\">{E(heading.Text)}</div>");
                    break;
                case PreformattedBlock pre:
                    if (pre.Caption is not null)
                    {
                        html.Append(CultureInfo.InvariantCulture, $"<div style=\"margin-top:6px;opacity:.8\">{E(pre.Caption)}</div>");
                    }

                    html.Append(CultureInfo.InvariantCulture, $"<pre style=\"margin:2px 0 6px 0;padding:6px " +
                        $"8px;background:rgba(128,128,128,.12);overflow-x:auto;font-size:12px;white-space:pre\">{E(pre.Text)}</pre>");
                    break;
                case SequenceBlock sequence:
                    Sequence(html, sequence);
                    break;
                case WireRecordBlock record:
                    WireRecordRendering.Html(html, record);
                    break;
            }
        }

        return html.Append("</div>").ToString();
    }

    private static void Facts(StringBuilder html, FactsBlock facts)
    {
        html.Append("<table style=\"border-collapse:collapse;margin:2px 0 6px 0;font-size:inherit;font-family:inherit\"><tbody>");
        foreach (var fact in facts.Facts)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th style=\"{Cell};white-space:nowrap;font-weight:500;opacity:.75\">{E(fact.Label)}</th>");
            html.Append(CultureInfo.InvariantCulture, $"<td style=\"{Cell};{ToneStyle(fact.Tone)}\">{Mark(fact.Tone)}{E(fact.Value)}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Table(StringBuilder html, TableBlock table)
    {
        html.Append("<table style=\"border-collapse:collapse;margin:4px 0 8px 0;font-size:inherit;font-family:inherit\">");
        if (table.Caption is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<caption style=\"text-align:left;font-weight:600;padding:2px 0\">{E(table.Caption)}</caption>");
        }

        html.Append("<thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th style=\"{Cell};{Rule};font-weight:600\">{E(column)}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr style=\"{Rule};{RowBackground(row.Tone)}\">");
            for (var i = 0; i < row.Cells.Count; i++)
            {
                var mark = i == 0 ? Mark(row.Tone) : string.Empty;
                html.Append(CultureInfo.InvariantCulture, $"<td style=\"{Cell};padding-left:4px\">{mark}{E(row.Cells[i])}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    // A small SVG sequence diagram: two lifelines, one arrow per message. Arrowheads are drawn as
    // polygons rather than SVG markers, because marker ids would clash between outputs in one notebook.
    private static void Sequence(StringBuilder html, SequenceBlock sequence)
    {
        const int width = 720;
        const int left = 110;
        const int right = 610;
        const int top = 40;
        const int rowHeight = 46;
        var height = top + (sequence.Steps.Count * rowHeight) + 16;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 " +
            $"{width} {height}\" style=\"max-width:100%;color:inherit;font-family:inherit\" role=\"img\" " +
            $"aria-label=\"{E($"Message sequence between {sequence.Client} and {sequence.Server}")}\">");
        foreach (var (x, name) in new[] { (left, sequence.Client), (right, sequence.Server) })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"18\" text-anchor=\"middle\" font-weight=\"600\" font-size=\"13\" " +
                $"fill=\"currentColor\">{E(name)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"26\" x2=\"{x}\" y2=\"{height - 6}\" stroke=\"currentColor\" " +
                $"stroke-opacity=\"0.35\" stroke-width=\"2\"/>");
        }

        for (var i = 0; i < sequence.Steps.Count; i++)
        {
            var step = sequence.Steps[i];
            var y = top + (i * rowHeight) + 18;
            var colour = Colour(step.Tone, "currentColor");
            var label = E(step.Label) + (step.Encrypted ? " (encrypted)" : string.Empty);
            if (step.Direction == Arrow.Note)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left - 60}\" y=\"{y - 22}\" width=\"{right - left + 120}\" height=\"38\" " +
                    $"rx=\"4\" fill=\"{colour}\" fill-opacity=\"0.10\" stroke=\"{colour}\" stroke-opacity=\"0.6\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + right) / 2}\" y=\"{y - 6}\" text-anchor=\"middle\" font-size=\"12.5\" " +
                    $"font-weight=\"600\" fill=\"{colour}\">{label}</text>");
                if (step.Detail is not null)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + right) / 2}\" y=\"{y + 10}\" text-anchor=\"middle\" " +
                        $"font-size=\"11\" fill=\"currentColor\" fill-opacity=\"0.8\">{E(Clip(step.Detail, 95))}</text>");
                }

                continue;
            }

            var (from, to) = step.Direction == Arrow.ToServer ? (left, right) : (right, left);
            var head = step.Direction == Arrow.ToServer ? -9 : 9;
            var dash = step.Encrypted ? " stroke-dasharray=\"6 4\"" : string.Empty;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{from}\" y1=\"{y}\" x2=\"{to + head}\" y2=\"{y}\" stroke=\"{colour}\" " +
                $"stroke-width=\"1.6\"{dash}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{to},{y} {to + head},{y - 5} {to + head},{y + 5}\" fill=\"{colour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + right) / 2}\" y=\"{y - 6}\" text-anchor=\"middle\" font-size=\"12.5\" " +
                $"font-weight=\"600\" fill=\"{colour}\">{label}</text>");
            if (step.Detail is not null)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + right) / 2}\" y=\"{y + 14}\" text-anchor=\"middle\" font-size=\"11\" " +
                    $"fill=\"currentColor\" fill-opacity=\"0.8\">{E(Clip(step.Detail, 80))}</text>");
            }
        }

        html.Append(svg).Append("</svg>");
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Mark(Tone tone) => tone switch
    {
        Tone.Good => "\u2714\uFE0E ",
        Tone.Bad => "\u2716\uFE0E ",
        Tone.Warning => "\u26A0\uFE0E ",
        Tone.Expected => "\u2298\uFE0E ",
        _ => string.Empty,
    };

    private static string Colour(Tone tone, string neutral) => tone switch
    {
        Tone.Good => "#2da44e",
        Tone.Bad => "#e5534b",
        Tone.Warning => "#c69026",
        Tone.Expected => "#4a7fc1",
        _ => neutral,
    };

    private static string ToneStyle(Tone tone) => tone == Tone.Neutral ? string.Empty : $"color:{Colour(tone, "inherit")};font-weight:600";

    private static string RowBackground(Tone tone) => tone switch
    {
        Tone.Good => "background:rgba(45,164,78,.10)",
        Tone.Bad => "background:rgba(229,83,75,.12)",
        Tone.Warning => "background:rgba(198,144,38,.12)",
        Tone.Expected => "background:rgba(74,127,193,.08)",
        _ => string.Empty,
    };
}
