using TlsLab.Cli.Output;

namespace TlsLab.Tests.Cli;

/// <summary>Output to a file or a pipe is as wide as COLUMNS or the terminal says, else a width that reads anywhere; never padded.</summary>
public sealed class RedirectedWidthTests
{
    [Theory]
    [InlineData(null, null, Consoles.RedirectedWidth)]
    [InlineData("", null, Consoles.RedirectedWidth)]
    [InlineData(null, 143, 143)]
    [InlineData("90", 143, 90)]
    [InlineData("90", null, 90)]
    [InlineData("wide", 100, 100)]
    [InlineData("-80", null, Consoles.RedirectedWidth)]
    [InlineData("10", null, Consoles.RedirectedWidth)]
    [InlineData("99999", null, Consoles.RedirectedWidth)]
    [InlineData(null, 0, Consoles.RedirectedWidth)]
    public void The_width_comes_from_COLUMNS_then_the_terminal_then_the_default(string? columns, int? terminal, int expected) =>
        Assert.True(Consoles.WidthWhenRedirected(columns, terminal) == expected, $"With COLUMNS={columns ?? "(unset)"} and a terminal of " +
            $"{terminal?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} columns, redirected output should be {expected} " +
            $"columns wide; it is {Consoles.WidthWhenRedirected(columns, terminal)}.");

    [Fact]
    public void The_default_is_readable_in_a_pager_and_keeps_a_URL_whole()
    {
        Assert.InRange(Consoles.RedirectedWidth, 80, 120);
    }

    [Fact]
    public async Task The_bare_command_lists_the_commands_without_trailing_spaces()
    {
        var (exit, _, stderr) = await CliRun.CompleteAsync();

        Assert.Equal(2, exit);
        var lines = stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Contains(lines, l => l.StartsWith("  tlslab probe", StringComparison.Ordinal));
        var padded = lines.Where(l => l.EndsWith(' ')).ToList();
        Assert.True(padded.Count == 0, $"'tlslab' with no command printed {padded.Count} line(s) ending in spaces (a grid padded to its width):\n" +
            string.Join("\n", padded.Select(l => $"[{l}]")));
        var wide = lines.Where(l => l.Length > Consoles.RedirectedWidth).ToList();
        Assert.True(wide.Count == 0, $"'tlslab' with no command printed line(s) wider than {Consoles.RedirectedWidth} columns into a buffer:\n" +
            string.Join("\n", wide));
    }
}
