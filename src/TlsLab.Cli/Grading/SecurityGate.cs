using System.Globalization;

namespace TlsLab.Cli.Grading;

/// <summary>
/// Green means secure: an exercise whose code has a security finding is not done. It fails one more task, "no insecure TLS
/// code", named as its first failure when every test passed; the findings leave the list of ordinary warnings.
/// </summary>
internal static class SecurityGate
{
    /// <summary>The task a finding fails.</summary>
    public const string Task = "no insecure TLS code";

    /// <param name="outcome">The grading, with the compiler's warnings of the attendee's code (the security analyzers' findings among them).</param>
    public static GradeOutcome Apply(GradeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var findings = outcome.Warnings
            .Where(d => SecurityRules.IsSecurity(d.Code) && d.Exercise is not null)
            .DistinctBy(d => (d.ShownFile, d.Line, d.Column, d.Code))
            .OrderBy(d => d.Exercise).ThenBy(d => d.ShownFile, StringComparer.Ordinal).ThenBy(d => d.Line)
            .ToList();
        var byExercise = findings.ToLookup(d => d.Exercise!.Value);
        var grades = outcome.Grades.Select(grade =>
        {
            var own = byExercise[grade.Number].ToList();
            if (own.Count == 0 || grade.Broken)
            {
                return grade;
            }

            var first = own[0];
            return grade.Failed > 0
                ? grade with { Failed = grade.Failed + 1 }
                : grade with
                {
                    Failed = grade.Failed + 1,
                    FirstFailure = $"{Task}: {first.Code} at {first.ShownFile}:{first.Line.ToString(CultureInfo.InvariantCulture)}",
                    Hint = SecurityRules.LessonOf(first.Code, first.Text),
                };
        }).ToList();
        return outcome with
        {
            Grades = grades,
            Warnings = [.. outcome.Warnings.Where(w => !SecurityRules.IsSecurity(w.Code))],
            Findings = [.. findings.Where(f => outcome.Grades.Any(g => g.Number == f.Exercise && !g.Broken))],
        };
    }
}
