using Spectre.Console;
using TlsLab.Cli.Grading;
using TlsLab.Workshop;

namespace TlsLab.Cli.Output;

/// <summary>The grade table and the compiler's notes below it: drawn the same by <c>tlslab grade</c> and <c>grade --watch</c>.</summary>
internal static class GradeTable
{
    // Below the table: every error of an exercise that does not compile (the table shows only the
    // first), exercises left out of this grading for that reason, and the warnings in the attendee's code.
    public static void WriteCompilerNotes(IAnsiConsole console, SortedDictionary<int, IReadOnlyList<BuildDiagnostic>> broken, int[] selected,
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

    public static Table Of(IReadOnlyList<ExerciseGrade> grades)
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
}
