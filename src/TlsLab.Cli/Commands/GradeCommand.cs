using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TlsLab.Cli.Grading;
using TlsLab.Cli.Grading.Watch;
using TlsLab.Cli.Output;
using TlsLab.Workshop;

namespace TlsLab.Cli.Commands;

/// <summary>
/// <c>tlslab grade [N]</c>: compiles the attendee's exercises, runs their grading tests (in this process, the
/// engine of <c>grade --watch</c>) and prints one line per exercise: tasks passed, the most basic failure in one
/// sentence, and the hint to read. Exit code 0 only when every selected exercise passes.
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
            Description = "Show every step, every warning, and what your code printed while it was graded.",
        };
        var watch = new Option<bool>("--watch", "-w")
        {
            Description = "Keep running: grade again every time you save a file in exercises/ (about a second per save). Ctrl+C stops.",
        };

        var command = new Command("grade", "Compile your exercises, run their grading tests against the lab and show which pass, with the hint to read next.")
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
        console.MarkupLine($"Grading {which}: compiling exercises/ and running its tests against a fresh lab...");

        // Two gradings at once (a terminal and a notebook cell) would both build a fresh checkout into the same obj/ folder.
        await using var gradeLock = await GradeLock.AcquireAsync(Path.GetDirectoryName(Path.GetFullPath(project))!, line => console.WriteLine(line),
            cancellationToken);
        WatchSession session;
        try
        {
            session = await WatchSession.StartAsync(project, verbose ? line => console.WriteLine(line) : _ => { }, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }

        await using (session)
        {
            // The same engine as grade --watch, for one round: compile in memory, run the graders in this process, unload.
            var round = await session.GradeAsync(selected, cancellationToken);
            var outcome = round.Outcome;
            if (outcome.NoResults)
            {
                return await ReportNoResultsAsync(outcome, error);
            }

            var grades = outcome.Grades;
            console.Write(GradeTable.Of(grades));
            GradeTable.WriteCompilerNotes(console, outcome.Broken, selected, [.. outcome.Warnings], verbose);
            SecurityFindings.Write(console, outcome.Findings);
            if (verbose && round.Printed.Length > 0)
            {
                console.WriteLine("Your code printed, while it was graded:");
                console.WriteLine(round.Printed.TrimEnd());
            }

            var done = grades.Count(g => g.Done);
            var seconds = round.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            if (done == grades.Count)
            {
                console.MarkupLine($"[green]{(grades.Count == 1 ? $"Exercise {grades[0].Number} passes" : "Every exercise passes")}.[/] ({seconds} s)");
                return ExitCodes.Ok;
            }

            // dotnet test runs the very same tests and prints every message in full.
            var full = $"dotnet test --project {ExerciseCatalog.TestProject.Replace('\\', '/')}" +
                (selected.Length == 1 ? $" --filter-trait exercise={selected[0]}" : string.Empty);
            var when = outcome.Broken.Count > 0 ? " (once everything compiles)" : string.Empty;
            console.MarkupLine($"{done} of {grades.Count} {(grades.Count == 1 ? "exercise passes" : "exercises pass")} ({seconds} s). Every message " +
                $"in full{when}:");
            CommandLines.Write(console, "  ", full);
            return ExitCodes.Failed;
        }
    }

    private static async Task<int> ReportNoResultsAsync(GradeOutcome outcome, TextWriter error)
    {
        await error.WriteLineAsync("Nothing could be graded: the grading tests themselves do not compile against your code. The compiler says:");
        foreach (var diagnostic in outcome.LastDiagnostics.Where(d => d.IsError).Take(20))
        {
            await error.WriteLineAsync("  " + diagnostic.Display);
        }

        await error.WriteLineAsync("Fix the first error first; the others often follow from it. (Do not change the public signatures: the tests " +
            "call them.)");
        return ExitCodes.Failed;
    }
}
