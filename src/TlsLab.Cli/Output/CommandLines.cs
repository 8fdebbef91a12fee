using System.Text;
using Spectre.Console;

namespace TlsLab.Cli.Output;

/// <summary>
/// Prints a command for copying: a terminal that wraps it splits a path or an option in two, so a command wider than the
/// console is broken between arguments with the shell's line continuation, and an option stays with its value.
/// </summary>
internal static class CommandLines
{
    // PowerShell (the Windows terminal's default shell) continues a line with a backtick; sh, bash and zsh with a backslash.
    private static string Continuation => OperatingSystem.IsWindows() ? " `" : " \\";

    public static void Write(IAnsiConsole console, string indent, string command)
    {
        foreach (var line in Lines(command, indent, console.Profile.Width))
        {
            console.WriteLine(line);
        }
    }

    /// <summary>The lines <see cref="Write"/> prints, each at most <paramref name="width"/> wide unless one argument alone is wider.</summary>
    public static IReadOnlyList<string> Lines(string command, string indent, int width)
    {
        if (indent.Length + command.Length <= width)
        {
            return [indent + command];
        }

        var lines = new List<string>();
        var line = new StringBuilder(indent);
        var start = true;
        foreach (var piece in Pieces(command))
        {
            if (!start && line.Length + 1 + piece.Length + Continuation.Length > width)
            {
                lines.Add(line.Append(Continuation).ToString());
                line.Clear().Append(indent).Append("    ");
                start = true;
            }

            line.Append(start ? string.Empty : " ").Append(piece);
            start = false;
        }

        lines.Add(line.ToString());
        return lines;
    }

    // Arguments (a quoted one kept whole), an option joined to the value after it, an environment assignment to the program.
    private static List<string> Pieces(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in command)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }

                continue;
            }

            word.Append(c);
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        var pieces = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var takesValue = words[i].StartsWith('-') && !words[i].Contains('=', StringComparison.Ordinal) && i + 1 < words.Count
                && !words[i + 1].StartsWith('-');
            if (takesValue)
            {
                pieces.Add(words[i] + " " + words[i + 1]);
                i++;
            }
            else
            {
                pieces.Add(words[i]);
            }
        }

        return pieces;
    }
}
