using System.Globalization;
using Spectre.Console;

namespace TlsLab.Cli.Output;

/// <summary>Spectre consoles over a given writer, so output can go to stdout, stderr or a test's buffer.</summary>
internal static class Consoles
{
    /// <summary>
    /// The width of output that goes to a file, a pipe or a buffer when neither COLUMNS nor a terminal says otherwise: a URL or
    /// a path still fits on one line, and the text still reads in a pager, an editor or a recorded fallback. The lessons' twins
    /// use the same width (TextRenderer.MaxWidth).
    /// </summary>
    public const int RedirectedWidth = 120;

    private const int NarrowestWidth = 40;
    private const int WidestWidth = 1000;

    public static IAnsiConsole For(TextWriter writer)
    {
        var isStandard = ReferenceEquals(writer, Console.Out) || ReferenceEquals(writer, Console.Error);
        var isTerminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected
            || ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        // A file or a pipe has no width of its own. `tlslab probe good | tee report.txt` still ends in a terminal, so its width
        // is the right one; a test's buffer has no terminal, whatever the test runner's own console is.
        if (!isTerminal)
        {
            console.Profile.Width = WidthWhenRedirected(Environment.GetEnvironmentVariable("COLUMNS"), isStandard ? AttachedTerminalWidth() : null);
        }

        return console;
    }

    /// <summary>COLUMNS when it is set to a usable width, else the width of a terminal the process still has, else <see cref="RedirectedWidth"/>.</summary>
    internal static int WidthWhenRedirected(string? columns, int? terminalWidth) =>
        int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var set) && set is >= NarrowestWidth and <= WidestWidth ? set
        : terminalWidth is >= NarrowestWidth and <= WidestWidth ? terminalWidth.Value
        : RedirectedWidth;

    // The terminal the process was started from, when one of its streams is still attached to it.
    private static int? AttachedTerminalWidth()
    {
        if (Console.IsOutputRedirected && Console.IsErrorRedirected && Console.IsInputRedirected)
        {
            return null;
        }

        try
        {
            return Console.WindowWidth is > 0 and var width ? width : null;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
