using Spectre.Console;

namespace TlsLab.Cli.Output;

/// <summary>Spectre consoles over a given writer, so output can go to stdout, stderr or a test's buffer.</summary>
internal static class Consoles
{
    public static IAnsiConsole For(TextWriter writer)
    {
        var isTerminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected
            || ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        // A file or a pipe has no width; 80 columns would fold every URL in two.
        if (!isTerminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }
}
