namespace TlsLab.Cli.Grading;

/// <summary>What one build-and-test of the exercises gave: the tests' results (null when nothing ran) and the compiler's diagnostics.</summary>
/// <param name="Results">Each test's result, or null when the build failed before any test ran.</param>
/// <param name="Diagnostics">The compiler's errors and warnings, located in the attendee's files.</param>
internal sealed record GradingAttempt(IReadOnlyList<TaskResult>? Results, IReadOnlyList<BuildDiagnostic> Diagnostics);

/// <summary>A whole grading: one line per selected exercise, the exercises that do not compile, and the warnings in the attendee's code.</summary>
/// <param name="Grades">One grade per selected exercise, in order; empty when <paramref name="NoResults"/>.</param>
/// <param name="Broken">The exercises whose folders do not compile, with the compiler's errors there.</param>
/// <param name="Warnings">Compiler warnings in the attendee's exercise folders.</param>
/// <param name="NoResults">True when no test could run: an error outside the exercise folders, or no results at all.</param>
/// <param name="LastDiagnostics">The last attempt's diagnostics (what to show when <paramref name="NoResults"/>).</param>
/// <param name="Results">Every test's result, from the attempt that ran them.</param>
internal sealed record GradeOutcome(IReadOnlyList<ExerciseGrade> Grades, SortedDictionary<int, IReadOnlyList<BuildDiagnostic>> Broken,
    IReadOnlyList<BuildDiagnostic> Warnings, bool NoResults, IReadOnlyList<BuildDiagnostic> LastDiagnostics, IReadOnlyList<TaskResult> Results)
{
    /// <summary>Insecure TLS code in the graded exercises (see <see cref="SecurityGate"/>), each failing its exercise.</summary>
    public IReadOnlyList<BuildDiagnostic> Findings { get; init; } = [];
}

/// <summary>
/// The rule of grading: an exercise that does not compile must not stop the others from being graded. Compile;
/// while the compiler's errors are all inside exercise folders, replace those folders by their stand-ins (see
/// <see cref="Watch.StandIn"/>) and compile again. Each round replaces at least one folder, so it ends.
/// </summary>
internal static class GradingRounds
{
    /// <param name="selected">The exercises to grade.</param>
    /// <param name="attempt">Compiles with the given exercises replaced by stand-ins and runs the tests of the given exercises.</param>
    public static async Task<GradeOutcome> RunAsync(IReadOnlyList<int> selected, Func<int[], IReadOnlyCollection<int>, Task<GradingAttempt>> attempt)
    {
        var broken = new SortedDictionary<int, IReadOnlyList<BuildDiagnostic>>();
        var warnings = new List<BuildDiagnostic>();
        GradingAttempt? last = null;
        while (true)
        {
            var toGrade = selected.Where(n => !broken.ContainsKey(n)).ToArray();
            if (toGrade.Length == 0)
            {
                break;
            }

            last = await attempt(toGrade, broken.Keys);
            warnings.AddRange(last.Diagnostics.Where(d => !d.IsError && d.Exercise is not null));
            if (last.Results is not null)
            {
                break;
            }

            var errors = last.Diagnostics.Where(d => d.IsError).ToList();
            if (errors.Count == 0 || errors.Any(e => e.Exercise is null || broken.ContainsKey(e.Exercise.Value)))
            {
                return new GradeOutcome([], broken, warnings, NoResults: true, last.Diagnostics, []);
            }

            foreach (var group in errors.GroupBy(e => e.Exercise!.Value))
            {
                broken[group.Key] = group.ToList();
            }
        }

        var graded = selected.Where(n => !broken.ContainsKey(n));
        var results = last?.Results ?? [];
        var grades = (last?.Results is not null ? GradeReport.Summarize(results, graded) : [])
            .Concat(broken.Where(b => selected.Contains(b.Key)).Select(b => ExerciseGrade.DoesNotCompile(b.Key, b.Value)))
            .OrderBy(g => g.Number)
            .ToList();
        return new GradeOutcome(grades, broken, warnings, NoResults: false, last?.Diagnostics ?? [], results);
    }
}
