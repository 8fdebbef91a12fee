using Spectre.Console.Rendering;

namespace TlsLab.Cli.Output;

/// <summary>
/// A renderable drawn without the spaces a grid pads each line with up to its width: in a file or a pipe they are trailing
/// whitespace on every line, and copied from a terminal they come along.
/// </summary>
internal sealed class TrimmedLines(IRenderable inner) : IRenderable
{
    public Measurement Measure(RenderOptions options, int maxWidth) => inner.Measure(options, maxWidth);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        var line = new List<Segment>();
        foreach (var segment in inner.Render(options, maxWidth))
        {
            if (segment.IsLineBreak)
            {
                foreach (var kept in Trimmed(line))
                {
                    yield return kept;
                }

                line.Clear();
                yield return segment;
            }
            else
            {
                line.Add(segment);
            }
        }

        foreach (var kept in Trimmed(line))
        {
            yield return kept;
        }
    }

    private static IEnumerable<Segment> Trimmed(List<Segment> line)
    {
        var end = line.Count;
        while (end > 0 && !line[end - 1].IsControlCode && string.IsNullOrWhiteSpace(line[end - 1].Text))
        {
            end--;
        }

        for (var i = 0; i < end; i++)
        {
            var segment = line[i];
            yield return i == end - 1 && !segment.IsControlCode ? new Segment(segment.Text.TrimEnd(' '), segment.Style) : segment;
        }
    }
}
