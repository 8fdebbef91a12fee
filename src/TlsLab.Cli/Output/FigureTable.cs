using Spectre.Console;
using Spectre.Console.Rendering;

namespace TlsLab.Cli.Output;

/// <summary>
/// A table of measured figures that stays readable at any width: one row per line where every column fits, and where it
/// does not, each row becomes a short block (its name, then one figure per line) instead of columns squeezed into
/// letters. Figures are never wrapped, so a number is read whole.
/// </summary>
internal sealed class FigureTable
{
    private readonly string _title;
    private readonly string? _caption;
    private readonly List<(string Header, bool Right)> _columns = [];
    private readonly List<string[]> _rows = [];

    public FigureTable(string title, string? caption = null)
    {
        _title = title;
        _caption = caption;
    }

    /// <summary>The row's name: the first columns added with this are shown on the block's first line when stacked.</summary>
    public FigureTable Key(string header)
    {
        _columns.Add((header, false));
        KeyColumns++;
        return this;
    }

    public FigureTable Figure(string header)
    {
        _columns.Add((header, true));
        return this;
    }

    public FigureTable Row(params string[] cells)
    {
        if (cells.Length != _columns.Count)
        {
            throw new ArgumentException($"A row has {_columns.Count} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    private int KeyColumns { get; set; }

    /// <summary>The width the whole table needs: each column's widest cell, a space either side, and the borders.</summary>
    private int NaturalWidth() =>
        _columns.Select((c, i) => Math.Max(c.Header.Length, _rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max()) + 3).Sum() + 1;

    public IRenderable ToRenderable() => new ByWidth(width => width >= NaturalWidth() ? Wide() : Stacked());

    private Rows Wide()
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, right) in _columns)
        {
            var column = new TableColumn(header.EscapeMarkup()).NoWrap();
            table.AddColumn(right ? column.RightAligned() : column);
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select(c => new Text(c)).ToArray());
        }

        return new Rows(Heading(), table, Caption());
    }

    private Rows Stacked()
    {
        var parts = new List<IRenderable> { Heading() };
        var figureWidth = _columns.Skip(KeyColumns).Select(c => c.Header.Length).DefaultIfEmpty(0).Max();
        foreach (var row in _rows)
        {
            parts.Add(new Markup($"[bold]{string.Join(" ", row.Take(KeyColumns).Where(c => c.Length > 0)).EscapeMarkup()}[/]"));
            var grid = new Grid();
            grid.AddColumn(new GridColumn().NoWrap().PadLeft(2).PadRight(2).Width(figureWidth));
            grid.AddColumn(new GridColumn().NoWrap());
            for (var i = KeyColumns; i < _columns.Count; i++)
            {
                grid.AddRow(new Text(_columns[i].Header), new Text(row[i]));
            }

            parts.Add(grid);
        }

        parts.Add(Caption());
        return new Rows(parts);
    }

    private Markup Heading() => new($"[bold]{_title.EscapeMarkup()}[/]");

    private IRenderable Caption() => _caption is null ? Text.Empty : new Markup($"[grey]{_caption.EscapeMarkup()}[/]");
}
