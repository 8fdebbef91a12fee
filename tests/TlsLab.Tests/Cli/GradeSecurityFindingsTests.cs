namespace TlsLab.Tests.Cli;

// An answer whose tests all pass but whose code is insecure on the page: exercise 9's solution with the pins compared by
// the invariant culture, whose rules (ignorable characters, equivalent sequences) are not the bytes of a hash. The graders
// cannot tell it from ordinal on base64 pins (a case-changed pin is refused either way); the analyzer can.
// Both engines must fail it on "no insecure TLS code", name the rule, the line and the lesson, and exit 1;
// a second plain grade, with nothing to recompile, must still see the finding.
[Collection(GradeBuilds.Name)]
public sealed class GradeSecurityFindingsTests
{
    private const string Row = "no insecure TLS code: TLS009 at exercises/09-pinning/PublicKeyPinning.cs:";

    [Fact]
    public async Task An_insecure_answer_that_passes_every_test_is_not_done()
    {
        using var copy = GradeExercisesCopy.Create();
        var solution = Path.Combine(GradeExercisesCopy.ExercisesFolder(), "..", "solutions", "09-pinning", "PublicKeyPinning.cs");
        File.Copy(solution, Path.Combine(copy.Exercises, "09-pinning", "PublicKeyPinning.cs"), overwrite: true);
        copy.Edit("09-pinning/PublicKeyPinning.cs", text =>
        {
            Assert.True(text.Contains("StringComparer.Ordinal)", StringComparison.Ordinal), "solutions/09-pinning no longer builds its pin set " +
                "with StringComparer.Ordinal: update this test.");
            return text.Replace("StringComparer.Ordinal)", "StringComparer.InvariantCulture)", StringComparison.Ordinal);
        });

        for (var run = 1; run <= 2; run++)
        {
            var (exit, stdout, stderr) = await CliRun.CompleteAsync("grade", "9", "--project", copy.TestProject);
            Assert.True(exit == 1, $"grade run {run} exited {exit}, not 1. stdout: {stdout} stderr: {stderr}");
            CellText.AssertShows(stdout, Row);
            // Every test passes; the one failed task is the security finding (e.g. 12/13).
            Assert.Matches(@"│\s+(\d+)/\d+ │ no insecure TLS code", stdout);
            var tasks = System.Text.RegularExpressions.Regex.Match(stdout, @"(\d+)/(\d+) │ no insecure TLS code");
            Assert.Equal(int.Parse(tasks.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1,
                int.Parse(tasks.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains("lesson: notebooks/09-sni-alpn-pinning.ipynb", stdout, StringComparison.Ordinal);
        }

        await using var watch = CliRun.Start("grade", "9", "--watch", "--project", copy.TestProject);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (!watch.Stdout.Contains("Watching exercises/", StringComparison.Ordinal) && !watch.Exit.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var watched = watch.Stdout;
        Assert.Equal(0, await watch.StopAsync());
        CellText.AssertShows(watched + watch.Stderr, Row);
        Assert.Contains("TLS009 exercises/09-pinning/PublicKeyPinning.cs:", watched, StringComparison.Ordinal);
    }
}
