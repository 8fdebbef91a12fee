using System.Text;

namespace TlsLab.Formatting;

/// <summary>Renders a <see cref="View"/> as plain text for a terminal: ASCII markers, aligned columns, wrapped cells.</summary>
internal static class TextRenderer
{
    /// <summary>The widest a rendered line gets before table cells wrap, when the output is not a terminal.</summary>
    public const int MaxWidth = 120;

    /// <summary>
    /// The width views are rendered at: the terminal's (a twin run in an 80-column window gets 80), or <see cref="MaxWidth"/> when the
    /// output goes to a file, a pipe or a notebook.
    /// </summary>
    public static int Width
    {
        get
        {
            try
            {
                return !Console.IsOutputRedirected && Console.WindowWidth is > 0 and var columns ? Math.Clamp(columns - 1, 40, 200) : MaxWidth;
            }
            catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
            {
                return MaxWidth;
            }
        }
    }

    /// <summary>The whole view as text, ending without a trailing newline.</summary>
    public static string Render(View view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var text = new StringBuilder();
        if (view.Title.Length > 0)
        {
            text.Append("== ").Append(view.Title).Append(" ==").AppendLine();
        }

        foreach (var block in view.Blocks)
        {
            switch (block)
            {
                case FactsBlock facts:
                    Facts(text, facts);
                    break;
                case TableBlock table:
                    Table(text, table);
                    break;
                case NoteBlock note:
                    foreach (var line in Wrap(Mark(note.Tone) + note.Text, Width - 2))
                    {
                        text.Append("  ").Append(line).AppendLine();
                    }

                    break;
                case HeadingBlock heading:
                    text.Append("  -- ").Append(heading.Text).Append(" --").AppendLine();
                    break;
                case PreformattedBlock pre:
                    if (pre.Caption is not null)
                    {
                        text.Append("  ").Append(pre.Caption).AppendLine();
                    }

                    foreach (var line in pre.Text.Split('\n'))
                    {
                        text.Append("    ").Append(line.TrimEnd('\r')).AppendLine();
                    }

                    break;
                case SequenceBlock sequence:
                    Sequence(text, sequence);
                    break;
                case WireRecordBlock record:
                    WireRecordRendering.Text(text, record);
                    break;
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>"[ok] ", "[x] ", "[!] ", "[-] " (an expected refusal) or nothing: the tone in characters every terminal shows.</summary>
    public static string Mark(Tone tone) => tone switch
    {
        Tone.Good => "[ok] ",
        Tone.Bad => "[x] ",
        Tone.Warning => "[!] ",
        Tone.Expected => "[-] ",
        _ => string.Empty,
    };

    private static void Facts(StringBuilder text, FactsBlock facts)
    {
        if (facts.Facts.Count == 0)
        {
            return;
        }

        var width = facts.Facts.Max(f => f.Label.Length);
        foreach (var fact in facts.Facts)
        {
            var lines = Wrap(Mark(fact.Tone) + fact.Value, Math.Max(30, Width - width - 4));
            for (var i = 0; i < lines.Count; i++)
            {
                text.Append("  ").Append((i == 0 ? fact.Label : string.Empty).PadRight(width)).Append("  ").Append(lines[i]).AppendLine();
            }
        }
    }

    private static void Table(StringBuilder text, TableBlock table)
    {
        if (table.Caption is not null)
        {
            text.Append("  ").Append(table.Caption).AppendLine();
        }

        var columns = table.Columns.Count;
        var rows = table.Rows.Select(r => r.Cells.Select((c, i) => i == 0 ? Mark(r.Tone) + c : c).ToArray()).ToList();
        var widths = new int[columns];
        for (var c = 0; c < columns; c++)
        {
            widths[c] = Math.Max(table.Columns[c].Length, rows.Select(r => c < r.Length ? r[c].Length : 0).DefaultIfEmpty(0).Max());
        }

        // Shrink the widest columns until the table fits, but never below a column's longest word: a name or a path cut in two
        // cannot be read or copied. When that is not enough, each row is stacked instead: its first cell, then the others under it.
        var budget = Width - 2 - (2 * (columns - 1));
        var longestWord = new int[columns];
        for (var c = 0; c < columns; c++)
        {
            longestWord[c] = rows.Append(table.Columns.ToArray()).Select(r => c < r.Length ? r[c] : string.Empty)
                .SelectMany(cell => cell.Split(' ', '\n')).Select(w => w.Length).DefaultIfEmpty(0).Max();
        }

        if (longestWord.Sum() > budget)
        {
            Stacked(text, table, rows);
            return;
        }

        while (widths.Sum() > budget)
        {
            var shrinkable = Enumerable.Range(0, columns).Where(c => widths[c] > Math.Max(longestWord[c], 1)).ToList();
            if (shrinkable.Count == 0)
            {
                break;
            }

            var widest = shrinkable.MaxBy(c => widths[c]);
            widths[widest]--;
        }

        AppendRow(text, table.Columns.ToArray(), widths);
        text.Append("  ").Append(string.Join("  ", widths.Select(w => new string('-', w)))).AppendLine();
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }
    }

    // One row after the other: the first cell (with the row's mark), then "Column: value" for the others, wrapped at words.
    private static void Stacked(StringBuilder text, TableBlock table, List<string[]> rows)
    {
        foreach (var row in rows)
        {
            foreach (var line in Wrap(row.Length > 0 ? row[0] : string.Empty, Width - 2))
            {
                text.Append("  ").Append(line).AppendLine();
            }

            for (var c = 1; c < row.Length && c < table.Columns.Count; c++)
            {
                if (row[c].Length == 0)
                {
                    continue;
                }

                foreach (var line in Wrap($"{table.Columns[c]}: {row[c]}", Width - 6))
                {
                    text.Append("      ").Append(line).AppendLine();
                }
            }
        }
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        var wrapped = widths.Select((w, i) => Wrap(i < cells.Length ? cells[i] : string.Empty, w)).ToArray();
        var height = wrapped.Max(w => w.Count);
        for (var line = 0; line < height; line++)
        {
            var parts = wrapped.Select((w, i) => (line < w.Count ? w[line] : string.Empty).PadRight(widths[i]));
            text.Append("  ").Append(string.Join("  ", parts).TrimEnd()).AppendLine();
        }
    }

    private static void Sequence(StringBuilder text, SequenceBlock sequence)
    {
        const int span = 56;
        var client = sequence.Client;
        var pad = new string(' ', client.Length + 2);
        text.Append("  ").Append(client).Append("  ").Append(new string(' ', span)).Append("  ").Append(sequence.Server).AppendLine();
        foreach (var step in sequence.Steps)
        {
            var label = step.Label + (step.Encrypted ? " (encrypted)" : string.Empty);
            if (step.Direction == Arrow.Note)
            {
                text.Append("  ").Append(pad).Append("** ").Append(Mark(step.Tone)).Append(label).Append(" **").AppendLine();
            }
            else
            {
                var line = step.Encrypted ? '=' : '-';
                var body = $" {label} ";
                var fill = Math.Max(3, span - body.Length - 4);
                var arrow = step.Direction == Arrow.ToServer
                    ? $"{new string(line, 3)}{body}{new string(line, fill)}>"
                    : $"<{new string(line, fill)}{body}{new string(line, 3)}";
                text.Append("  ").Append(client).Append("  ").Append(arrow.PadRight(span)).Append("  ").Append(sequence.Server).AppendLine();
            }

            if (step.Detail is not null)
            {
                foreach (var detail in Wrap(step.Detail, span))
                {
                    text.Append("  ").Append(pad).Append("    ").Append(detail).AppendLine();
                }
            }
        }
    }

    /// <summary>Words wrapped to <paramref name="width"/> columns; a word longer than that is cut. Also used by the annotated transcript.</summary>
    internal static List<string> Wrap(string value, int width)
    {
        var result = new List<string>();
        foreach (var paragraph in value.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(' '))
            {
                var rest = word;
                while (rest.Length > width)
                {
                    if (line.Length > 0)
                    {
                        result.Add(line.ToString());
                        line.Clear();
                    }

                    result.Add(rest[..width]);
                    rest = rest[width..];
                }

                if (line.Length > 0 && line.Length + 1 + rest.Length > width)
                {
                    result.Add(line.ToString());
                    line.Clear();
                }

                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                line.Append(rest);
            }

            result.Add(line.ToString());
        }

        return result;
    }
}
