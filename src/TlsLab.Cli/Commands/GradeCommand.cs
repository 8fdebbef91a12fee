using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TlsLab.Cli.Grading;
using TlsLab.Cli.Output;

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

        var command = new Command("grade", "Build your exercises, run their grading tests against the lab and show which pass, with the hint to read next.")
        {
            exercise, project, verbose,
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
                : ExerciseCatalog.FindTestProject(Directory.GetCurrentDirectory()) ?? ExerciseCatalog.FindTestProject(AppContext.BaseDirectory);
            if (path is null || !File.Exists(path))
            {
                await error.WriteLineAsync(path is null
                    ? $"error: cannot find {ExerciseCatalog.TestProject} in this folder or any folder above it. Run tlslab grade from inside the " +
                        "workshop repository, or pass --project."
                    : $"error: {path} does not exist.");
                return ExitCodes.UsageError;
            }

            var selected = number is { } one ? new[] { one } : Enumerable.Range(1, ExerciseCatalog.Count).ToArray();
            return await GradeAsync(path, selected, parseResult.GetValue(verbose), output, error, cancellationToken);
        });
        return command;
    }

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

            // An exercise that does not compile must not stop the others from being graded: build,
            // and while the compiler's errors are all inside exercise folders, leave those folders
            // out (their placeholders stand in) and build again. Each round removes at least one.
            var broken = new SortedDictionary<int, IReadOnlyList<BuildDiagnostic>>();
            var warnings = new List<BuildDiagnostic>();
            ExerciseTestRun? run = null;
            var elapsed = TimeSpan.Zero;
            while (true)
            {
                var toGrade = selected.Where(n => !broken.ContainsKey(n)).ToArray();
                if (toGrade.Length == 0)
                {
                    break;
                }

                run = await ExerciseTestRun.RunAsync(project, toGrade, results.FullName, echo, broken.Keys, cancellationToken);
                elapsed += run.Elapsed;
                var diagnostics = BuildDiagnostic.Parse(run.Output, exercisesFolder, repositoryRoot);
                warnings.AddRange(diagnostics.Where(d => !d.IsError && d.Exercise is not null));
                if (run.Report is not null)
                {
                    break;
                }

                var errors = diagnostics.Where(d => d.IsError).ToList();
                if (errors.Count == 0 || errors.Any(e => e.Exercise is null || broken.ContainsKey(e.Exercise.Value)))
                {
                    return await ReportNoResultsAsync(run, error);
                }

                foreach (var group in errors.GroupBy(e => e.Exercise!.Value))
                {
                    broken[group.Key] = group.ToList();
                }
            }

            var grades = (run?.Report is { } report ? GradeReport.Summarize(TrxResults.Read(report), selected.Where(n => !broken.ContainsKey(n))) : [])
                .Concat(broken.Where(b => selected.Contains(b.Key)).Select(b => ExerciseGrade.DoesNotCompile(b.Key, b.Value)))
                .OrderBy(g => g.Number)
                .ToList();
            console.Write(Table(grades));
            WriteCompilerNotes(console, broken, selected, warnings, verbose);
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
                $"in full{when}: [blue]{full.EscapeMarkup()}[/]");
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

    // Below the table: every error of an exercise that does not compile (the table shows only the
    // first), exercises left out of this grading for that reason, and the warnings in the attendee's code.
    private static void WriteCompilerNotes(IAnsiConsole console, SortedDictionary<int, IReadOnlyList<BuildDiagnostic>> broken, int[] selected,
        List<BuildDiagnostic> warnings, bool verbose)
    {
        foreach (var (number, errors) in broken)
        {
            var graded = selected.Contains(number);
            console.MarkupLine(graded
                ? $"[red]exercises/{ExerciseCatalog.Folder(number)}/ does not compile[/], so its tasks did not run. The compiler says:"
                : $"[yellow]exercises/{ExerciseCatalog.Folder(number)}/ does not compile[/]; it was left out so that the rest could be graded. The " +
                    "compiler says:");
            foreach (var e in errors.Take(10))
            {
                console.WriteLine("  " + e.Display);
            }

            if (errors.Count > 10)
            {
                console.WriteLine($"  ... and {errors.Count - 10} more.");
            }
        }

        if (broken.Count > 0)
        {
            console.WriteLine("Fix the first error first; the others often follow from it. (Keep the public signatures: the tests call them.)");
        }

        var distinct = warnings.DistinctBy(w => w.Display).ToList();
        if (distinct.Count > 0)
        {
            var shown = verbose ? distinct : distinct.Take(5).ToList();
            console.MarkupLine($"[yellow]{distinct.Count} compiler warning{(distinct.Count == 1 ? string.Empty : "s")}[/] in your code (they do not " +
                "stop the grading, but often point at a bug):");
            foreach (var w in shown)
            {
                console.WriteLine("  " + w.Display);
            }

            if (shown.Count < distinct.Count)
            {
                console.WriteLine($"  ... and {distinct.Count - shown.Count} more (grade --verbose shows them all).");
            }
        }
    }

    private static Table Table(IReadOnlyList<ExerciseGrade> grades)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Exercise")
            .AddColumn(new TableColumn("Tasks").RightAligned())
            .AddColumn("First failure")
            .AddColumn("Read next");
        foreach (var grade in grades)
        {
            var tasks = grade.Broken ? "-" : $"{grade.Passed}/{grade.Passed + grade.Failed}" + (grade.Skipped > 0
                ? $" ({grade.Skipped} skipped)" : string.Empty);
            var (failure, next) = grade switch
            {
                { Broken: true } => ($"[red]{grade.FirstFailure.EscapeMarkup()}[/]", grade.Hint!),
                { Total: 0 } => ("[yellow]no grading tests ran for this exercise[/]", $"exercises/{grade.Folder}/README.md"),
                { Done: true } => (grade.Skipped > 0 ? "[green]passes[/] [grey](skipped here: " +
                    $"{grade.SkipReason.EscapeMarkup()})[/]" : "[green]passes[/]", "-"),
                _ => (grade.FirstFailure!.EscapeMarkup(), grade.Hint!),
            };
            table.AddRow(
                new Markup($"{(grade.Done ? "[green]" : "[red]")}{grade.Number}[/] {grade.Folder}"),
                new Markup((grade.Done ? "[green]" : "[red]") + tasks + "[/]"),
                new Markup(failure),
                new Markup(next.EscapeMarkup()));
        }

        return table;
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
