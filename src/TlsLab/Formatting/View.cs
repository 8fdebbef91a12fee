namespace TlsLab.Formatting;

/// <summary>How a fact, row or note should strike the reader: neutral, good news, bad news, or a caution.</summary>
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
}

/// <summary>
/// What to show about one value, independent of where it is shown. <see cref="HtmlRenderer"/> turns it into
/// a notebook view and <see cref="TextRenderer"/> into terminal text, so both always carry the same facts.
/// </summary>
/// <param name="Title">One line saying what this is.</param>
/// <param name="Blocks">The body, top to bottom.</param>
public sealed record View(string Title, IReadOnlyList<ViewBlock> Blocks)
{
    /// <summary>The view as HTML (for notebooks).</summary>
    public string ToHtml() => HtmlRenderer.Render(this);

    /// <summary>The view as plain text (for terminals and twins).</summary>
    public string ToText() => TextRenderer.Render(this);

    /// <inheritdoc />
    public override string ToString() => ToText();
}

/// <summary>One part of a <see cref="View"/>.</summary>
public abstract record ViewBlock;

/// <summary>One labelled value.</summary>
public sealed record Fact(string Label, string Value, Tone Tone = Tone.Neutral);

/// <summary>Labelled values, one per line.</summary>
public sealed record FactsBlock(IReadOnlyList<Fact> Facts) : ViewBlock;

/// <summary>One row of a <see cref="TableBlock"/>.</summary>
public sealed record TableRow(IReadOnlyList<string> Cells, Tone Tone = Tone.Neutral);

/// <summary>A table with a header row.</summary>
public sealed record TableBlock(string? Caption, IReadOnlyList<string> Columns, IReadOnlyList<TableRow> Rows) : ViewBlock;

/// <summary>A sentence or two, coloured by its tone.</summary>
public sealed record NoteBlock(string Text, Tone Tone = Tone.Neutral) : ViewBlock;

/// <summary>Text shown exactly as it is (hex dumps, captured bytes, command output).</summary>
public sealed record PreformattedBlock(string? Caption, string Text) : ViewBlock;

/// <summary>Which way a message in a <see cref="SequenceBlock"/> travels.</summary>
public enum Arrow
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
public sealed record SequenceStep(Arrow Direction, string Label, string? Detail = null, bool Encrypted = false, Tone Tone = Tone.Neutral);

/// <summary>A message-sequence diagram between a client and a server.</summary>
public sealed record SequenceBlock(string Client, string Server, IReadOnlyList<SequenceStep> Steps) : ViewBlock;
