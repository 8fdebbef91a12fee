using Spectre.Console;
using Spectre.Console.Rendering;
using TlsLab.Cli.Grading;
using TlsLab.Cli.Output;
using TlsLab.Workshop;

namespace TlsLab.Cli.Commands;

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
                Indented(console, e.Display);
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
                Indented(console, w.Display);
            }

            if (shown.Count < distinct.Count)
            {
                console.WriteLine($"  ... and {distinct.Count - shown.Count} more (grade --verbose shows them all).");
            }
        }
    }

    // A compiler message wraps at words under its own indent, so its file path stays whole and readable.
    private static void Indented(IAnsiConsole console, string text) => console.Write(new Padder(new Text(text), new Padding(2, 0, 0, 0)));

    // Narrower than this, "First failure" would be squeezed until it splits words: the hint to read moves under the failure.
    private const int FailureColumnWidth = 36;

    /// <summary>The grade table, laid out for the width it is drawn at: four columns when the failure has room, else the hint
    /// under the failure, else one exercise under the other. Paths and code names are never split.</summary>
    public static IRenderable Of(IReadOnlyList<ExerciseGrade> grades) => new ByWidth(width => Layout(grades, width));

    private static IRenderable Layout(IReadOnlyList<ExerciseGrade> grades, int width)
    {
        var rows = grades.Select(Row.Of).ToList();
        var exerciseWidth = rows.Select(r => r.ExercisePlain.Length).DefaultIfEmpty(8).Max();
        var tasksWidth = rows.Select(r => r.TasksPlain.Length).Append("Tasks".Length).Max();
        var nextWidth = rows.Select(r => r.Next.Length).Append("Read next".Length).Max();
        // Borders and a space either side of each cell: 3n + 1 for n columns.
        if (width >= exerciseWidth + tasksWidth + nextWidth + FailureColumnWidth + 13)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("Exercise").NoWrap())
                .AddColumn(new TableColumn("Tasks").RightAligned().NoWrap())
                .AddColumn("First failure")
                .AddColumn(new TableColumn("Read next").NoWrap());
            foreach (var row in rows)
            {
                table.AddRow(new Markup(row.Exercise), new Markup(row.Tasks), new Markup(row.Failure), new Markup(row.Next.EscapeMarkup()));
            }

            return table;
        }

        var tasksStacked = rows.Select(r => r.TasksCount.Length).Append("Tasks".Length).Max();
        if (width >= exerciseWidth + tasksStacked + FailureColumnWidth + 10)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("Exercise").NoWrap())
                .AddColumn(new TableColumn("Tasks").RightAligned().NoWrap())
                .AddColumn("First failure, then what to read");
            foreach (var row in rows)
            {
                table.AddRow(new Markup(row.Exercise), new Markup(row.TasksStacked), new Rows(RowsOf(row)));
            }

            return table;
        }

        return new Rows(rows.SelectMany(row => new IRenderable[]
        {
            new Markup($"{row.Exercise}  {row.Tasks}"),
            new Padder(new Rows(RowsOf(row)), new Padding(2, 0, 0, 0)),
        }));
    }

    private static IEnumerable<IRenderable> RowsOf(Row row) =>
        row.Next == "-" ? [new Markup(row.Failure)] : [new Markup(row.Failure), new Markup($"[blue]{row.Next.EscapeMarkup()}[/]")];

    // One exercise's cells, as markup, with the plain lengths the layout is chosen by.
    private sealed record Row(string ExercisePlain, string TasksCount, string TasksNote, string Colour, string Failure, string Next)
    {
        public string Exercise => $"[{Colour}]{ExercisePlain.EscapeMarkup()}[/]";

        public string TasksPlain => TasksCount + (TasksNote.Length > 0 ? " " + TasksNote : string.Empty);

        public string Tasks => $"[{Colour}]{TasksPlain.EscapeMarkup()}[/]";

        public string TasksStacked => $"[{Colour}]{TasksCount.EscapeMarkup()}[/]" + (TasksNote.Length > 0 ? $"\n[grey]{TasksNote.EscapeMarkup()}[/]" : "");

        public static Row Of(ExerciseGrade grade)
        {
            var count = grade.Broken ? "-" : $"{grade.Passed}/{grade.Passed + grade.Failed}";
            var note = !grade.Broken && grade.Skipped > 0 ? $"({grade.Skipped} skipped)" : string.Empty;
            var (failure, next) = grade switch
            {
                { Broken: true } => ($"[red]{grade.FirstFailure.EscapeMarkup()}[/]", grade.Hint!),
                { Total: 0 } => ("[yellow]no grading tests ran for this exercise[/]", $"exercises/{grade.Folder}/README.md"),
                { Done: true } => (grade.Skipped > 0 ? "[green]passes[/] [grey](skipped here: " +
                    $"{grade.SkipReason.EscapeMarkup()})[/]" : "[green]passes[/]", "-"),
                _ => (grade.FirstFailure!.EscapeMarkup(), grade.Hint!),
            };
            return new Row($"{grade.Number} {grade.Folder}", count, note, grade.Done ? "green" : "red", failure, next);
        }
    }
}
