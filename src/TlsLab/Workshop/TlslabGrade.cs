using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TlsLab.Workshop;

/// <summary>
/// Grades an exercise from inside a lesson: runs <c>tlslab grade N</c> (which compiles exercises/ and
/// runs that exercise's tests against a fresh lab) and returns its table. The same as typing
/// <c>dotnet run --project src/TlsLab.Cli -- grade N</c> at the repository root, on purpose: the cell
/// and the terminal share one implementation, so they name the same first failure, leave out the
/// same exercises that do not compile and list the same warnings.
/// </summary>
public static class TlslabGrade
{
    /// <summary>Grades exercise <paramref name="exercise"/> (1 to 11, see exercises/README.md); never throws for a failing grade.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such exercise.</exception>
    /// <exception cref="DirectoryNotFoundException">The lesson does not run inside a checkout of the kit.</exception>
    /// <param name="exercise">The exercise number.</param>
    /// <param name="timeout">How long the build and the tests may take (default 5 minutes: a first build is slow).</param>
    /// <param name="cancellationToken">Stops the grading.</param>
    public static async Task<GradeRun> RunAsync(int exercise, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        // A number tlslab grade does not know is the caller's mistake, not a failing grade: say so before a build.
        _ = ExerciseCatalog.Get(exercise);
        var root = RepositoryRoot.Find();
        var start = DotnetCommand.StartInfo(
            root, "run", "--project", Path.Combine("src", "TlsLab.Cli"), "--", "grade", exercise.ToString(CultureInfo.InvariantCulture));
        start.RedirectStandardInput = true;

        // A notebook is not a terminal: plain text, no colour codes.
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = CopyAsync(process.StandardOutput, output);
        var stderr = CopyAsync(process.StandardError, output);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Grading exercise {exercise} did not finish in time. Run it from a terminal to watch: " +
                $"dotnet run --project src/TlsLab.Cli -- grade {exercise} --verbose");
        }

        lock (output)
        {
            return new GradeRun(exercise, process.ExitCode, output.ToString().TrimEnd());
        }
    }

    private static async Task CopyAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }
        }
    }
}
