using System.Collections;
using System.Globalization;
using TlsLab.Wire;

namespace TlsLab.Formatting;

/// <summary>How a fact, row or note should strike the reader: neutral, good news, bad news, a caution, or a "no" that is the point.</summary>
public enum Tone
{
    /// <summary>Just information.</summary>
    Neutral,

    /// <summary>Something worked as it should.</summary>
    Good,

    /// <summary>Something failed or was refused.</summary>
    Bad,

    /// <summary>Worth a second look (a skipped scenario, a risky setting).</summary>
    Warning,

    /// <summary>
    /// A refusal that is what should happen (expired is refused by a correct client): an expectation, shown apart from a failure so
    /// a list of what a correct client does is not read as a list of things that broke.
    /// </summary>
    Expected,
}

/// <summary>
/// What to show about one value, independent of where it is shown: HTML in a notebook, plain text in a twin or a
/// terminal, so both always carry the same facts. Make one with <see cref="Table(string, IEnumerable{string}, IEnumerable{string[]})"/>,
/// <see cref="Facts(string, ValueTuple{string, object}[])"/>, <see cref="Note"/> or <see cref="Text(string, string)"/>,
/// and put several under one title with <see cref="Of"/>. Pass it to <c>display(...)</c>.
/// </summary>
public sealed class View
{
    internal View(string title, IReadOnlyList<ViewBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(blocks);
        Title = title;
        Blocks = blocks;
    }

    /// <summary>One line saying what this is; empty for an untitled part (see <see cref="Note"/>).</summary>
    public string Title { get; }

    /// <summary>The body, top to bottom.</summary>
    internal IReadOnlyList<ViewBlock> Blocks { get; }

    /// <summary>A table: a title, a header row, then one row per entry, all neutral.</summary>
    /// <param name="title">What the table shows.</param>
    /// <param name="headers">The column names.</param>
    /// <param name="rows">The rows, each with one cell per column.</param>
    /// <example><code>display(View.Table("Ports", ["Name", "Port"], [["good", "8443"], ["expired", "8444"]]));</code></example>
    public static View Table(string title, IEnumerable<string> headers, IEnumerable<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Table(title, headers, rows.Select(cells => (cells, Tone.Neutral)));
    }

    /// <summary>A table whose rows each carry a tone: good rows are marked and tinted green, bad ones red.</summary>
    /// <param name="title">What the table shows.</param>
    /// <param name="headers">The column names.</param>
    /// <param name="rows">The rows: the cells, and how the row should strike the reader.</param>
    /// <example><code>
    /// var rows = new List&lt;(string[] Cells, Tone Tone)&gt;();
    /// rows.Add((["good", "connected"], Tone.Good));
    /// display(View.Table("Results", ["Endpoint", "Result"], rows));
    /// </code></example>
    public static View Table(string title, IEnumerable<string> headers, IEnumerable<(string[] Cells, Tone Tone)> rows)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var table = new TableBlock(null, [.. headers], [.. rows.Select(r => new TableRow(r.Cells ?? [], r.Tone))]);
        return new View(title, [table]);
    }

    /// <summary>Labelled values, one per line: <c>("Protocol", tls.SslProtocol)</c>. A null value shows as "(none)".</summary>
    /// <param name="title">What the values describe.</param>
    /// <param name="facts">Each label and its value.</param>
    public static View Facts(string title, params (string Label, object? Value)[] facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Facts(title, [.. facts.Select(f => (f.Label, f.Value, Tone.Neutral))]);
    }

    /// <summary>Labelled values, each with a tone: <c>("Errors ignored", errors, Tone.Bad)</c>.</summary>
    /// <param name="title">What the values describe.</param>
    /// <param name="facts">Each label, its value and how it should strike the reader.</param>
    public static View Facts(string title, params (string Label, object? Value, Tone Tone)[] facts)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(facts);
        return new View(title, [new FactsBlock([.. facts.Select(f => new Fact(f.Label ?? string.Empty, Show(f.Value), f.Tone))])]);
    }

    /// <summary>A sentence or two, coloured by its tone, with no title of its own.</summary>
    /// <param name="text">What to say.</param>
    /// <param name="tone">Good news, bad news, a caution, or (by default) just information.</param>
    public static View Note(string text, Tone tone = Tone.Neutral)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new View(string.Empty, [new NoteBlock(text, tone)]);
    }

    /// <summary>Text shown exactly as it is, in a fixed-width font (a log, a PEM file, a tool's output).</summary>
    /// <param name="title">What the text is.</param>
    /// <param name="text">The text, line breaks and spacing kept.</param>
    public static View Text(string title, string text)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(text);
        return new View(title, [new PreformattedBlock(null, text)]);
    }

    /// <summary>Bytes as a classic hex dump: offsets, hex and the printable characters beside them.</summary>
    /// <param name="title">What the bytes are.</param>
    /// <param name="bytes">The bytes.</param>
    /// <param name="maxBytes">How many are shown at most; the dump says how many it left out.</param>
    public static View Hex(string title, ReadOnlySpan<byte> bytes, int maxBytes = 512)
    {
        ArgumentNullException.ThrowIfNull(title);
        return new View(title, [new PreformattedBlock(null, WireText.HexDump(bytes, maxBytes))]);
    }

    /// <summary>Several views under one title, top to bottom; each part keeps its own title as a heading.</summary>
    /// <param name="title">What the whole shows.</param>
    /// <param name="parts">The parts, e.g. <see cref="Facts(string, ValueTuple{string, object}[])"/> followed by a <see cref="Note"/>.</param>
    public static View Of(string title, params View[] parts)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(parts);
        var blocks = new List<ViewBlock>();
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
            if (part.Title.Length > 0)
            {
                blocks.Add(new HeadingBlock(part.Title));
            }

            blocks.AddRange(part.Blocks);
        }

        return new View(title, blocks);
    }

    /// <summary>The view as HTML (for notebooks).</summary>
    public string ToHtml() => HtmlRenderer.Render(this);

    /// <summary>The view as plain text (for terminals and twins).</summary>
    public string ToText() => TextRenderer.Render(this);

    /// <inheritdoc />
    public override string ToString() => ToText();

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        string text => text,
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Show)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}

/// <summary>One part of a <see cref="View"/>.</summary>
internal abstract record ViewBlock;

/// <summary>One labelled value.</summary>
internal sealed record Fact(string Label, string Value, Tone Tone = Tone.Neutral);

/// <summary>Labelled values, one per line.</summary>
internal sealed record FactsBlock(IReadOnlyList<Fact> Facts) : ViewBlock;

/// <summary>One row of a <see cref="TableBlock"/>.</summary>
internal sealed record TableRow(IReadOnlyList<string> Cells, Tone Tone = Tone.Neutral);

/// <summary>A table with a header row.</summary>
internal sealed record TableBlock(string? Caption, IReadOnlyList<string> Columns, IReadOnlyList<TableRow> Rows) : ViewBlock;

/// <summary>A sentence or two, coloured by its tone.</summary>
internal sealed record NoteBlock(string Text, Tone Tone = Tone.Neutral) : ViewBlock;

/// <summary>The title of one part of a view made with <see cref="View.Of"/>.</summary>
internal sealed record HeadingBlock(string Text) : ViewBlock;

/// <summary>Text shown exactly as it is (hex dumps, captured bytes, command output).</summary>
internal sealed record PreformattedBlock(string? Caption, string Text) : ViewBlock;

/// <summary>Which way a message in a <see cref="SequenceBlock"/> travels.</summary>
internal enum Arrow
{
    /// <summary>From the client to the server.</summary>
    ToServer,

    /// <summary>From the server to the client.</summary>
    ToClient,

    /// <summary>Not a message: something one side decided (drawn across both lifelines).</summary>
    Note,
}

/// <summary>One message of a handshake diagram.</summary>
/// <param name="Direction">Which way it travels.</param>
/// <param name="Label">What was sent, e.g. <c>ClientHello</c>.</param>
/// <param name="Detail">What it carried, in a few words, or null.</param>
/// <param name="Encrypted">True when an eavesdropper sees only ciphertext.</param>
/// <param name="Tone">Bad for a refusal or an alert.</param>
internal sealed record SequenceStep(Arrow Direction, string Label, string? Detail = null, bool Encrypted = false, Tone Tone = Tone.Neutral);

/// <summary>A message-sequence diagram between a client and a server.</summary>
internal sealed record SequenceBlock(string Client, string Server, IReadOnlyList<SequenceStep> Steps) : ViewBlock;
