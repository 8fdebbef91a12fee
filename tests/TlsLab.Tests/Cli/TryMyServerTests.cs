namespace TlsLab.Tests.Cli;

// exercises/try-my-server.cs is a file-based program an attendee runs by hand (exercise 5's README). It is run
// here in a copy of exercises/ holding the shipped stubs: it must build, and say the exercise is not finished
// rather than crash; nonsense for the port is one plain error. The working path (with the reference solution)
// is the same code against a finished TlsServer, which the grading tests cover.

/// <summary>The attendee's way to run their own exercise-5 server says clearly how far it got.</summary>
public sealed class TryMyServerTests : IDisposable
{
    private readonly GradeExercisesCopy _copy = GradeExercisesCopy.Create();

    [Fact]
    public async Task With_the_stubs_it_says_exercise_5_is_not_finished_and_how_to_grade_it()
    {
        var program = Path.Combine(_copy.Exercises, "try-my-server.cs");
        var (exit, output) = await ChildRun.RunAsync(Root, TimeSpan.FromMinutes(4), ["run", program]);
        Assert.True(exit == 1 && output.Contains("not finished yet", StringComparison.Ordinal)
                && output.Contains("dotnet tlslab grade 5", StringComparison.Ordinal),
            $"dotnet run exercises/try-my-server.cs with the stubs exited {exit}; expected 1 and a sentence that exercise 5 is not finished. " +
            $"It printed:{Environment.NewLine}{output}");
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

        var (badExit, badOutput) = await ChildRun.RunAsync(Root, TimeSpan.FromMinutes(2), ["run", program, "--", "http"]);
        Assert.True(badExit == 2 && badOutput.Contains("is not a port from 1024 to 65535", StringComparison.Ordinal),
            $"try-my-server.cs with the port 'http' exited {badExit}; expected 2 and a plain error. It printed:{Environment.NewLine}{badOutput}");
    }

    // As the README says: from the repository root (in exercises/, dotnet run would take Exercises.csproj instead).
    private string Root => Path.GetDirectoryName(_copy.Exercises)!;

    public void Dispose() => _copy.Dispose();
}
