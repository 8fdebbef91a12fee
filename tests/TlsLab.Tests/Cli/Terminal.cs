using Spectre.Console;

namespace TlsLab.Tests.Cli;

/// <summary>A console of a set width, as an attendee's terminal is, whose text the test can read.</summary>
internal sealed class Terminal
{
    private static readonly char[] Separators = [' ', '\n', '\r', '│', '╭', '╮', '╰', '╯', '─', '┬', '┴', '┼', '├', '┤', '(', ')'];
    private readonly StringWriter _text = new();

    public Terminal(int width)
    {
        Width = width;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        Console.Profile.Width = width;
    }

    public int Width { get; }

    public IAnsiConsole Console { get; }

    public string Text => _text.ToString();

    public string[] Lines => Text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    /// <summary>Fails when a line is wider than the terminal, or when a word of <paramref name="texts"/> is not whole on one line.</summary>
    public void AssertReadable(string what, IEnumerable<string> texts)
    {
        var tooWide = Lines.Where(l => l.TrimEnd().Length > Width).ToList();
        Assert.True(tooWide.Count == 0, $"{what} at {Width} columns has {tooWide.Count} line(s) wider than the terminal, which the terminal " +
            $"would fold mid-word:\n{string.Join("\n", tooWide)}\n\nThe whole output:\n{Text}");

        var shown = Tokens(Text).ToHashSet(StringComparer.Ordinal);
        var split = texts.SelectMany(Tokens).Distinct().Where(t => !shown.Contains(t)).ToList();
        Assert.True(split.Count == 0, $"{what} at {Width} columns splits these words, paths or commands across lines (or leaves them out): " +
            $"{string.Join(", ", split)}\n\nThe whole output:\n{Text}");
    }

    private static IEnumerable<string> Tokens(string text) => text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
}
