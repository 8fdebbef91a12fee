using System.Globalization;
using System.Text.RegularExpressions;
using TlsLab.Workshop;

namespace TlsLab.Cli.Grading;

/// <summary>One exercise's line in the grade table.</summary>
/// <param name="Number">The exercise number, as in the catalogue.</param>
/// <param name="Passed">Tasks (tests) that passed.</param>
/// <param name="Failed">Tasks that failed.</param>
/// <param name="Skipped">Tasks this machine cannot run (they do not count against the exercise).</param>
/// <param name="FirstFailure">The most basic failure, in one sentence; null when none failed.</param>
/// <param name="Hint">Where to read next, e.g. <c>hint 3 in exercises/02-validate/HINTS.md</c>; null when none failed.</param>
/// <param name="SkipReason">Why tasks were skipped, when some were.</param>
/// <param name="CompileErrors">The compiler's errors in the exercise's folder, when it does not compile (then no task ran).</param>
public sealed record ExerciseGrade(int Number, int Passed, int Failed, int Skipped, string? FirstFailure, string? Hint, string? SkipReason = null,
    IReadOnlyList<BuildDiagnostic>? CompileErrors = null)
{
    /// <summary>The grade of an exercise whose folder does not compile: no task ran; the first error is the failure.</summary>
    public static ExerciseGrade DoesNotCompile(int number, IReadOnlyList<BuildDiagnostic> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var first = errors[0];
        return new ExerciseGrade(number, 0, 0, 0, $"does not compile: {first.Display}", $"{first.ShownFile}, line {first.Line}", null, errors);
    }

    /// <summary>True when the exercise's code does not compile.</summary>
    public bool Broken => CompileErrors is { Count: > 0 };

    /// <summary>All tasks, skipped ones included.</summary>
    public int Total => Passed + Failed + Skipped;

    /// <summary>True when nothing failed and something passed.</summary>
    public bool Done => !Broken && Failed == 0 && Passed > 0;

    /// <summary>The exercise's folder, e.g. <c>02-validate</c>.</summary>
    public string Folder => ExerciseCatalog.Folder(Number);
}

/// <summary>Turns test results into one line per exercise.</summary>
public static partial class GradeReport
{
    /// <summary>Groups <paramref name="results"/> by exercise (from the test class name) for the <paramref name="selected"/> exercises.</summary>
    /// <param name="results">The tests' results, in any order.</param>
    /// <param name="selected">The exercises to report on.</param>
    public static IReadOnlyList<ExerciseGrade> Summarize(IEnumerable<TaskResult> results, IEnumerable<int> selected)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(selected);
        var all = results.ToList();
        var byExercise = all
            .Select(r => (Exercise: ExerciseOf(r.ClassName), Result: r))
            .Where(x => x.Exercise is not null)
            .ToLookup(x => x.Exercise!.Value, x => x.Result);

        return selected.Order().Select(number =>
        {
            var tasks = byExercise[number].ToList();
            var failures = tasks.Where(t => t.Outcome == TaskOutcome.Failed).ToList();
            var first = MostFundamental(failures);
            var skipped = tasks.Where(t => t.Outcome == TaskOutcome.Skipped).OrderBy(t => t, ByTask).ToList();
            return new ExerciseGrade(
                number,
                tasks.Count(t => t.Outcome == TaskOutcome.Passed),
                failures.Count,
                skipped.Count,
                first is null ? null : FirstSentence(first.Message, first.Name),
                first is null ? null : Hint(first.Message, number),
                skipped.Select(s => FirstSentence(s.Message, s.Name)).FirstOrDefault());
        }).ToList();
    }

    /// <summary>
    /// The failure to show, the same whatever order the tests ran in: a task not started yet comes
    /// first (the earliest such task), then the failure pointing at the lowest-numbered (gentlest)
    /// hint, then the earliest task (its number in the README, the test method's <c>[Task(N)]</c>).
    /// </summary>
    public static TaskResult? MostFundamental(IEnumerable<TaskResult> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures
            .OrderBy(t => NotStarted(t.Message) ? 0 : 1)
            .ThenBy(t => NotStarted(t.Message) ? 0 : HintNumber(t.Message) ?? int.MaxValue)
            .ThenBy(t => t, ByTask)
            .FirstOrDefault();
    }

    private static Comparer<TaskResult> ByTask { get; } = Comparer<TaskResult>.Create((a, b) =>
    {
        var byNumber = (a.Task ?? int.MaxValue).CompareTo(b.Task ?? int.MaxValue);
        return byNumber != 0 ? byNumber : StringComparer.Ordinal.Compare(a.Name, b.Name);
    });

    private static bool NotStarted(string? message) => message?.Contains(" is not started yet: ", StringComparison.Ordinal) == true;

    /// <summary>The exercise a test class grades: <c>Exercise02ValidateTests</c> grades exercise 2.</summary>
    public static int? ExerciseOf(string className)
    {
        var match = ExerciseClass().Match(className ?? string.Empty);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture,
            out var n) && n >= 1 && n <= ExerciseCatalog.Count
            ? n
            : null;
    }

    /// <summary>The first line of a failure message, without the exception type xunit puts in front.</summary>
    public static string FirstSentence(string? message, string fallback)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return fallback;
        }

        var line = message.Trim().Split('\n')[0].Trim();
        line = ExceptionPrefix().Replace(line, string.Empty);
        return line.Length <= 220 ? line : line[..217] + "...";
    }

    /// <summary>"hint N in exercises/NN-name/HINTS.md" from a grading message, or the exercise's README when it names no hint.</summary>
    public static string Hint(string? message, int exercise)
    {
        var match = HintReference().Match(message ?? string.Empty);
        return match.Success
            ? $"hint {match.Groups[1].Value} in {match.Groups[2].Value}"
            : $"exercises/{ExerciseCatalog.Folder(exercise)}/README.md";
    }

    private static int? HintNumber(string? message)
    {
        var match = HintReference().Match(message ?? string.Empty);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"Exercise(\d+)")]
    private static partial Regex ExerciseClass();

    [GeneratedRegex(@"^[\w.+`]+(Exception|Failure) : ")]
    private static partial Regex ExceptionPrefix();

    [GeneratedRegex(@"read hint (\d+) in (\S+HINTS\.md)")]
    private static partial Regex HintReference();
}
