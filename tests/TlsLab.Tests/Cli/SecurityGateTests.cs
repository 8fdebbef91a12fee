using TlsLab.Cli.Grading;

namespace TlsLab.Tests.Cli;

// Green means secure: a finding of insecure TLS code fails its exercise, whatever its tests said.
public sealed class SecurityGateTests
{
    private const string Root = "/kit";

    [Fact]
    public void A_finding_fails_a_passing_exercise_and_names_the_line_and_the_lesson()
    {
        var outcome = Outcome([new ExerciseGrade(9, 12, 0, 0, null, null)],
            Finding(9, "TLS009", "exercises/09-pinning/PublicKeyPinning.cs", 27, "StringComparer.OrdinalIgnoreCase compares a pin without " +
                "StringComparison.Ordinal (lesson: notebooks/09-sni-alpn-pinning.ipynb) (file:///kit/notebooks/09-sni-alpn-pinning.ipynb)"));

        var gated = SecurityGate.Apply(outcome);

        var grade = Assert.Single(gated.Grades);
        Assert.False(grade.Done, "An exercise with a security finding must not show as done.");
        Assert.Equal((12, 1), (grade.Passed, grade.Failed));
        Assert.Equal("no insecure TLS code: TLS009 at exercises/09-pinning/PublicKeyPinning.cs:27", grade.FirstFailure);
        Assert.Equal("notebooks/09-sni-alpn-pinning.ipynb", grade.Hint);
        Assert.Empty(gated.Warnings);
        Assert.Equal("TLS009", Assert.Single(gated.Findings).Code);
    }

    [Fact]
    public void A_failing_exercise_keeps_its_first_failure_and_counts_one_more()
    {
        var outcome = Outcome([new ExerciseGrade(8, 7, 2, 0, "revoked got in", "hint 2 in exercises/08-revocation/HINTS.md")],
            Finding(8, "CA5359", "exercises/08-revocation/RevocationCheck.cs", 17, "The callback accepts any certificate"));

        var grade = Assert.Single(SecurityGate.Apply(outcome).Grades);

        Assert.Equal((7, 3), (grade.Passed, grade.Failed));
        Assert.Equal("revoked got in", grade.FirstFailure);
    }

    [Fact]
    public void Ordinary_warnings_and_other_exercises_are_left_alone()
    {
        var warning = Finding(2, "CS8600", "exercises/02-validate/ValidatingClient.cs", 5, "Converting null literal");
        var outcome = Outcome([new ExerciseGrade(2, 14, 0, 0, null, null), new ExerciseGrade(3, 4, 0, 0, null, null)], warning,
            Finding(3, "TLS011", "exercises/03-protocol-floor/ProtocolFloor.cs", 9, "a CBC suite"));

        var gated = SecurityGate.Apply(outcome);

        Assert.True(gated.Grades[0].Done);
        Assert.False(gated.Grades[1].Done);
        Assert.Equal("CS8600", Assert.Single(gated.Warnings).Code);
        Assert.Equal("TLS011", Assert.Single(gated.Findings).Code);
    }

    [Fact]
    public void The_sentence_drops_the_lesson_and_the_help_link_and_the_lesson_is_read_from_the_message()
    {
        const string message = "X never asks; leave it at Online (lesson: notebooks/08-revocation.ipynb) (file:///kit/notebooks/08-revocation.ipynb)";
        Assert.Equal("X never asks; leave it at Online", SecurityRules.Sentence(message));
        Assert.Equal("notebooks/08-revocation.ipynb", SecurityRules.LessonOf("TLS001", message));
        Assert.Equal("notebooks/03-protocols.ipynb", SecurityRules.LessonOf("CA5397", "Avoid deprecated SslProtocols values"));
        Assert.False(SecurityRules.IsSecurity("CS0168"));
    }

    private static BuildDiagnostic Finding(int exercise, string code, string shown, int line, string text) =>
        new(Path.Combine(Root, shown), shown, line, 5, false, code, text, exercise);

    private static GradeOutcome Outcome(IReadOnlyList<ExerciseGrade> grades, params BuildDiagnostic[] warnings) =>
        new(grades, [], warnings, NoResults: false, warnings, []);
}
