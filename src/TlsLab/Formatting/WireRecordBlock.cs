using System.Globalization;
using System.Net;
using System.Text;
using TlsLab.Wire;

namespace TlsLab.Formatting;

/// <summary>One labelled part of a record block: a message's name and its fields, or (with an empty name) the record's own fields.</summary>
internal sealed record WireRecordSection(string Name, IReadOnlyList<Fact> Fields);

/// <summary>One TLS record drawn as a block: who sent it, a one-line summary, then its labelled sections.</summary>
internal sealed record WireRecordBlock(WireDirection Direction, string Summary, IReadOnlyList<WireRecordSection> Sections, Tone Tone = Tone.Neutral)
    : ViewBlock;

/// <summary>How a <see cref="WireRecordBlock"/> looks: client blocks on the left in blue, server blocks indented in orange.</summary>
internal static class WireRecordRendering
{
    private const string ClientColour = "#3b82f6";
    private const string ServerColour = "#f59e0b";

    public static void Text(StringBuilder text, WireRecordBlock block)
    {
        var client = block.Direction == WireDirection.ClientToServer;
        var indent = client ? "  " : "          ";
        text.Append(indent).Append(client ? ">>> client -> server: " : "<<< server -> client: ").Append(TextRenderer.Mark(block.Tone))
            .Append(block.Summary).AppendLine();
        foreach (var section in block.Sections)
        {
            if (section.Name.Length > 0)
            {
                text.Append(indent).Append("    [").Append(section.Name).Append(']').AppendLine();
            }

            var width = section.Fields.Count == 0 ? 0 : section.Fields.Max(f => f.Label.Length);
            foreach (var field in section.Fields)
            {
                var lines = TextRenderer.Wrap(TextRenderer.Mark(field.Tone) + field.Value, Math.Max(40, TextRenderer.MaxWidth - indent.Length - width - 8));
                for (var i = 0; i < lines.Count; i++)
                {
                    text.Append(indent).Append("      ").Append((i == 0 ? field.Label : string.Empty).PadRight(width)).Append("  ")
                        .Append(lines[i]).AppendLine();
                }
            }
        }
    }

    public static void Html(StringBuilder html, WireRecordBlock block)
    {
        var client = block.Direction == WireDirection.ClientToServer;
        var colour = client ? ClientColour : ServerColour;
        html.Append(CultureInfo.InvariantCulture, $"<div style=\"border-left:4px solid {colour};background:{colour}14;margin:6px " +
            $"{(client ? "64px 6px 0" : "0 6px 64px")};padding:4px 8px;border-radius:3px\">");
        html.Append(CultureInfo.InvariantCulture, $"<div style=\"font-weight:600\"><span style=\"color:{colour}\">" +
            $"{(client ? "client &#8594; server" : "server &#8594; client")}</span> {E(block.Summary)}</div>");
        foreach (var section in block.Sections)
        {
            if (section.Name.Length > 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div style=\"font-weight:600;margin-top:4px\">{E(section.Name)}</div>");
            }

            html.Append("<table style=\"border-collapse:collapse;font-size:inherit;font-family:inherit\"><tbody>");
            foreach (var field in section.Fields)
            {
                var style = field.Tone switch
                {
                    Tone.Good => "color:#15803d",
                    Tone.Bad => "color:#dc2626;font-weight:600",
                    Tone.Warning => "color:#b45309",
                    _ => string.Empty,
                };
                html.Append(CultureInfo.InvariantCulture, $"<tr><th style=\"padding:1px 10px 1px 0;text-align:left;vertical-align:top;" +
                    $"font-weight:500;opacity:.75;white-space:nowrap\">{E(field.Label)}</th><td style=\"padding:1px 0;vertical-align:top;" +
                    $"font-family:ui-monospace,monospace;font-size:12px;word-break:break-all;{style}\">{E(field.Value)}</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</div>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
