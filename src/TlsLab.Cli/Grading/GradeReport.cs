using System.Globalization;
using System.Text.RegularExpressions;

namespace TlsLab.Cli.Grading;

/// <summary>One exercise's line in the grade table.</summary>
/// <param name="Number">The exercise number, 1 to 6.</param>
/// <param name="Passed">Tasks (tests) that passed.</param>
/// <param name="Failed">Tasks that failed.</param>
/// <param name="Skipped">Tasks this machine cannot run (they do not count against the exercise).</param>
/// <param name="FirstFailure">The most basic failure, in one sentence; null when none failed.</param>
/// <param name="Hint">Where to read next, e.g. <c>hint 3 in exercises/02-validate/HINTS.md</c>; null when none failed.</param>
/// <param name="SkipReason">Why tasks were skipped, when some were.</param>
public sealed record ExerciseGrade(int Number, int Passed, int Failed, int Skipped, string? FirstFailure, string? Hint, string? SkipReason = null)
{
    /// <summary>All tasks, skipped ones included.</summary>
    public int Total => Passed + Failed + Skipped;

    /// <summary>True when nothing failed and something passed.</summary>
    public bool Done => Failed == 0 && Passed > 0;

    /// <summary>The exercise's folder, e.g. <c>02-validate</c>.</summary>
    public string Folder => ExerciseCatalog.Folder(Number);
}

/// <summary>Turns test results into one line per exercise.</summary>
public static partial class GradeReport
{
    /// <summary>Groups <paramref name="results"/> by exercise (from the test class name) for the <paramref name="selected"/> exercises.</summary>
    public static IReadOnlyList<ExerciseGrade> Summarize(IEnumerable<TaskResult> results, IEnumerable<int> selected)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(selected);
        var byExercise = results
            .Select(r => (Exercise: ExerciseOf(r.ClassName), Result: r))
            .Where(x => x.Exercise is not null)
            .ToLookup(x => x.Exercise!.Value, x => x.Result);

        return selected.Order().Select(number =>
        {
            var tasks = byExercise[number].ToList();
            var failures = tasks.Where(t => t.Outcome == TaskOutcome.Failed).ToList();

            // The most basic failure first: the one that points at the lowest-numbered (gentlest) hint.
            var first = failures
                .Select((t, i) => (Task: t, Hint: HintNumber(t.Message), Order: i))
                .OrderBy(x => x.Hint ?? int.MaxValue)
                .ThenBy(x => x.Order)
                .Select(x => x.Task)
                .FirstOrDefault();
            var skipped = tasks.Where(t => t.Outcome == TaskOutcome.Skipped).ToList();
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

    /// <summary>The exercise a test class grades: <c>Exercise02ValidateTests</c> grades exercise 2.</summary>
    public static int? ExerciseOf(string className)
    {
        var match = ExerciseClass().Match(className ?? string.Empty);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= ExerciseCatalog.Count
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
