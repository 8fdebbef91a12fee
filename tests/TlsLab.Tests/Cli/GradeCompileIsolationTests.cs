using TlsLab.Cli.Grading;
using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

/// <summary>
/// An attendee's code is not the kit's code: a warning in exercises/ does not block grading, and an
/// exercise that does not compile is named with the compiler's words while the others are graded.
/// </summary>
[Collection(GradeBuilds.Name)]
public sealed class GradeCompileIsolationTests
{
    [Fact]
    public void Compiler_lines_are_read_with_their_file_line_and_exercise()
    {
        var root = Path.Combine(Path.GetTempPath(), "kit");
        var exercises = Path.Combine(root, "exercises");
        var validate = Path.Combine(exercises, "02-validate", "ValidatingClient.cs");
        var output = string.Join('\n',
            $"  {validate}(12,5): error CS1002: ; expected [{Path.Combine(exercises, "Exercises.csproj")}]",
            $"{Path.Combine(exercises, "01-plain-socket", "PlainHttpClient.cs")}(21,40): warning CS8603: Possible null reference return. " +
                $"[{Path.Combine(exercises, "Exercises.csproj")}]",
            $"{Path.Combine(root, "tests", "Grading", "Attendee.cs")}(19,9): error CS1501: No overload for method 'Load' takes 1 arguments " +
                $"[{Path.Combine(exercises, "Tests", "Exercises.Tests.csproj")}]",
            "Build FAILED.",
            $"{validate}(12,5): error CS1002: ; expected [{Path.Combine(exercises, "Exercises.csproj")}]");

        var diagnostics = BuildDiagnostic.Parse(output, exercises, root);

        Assert.Equal(3, diagnostics.Count);
        var error = diagnostics[0];
        Assert.Equal((true, "CS1002", "; expected", 12, 5, (int?)2), (error.IsError, error.Code, error.Text, error.Line, error.Column, error.Exercise));
        Assert.Equal("exercises/02-validate/ValidatingClient.cs(12,5): error CS1002: ; expected", error.Display);
        Assert.Equal((false, "CS8603", (int?)1), (diagnostics[1].IsError, diagnostics[1].Code, diagnostics[1].Exercise));
        Assert.Null(diagnostics[2].Exercise);
        Assert.Equal("tests/Grading/Attendee.cs", diagnostics[2].ShownFile);
    }

    [Fact]
    public async Task A_broken_exercise_is_named_and_the_others_are_graded_despite_a_warning()
    {
        using var copy = GradeExercisesCopy.Create();
        copy.Edit("02-validate/ValidatingClient.cs", text => InsertBefore(text, "throw new NotImplementedException", "var missingSemicolon = 1\n        "));
        copy.Edit("01-plain-socket/PlainHttpClient.cs", text => InsertBefore(text, "public static string BuildRequest", "private static string " +
            "NullWarning() => null;\n\n    "));

        // A cold build of the copy (and two rounds of it) on a busy two-core machine.
        await using var run = CliRun.Start("grade", "--project", copy.TestProject);
        var exit = await run.Exit.WaitAsync(TimeSpan.FromMinutes(8), TestContext.Current.CancellationToken);
        var (stdout, stderr) = (run.Stdout, run.Stderr);
        var all = $"exit {exit}{Environment.NewLine}stdout:{Environment.NewLine}{stdout}{Environment.NewLine}stderr:{Environment.NewLine}{stderr}";
        TestContext.Current.TestOutputHelper?.WriteLine(all);

        Assert.True(exit == 1, all);
        CellText.AssertShows(stdout, "does not compile: exercises/02-validate/ValidatingClient.cs(");
        Assert.Contains("): error CS1002: ; expected", stdout, StringComparison.Ordinal);
        CellText.AssertShows(stdout, "Exercise 1 is not started yet: PlainHttpClient.BuildRequest");
        CellText.AssertShows(stdout, "Exercise 6 is not started yet");
        Assert.Contains("exercises/01-plain-socket/PlainHttpClient.cs(", stdout, StringComparison.Ordinal);
        Assert.Contains("warning CS8603", stdout, StringComparison.Ordinal);
        Assert.Contains($"0 of {ExerciseCatalog.Count} exercises pass", stdout, StringComparison.Ordinal);

        // Grading only the broken exercise: one failed build says it all, and no test runs.
        await using var one = CliRun.Start("grade", "2", "--project", copy.TestProject);
        var oneExit = await one.Exit.WaitAsync(TimeSpan.FromMinutes(4), TestContext.Current.CancellationToken);
        var oneAll = string.Join(Environment.NewLine, $"exit {oneExit}", "stdout:", one.Stdout, "stderr:", one.Stderr);
        TestContext.Current.TestOutputHelper?.WriteLine(oneAll);
        Assert.True(oneExit == 1, oneAll);
        CellText.AssertShows(one.Stdout, "does not compile: exercises/02-validate/ValidatingClient.cs(");
        Assert.DoesNotContain("1 01-plain-socket", one.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 of 1 exercise passes", one.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_placeholders_are_the_shipped_stubs()
    {
        // An exercise that does not compile is replaced by its placeholder, so a placeholder must have
        // the stub's public API exactly (PublicApiTests proves the stubs match solutions/).
        var exercises = GradeExercisesCopy.ExercisesFolder();
        var placeholders = Path.Combine(exercises, "Tests", "Placeholders");
        foreach (var folder in ExerciseCatalog.Folders)
        {
            var stubs = Directory.GetFiles(Path.Combine(exercises, folder), "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var copies = Directory.GetFiles(Path.Combine(placeholders, folder), "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var fix = $"copy them again: cp exercises/{folder}/*.cs exercises/Tests/Placeholders/{folder}/";
            Assert.True(stubs.SequenceEqual(copies), $"exercises/Tests/Placeholders/{folder} holds [{string.Join(", ", copies)}], the stubs are " +
                $"[{string.Join(", ", stubs)}]; {fix}");
            foreach (var file in stubs)
            {
                Assert.True(
                    File.ReadAllText(Path.Combine(exercises, folder, file!)) == File.ReadAllText(Path.Combine(placeholders, folder, file!)),
                    $"exercises/Tests/Placeholders/{folder}/{file} differs from the stub exercises/{folder}/{file}; {fix}");
            }
        }
    }

    private static string InsertBefore(string text, string marker, string insert)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"The stub no longer contains '{marker}'; the test needs another place to edit.");
        return text[..at] + insert + text[at..];
    }
}
