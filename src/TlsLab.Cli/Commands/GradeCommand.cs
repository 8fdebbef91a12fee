using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TlsLab.Cli.Grading;
using TlsLab.Cli.Grading.Watch;
using TlsLab.Cli.Output;
using TlsLab.Workshop;

namespace TlsLab.Cli.Commands;

/// <summary>
/// <c>tlslab grade [N]</c>: builds the attendee's exercises, runs their grading tests and prints one
/// line per exercise: tasks passed, the most basic failure in one sentence, and the hint to read.
/// Exit code 0 only when every selected exercise passes.
/// </summary>
public static class GradeCommand
{
    /// <summary>The command, writing to the console.</summary>
    public static Command Create() => Create(Console.Out, Console.Error);

    /// <summary>The command, writing to the given streams (tests capture them).</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var exercise = new Argument<int?>("exercise")
        {
            Description = $"The exercise to grade, 1 to {ExerciseCatalog.Count} (see exercises/). Default: all of them.",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => result.Tokens.Count == 0 ? null : Numbers.Parse<int>(result, "grade", "an exercise number from 1 to " +
                $"{ExerciseCatalog.Count}"),
        };
        var project = new Option<string?>("--project")
        {
            Description = $"The grading test project. Default: {ExerciseCatalog.TestProject.Replace('\\', '/')}, found from the current folder upwards.",
        };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Show the build and test output as it happens.",
        };
        var watch = new Option<bool>("--watch", "-w")
        {
            Description = "Keep running: grade again every time you save a file in exercises/ (compiled and graded in-process, about a second " +
                "per save). Ctrl+C stops.",
        };

        var command = new Command("grade", "Build your exercises, run their grading tests against the lab and show which pass, with the hint to read next.")
        {
            exercise, project, verbose, watch,
        };

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var number = parseResult.GetValue(exercise);
            if (number is { } n && (n < 1 || n > ExerciseCatalog.Count))
            {
                await error.WriteLineAsync($"error: there is no exercise {n}. The exercises are 1 to {ExerciseCatalog.Count}: " +
                    $"{string.Join(", ", ExerciseCatalog.Folders)}.");
                return ExitCodes.UsageError;
            }

            var path = parseResult.GetValue(project) is { } given
                ? Path.GetFullPath(given)
                : DefaultTestProject();
            if (path is null || !File.Exists(path))
            {
                await error.WriteLineAsync(path is null
                    ? $"error: {RepositoryRoot.NotFound()} Or pass --project with the path of {ExerciseCatalog.TestProject.Replace('\\', '/')}."
                    : $"error: {path} does not exist.");
                return ExitCodes.UsageError;
            }

            var selected = number is { } one ? new[] { one } : Enumerable.Range(1, ExerciseCatalog.Count).ToArray();
            if (parseResult.GetValue(watch))
            {
                return await GradeWatcher.RunAsync(path, selected, parseResult.GetValue(verbose), output, error, onDrawn: null, cancellationToken);
            }

            return await GradeAsync(path, selected, parseResult.GetValue(verbose), output, error, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The attendee's grading test project in the repository above the current folder (or above tlslab
    /// itself, run from a build output in the checkout); null outside a checkout.
    /// </summary>
    public static string? DefaultTestProject() =>
        RepositoryRoot.TryFind() is { } root ? Path.Combine(root, ExerciseCatalog.TestProject) : null;

    private static async Task<int> GradeAsync(string project, int[] selected, bool verbose, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        var console = Consoles.For(output);
        var which = selected.Length == 1 ? $"exercise {selected[0]}" : "all exercises";
        console.MarkupLine($"Grading {which}: building exercises/ and running its tests against a fresh lab...");

        // Two gradings at once (a terminal and a notebook cell) would build into the same obj/ folder.
        await using var gradeLock = await GradeLock.AcquireAsync(Path.GetDirectoryName(Path.GetFullPath(project))!, line => console.WriteLine(line),
            cancellationToken);
        var exercisesFolder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(project))!, ".."));
        var repositoryRoot = Path.GetFullPath(Path.Combine(exercisesFolder, ".."));
        var results = Directory.CreateTempSubdirectory("tlslab-grade-");
        try
        {
            Action<string>? echo = verbose ? line => console.WriteLine(line) : null;

            ExerciseTestRun? run = null;
            var elapsed = TimeSpan.Zero;
            var outcome = await GradingRounds.RunAsync(selected, async (toGrade, excluded) =>
            {
                run = await ExerciseTestRun.RunAsync(project, toGrade, results.FullName, echo, excluded, cancellationToken);
                elapsed += run.Elapsed;
                var diagnostics = BuildDiagnostic.Parse(run.Output, exercisesFolder, repositoryRoot);
                return new GradingAttempt(run.Report is { } report ? TrxResults.Read(report) : null, diagnostics);
            });
            if (outcome.NoResults)
            {
                return await ReportNoResultsAsync(run!, error);
            }

            outcome = SecurityGate.Apply(outcome, FindingsLog.Read(exercisesFolder, repositoryRoot));
            var (grades, broken) = (outcome.Grades, outcome.Broken);
            console.Write(GradeTable.Of(grades));
            GradeTable.WriteCompilerNotes(console, broken, selected, [.. outcome.Warnings], verbose);
            SecurityFindings.Write(console, outcome.Findings);
            var done = grades.Count(g => g.Done);
            var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            if (done == grades.Count)
            {
                console.MarkupLine($"[green]{(grades.Count == 1 ? $"Exercise {grades[0].Number} passes" : "Every exercise passes")}.[/] ({seconds} s)");
                return ExitCodes.Ok;
            }

            // At least one exercise is selected, so at least one run happened.
            var full = run!.CommandLine;
            var when = broken.Count > 0 ? " (once everything compiles)" : string.Empty;
            console.MarkupLine($"{done} of {grades.Count} {(grades.Count == 1 ? "exercise passes" : "exercises pass")} ({seconds} s). Every message " +
                $"in full{when}:");
            CommandLines.Write(console, "  ", full);
            return ExitCodes.Failed;
        }
        finally
        {
            try
            {
                results.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A report still open elsewhere: it is in the temp folder and will be cleaned eventually.
            }
        }
    }

    private static async Task<int> ReportNoResultsAsync(ExerciseTestRun run, TextWriter error)
    {
        var errors = run.BuildErrors();
        if (errors.Count > 0)
        {
            await error.WriteLineAsync("Your exercises do not compile yet, so no test could run. The compiler says:");
            foreach (var line in errors.Take(20))
            {
                await error.WriteLineAsync("  " + line);
            }

            await error.WriteLineAsync("Fix the first error first; the others often follow from it. (Do not change the public signatures: the tests " +
                "call them.)");
            return ExitCodes.Failed;
        }

        await error.WriteLineAsync($"error: dotnet test ended with exit code {run.ExitCode} without a test report. Its output:");
        await error.WriteLineAsync(run.Output.TrimEnd());
        return ExitCodes.Failed;
    }
}
