using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

/// <summary>
/// The attendee's loop end to end, on exercises/ exactly as shipped: <c>tlslab grade 1</c> builds
/// exercises/Tests (which the solution does not build: its tests fail by design), runs exercise 1's
/// tests through <c>dotnet test</c>, reads the report and fails with "not started" and hint 1.
/// </summary>
[Collection(GradeBuilds.Name)]
public sealed class GradeShippedStubsTests
{
    [Fact]
    public async Task Grading_the_shipped_stubs_reports_not_started_and_hint_1()
    {
        // A cold build of the test project on a busy two-core machine takes a while.
        await using var run = CliRun.Start("grade", "1");
        var exit = await run.Exit.WaitAsync(TimeSpan.FromMinutes(4), TestContext.Current.CancellationToken);
        var (stdout, stderr) = (run.Stdout, run.Stderr);

        Assert.True(exit == 1, "tlslab grade 1 on the stubs should exit 1 (not passing); it exited " +
            $"{exit}.{Environment.NewLine}stdout:{Environment.NewLine}{stdout}{Environment.NewLine}stderr:{Environment.NewLine}{stderr}");
        var exercise = ExerciseCatalog.Get(1);
        Assert.Contains(exercise.Folder, stdout, StringComparison.Ordinal);
        // Exercise 1's tasks are facts, one result each: none passes.
        Assert.Contains($"0/{exercise.Tasks}", stdout, StringComparison.Ordinal);
        // Every task is not started; the first task in the README's order is the one named, every run.
        // The message sits in a table cell, wrapped at words to the output's width (120 columns in a pipe): each word is there whole.
        var words = stdout.Split([' ', '\n', '\r', '│'], StringSplitOptions.RemoveEmptyEntries);
        Assert.True("Exercise 1 is not started yet: PlainHttpClient.BuildRequest still throws".Split(' ').All(w => words.Contains(w)),
            $"tlslab grade 1 on the stubs should say 'Exercise 1 is not started yet: PlainHttpClient.BuildRequest still throws ...':\n{stdout}");
        Assert.Contains("hint 1 in exercises/01-plain-socket/HINTS.md", stdout, StringComparison.Ordinal);
        Assert.Contains("dotnet test --project", stdout, StringComparison.Ordinal);
    }
}
