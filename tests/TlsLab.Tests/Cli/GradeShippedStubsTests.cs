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
        Assert.Contains("01-plain-socket", stdout, StringComparison.Ordinal);
        Assert.Contains("0/3", stdout, StringComparison.Ordinal);
        // Every task is not started; the first task in the README's order is the one named, every run.
        Assert.Contains("Exercise 1 is not started yet: PlainHttpClient.BuildRequest still throws", stdout, StringComparison.Ordinal);
        Assert.Contains("hint 1 in exercises/01-plain-socket/HINTS.md", stdout, StringComparison.Ordinal);
        Assert.Contains("dotnet test --project", stdout, StringComparison.Ordinal);
    }
}
