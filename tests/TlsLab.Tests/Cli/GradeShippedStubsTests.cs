using TlsLab.Cli.Grading;
using TlsLab.Cli.Grading.Watch;
using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

/// <summary>
/// The attendee's loop end to end on a pristine copy of exercises/ (stand-ins made from solutions/, never the
/// checkout's files, which an attendee may have solved): every task of every exercise fails as "not started",
/// and <c>tlslab grade 1</c> says so with hint 1.
/// </summary>
[Collection(GradeBuilds.Name)]
public sealed class GradeShippedStubsTests
{
    [Fact]
    public async Task Every_task_of_every_exercise_fails_as_not_started_on_pristine_stubs()
    {
        using var copy = GradeExercisesCopy.Create();
        await using var session = await WatchSession.StartAsync(copy.TestProject, _ => { }, TestContext.Current.CancellationToken);

        var round = await session.GradeAsync([.. Enumerable.Range(1, ExerciseCatalog.Count)], TestContext.Current.CancellationToken);

        Assert.False(round.Outcome.NoResults, string.Join(Environment.NewLine, round.Outcome.LastDiagnostics.Select(d => d.Display)));
        foreach (var entry in ExerciseCatalog.All)
        {
            var grade = Assert.Single(round.Outcome.Grades, g => g.Number == entry.Number);
            Assert.True(grade.Passed == 0 && grade.Total == entry.Tasks,
                $"Exercise {entry.Number} on its stubs: {grade.Passed}/{grade.Total} tasks passed; expected 0/{entry.Tasks} (the catalogue's count).");
            foreach (var task in round.Outcome.Results.Where(r => GradeReport.ExerciseOf(r.ClassName) == entry.Number))
            {
                var message = task.Message ?? string.Empty;
                Assert.True(task.Outcome == TaskOutcome.Failed && message.Contains($"Exercise {entry.Number} is not started yet", StringComparison.Ordinal),
                    $"{task.Name} ({task.Outcome}) should fail on the stubs as 'not started':{Environment.NewLine}{message}");
                Assert.Contains($"hint 1 in {entry.Hints}", message, StringComparison.Ordinal);
                Assert.Contains(entry.Readme, message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Grading_the_stubs_reports_not_started_and_hint_1()
    {
        using var copy = GradeExercisesCopy.Create();
        await using var run = CliRun.Start("grade", "1", "--project", copy.TestProject);
        var exit = await run.Exit.WaitAsync(TimeSpan.FromMinutes(4), TestContext.Current.CancellationToken);
        var (stdout, stderr) = (run.Stdout, run.Stderr);

        Assert.True(exit == 1, "tlslab grade 1 on the stubs should exit 1 (not passing); it exited " +
            $"{exit}.{Environment.NewLine}stdout:{Environment.NewLine}{stdout}{Environment.NewLine}stderr:{Environment.NewLine}{stderr}");
        var exercise = ExerciseCatalog.Get(1);
        Assert.Contains(exercise.Folder, stdout, StringComparison.Ordinal);
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
