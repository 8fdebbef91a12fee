using TlsLab.Cli.Commands;
using TlsLab.Cli.Grading;
using TlsLab.Cli.Serve;
using TlsLab.Zoo;

namespace TlsLab.Tests.Cli;

/// <summary>
/// serve and grade read well in a terminal of 80 columns (a split editor, the default macOS Terminal), and use the width when
/// there is more: no line wider than the terminal, no word, path, URL or command split across lines.
/// </summary>
public sealed class TerminalWidthTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(160)]
    public async Task Serve_fits_the_terminal_and_keeps_every_name_url_and_command_whole(int width)
    {
        await using var lab = await Lab.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var ca = Path.Combine(Path.GetTempPath(), "tlslab-width-test", "lab-root.pem");
        var manifest = LabManifest.From(lab, ca);
        var terminal = new Terminal(width);

        EndpointTable.Render(terminal.Console, manifest);

        // serve shows how to try two of them with curl and openssl.
        var tried = manifest.Endpoints.Where(e => e.Name is "good" or "expired").ToList();
        Assert.Equal(2, tried.Count);
        terminal.AssertReadable("tlslab serve", manifest.Endpoints.SelectMany(e => new[] { e.Name, e.Url, e.Teaches, e.Reason ?? string.Empty })
            .Concat(tried.SelectMany(e => new[] { e.Curl, e.OpenSsl ?? string.Empty })));
        // Before the layout followed the width, 80 columns gave 2,201 lines (a letter a line); the zoo's twenty scenarios
        // take three lines each when stacked.
        Assert.True(terminal.Lines.Length < 150, $"tlslab serve at {width} columns takes {terminal.Lines.Length} lines:\n{terminal.Text}");
        var fourColumns = terminal.Text.Contains("│ A correct client", StringComparison.Ordinal);
        Assert.True(fourColumns == width >= 160, width >= 160
            ? $"At {width} columns serve should use the width for its four-column table:\n{terminal.Text}"
            : $"At {width} columns the four columns squeeze their text; serve should stack them:\n{terminal.Text}");
    }

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(160)]
    public void The_grade_table_fits_the_terminal_and_keeps_code_names_and_hint_paths_whole(int width)
    {
        // What `tlslab grade` reports for the shipped stubs (the messages are the grader's own), one exercise half done, one
        // passing with a skipped task, and one that does not compile.
        var grades = new List<ExerciseGrade>
        {
            new(1, 0, 3, 0, "Exercise 1 is not started yet: PlainHttpClient.BuildRequest still throws NotImplementedException.",
                "hint 1 in exercises/01-plain-socket/HINTS.md"),
            new(3, 0, 10, 0, "Exercise 3 is not started yet: ProtocolFloor.AtLeastTls12 still throws NotImplementedException.",
                "hint 1 in exercises/03-protocol-floor/HINTS.md"),
            new(6, 7, 0, 1, null, null, "cipher-suite policies are not supported on this platform"),
            new(9, 4, 8, 0, "PublicKeyPinning.Validate accepted a certificate whose public key is not pinned: a pin must refuse " +
                "every other key.", "hint 3 in exercises/09-pinning/HINTS.md"),
        };
        var terminal = new Terminal(width);

        terminal.Console.Write(GradeTable.Of(grades));

        terminal.AssertReadable("tlslab grade", grades.SelectMany(g => new[] { g.Folder, g.FirstFailure ?? "", g.Hint ?? "", g.SkipReason ?? "" }));
        var fourColumns = terminal.Text.Contains("│ Read next", StringComparison.Ordinal);
        Assert.True(fourColumns == width >= 160, width >= 160
            ? $"At {width} columns the grade table should use the width for its four columns:\n{terminal.Text}"
            : $"At {width} columns four columns would squeeze the failure; the hint should go under it:\n{terminal.Text}");
    }
}
