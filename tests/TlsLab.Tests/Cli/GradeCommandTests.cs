using TlsLab.Cli.Commands;
using TlsLab.Cli.Grading;

namespace TlsLab.Tests.Cli;

/// <summary><c>tlslab grade</c>: summarising tasks per exercise, and the command itself.</summary>
public sealed class GradeCommandTests
{
    private const string Validate = "TlsLab.Grading.Exercise02ValidateTests";
    private const string Ciphers = "TlsLab.Grading.Exercise06CiphersTests";

    // Tasks as the in-process runner reports them (messages as xunit words them), in no particular order.
    private static readonly TaskResult[] Results =
    [
        new(Validate, $"{Validate}.GetStatusLineAsync_gets_200_OK_over_TLS", TaskOutcome.Failed,
            """
            TlsLab.Grading.GradingFailure : GetStatusLineAsync threw IOException against the lab's good endpoint.
              Tried:    ValidatingClient.GetStatusLineAsync(127.0.0.1:4000, options)
              Next:     read hint 5 in exercises/02-validate/HINTS.md
            """, "GetStatusLineAsync_gets_200_OK_over_TLS", 6),
        new(Validate, $"{Validate}.CreateOptions_refuses_each_broken_endpoint_for_its_own_reason", TaskOutcome.Failed,
            """
            TlsLab.Grading.GradingFailure : Your client connected to 'expired', which it must refuse: the certificate expired yesterday.
            The failing check: CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(scenario: "expired").
              Next:     read hint 3 in exercises/02-validate/HINTS.md
            """, "CreateOptions_refuses_each_broken_endpoint_for_its_own_reason", 2),
        new(Validate, $"{Validate}.CreateOptions_accepts_good_trusting_only_the_lab_root", TaskOutcome.Passed, null,
            "CreateOptions_accepts_good_trusting_only_the_lab_root", 1),
        new(Ciphers, $"{Ciphers}.The_server_refuses_a_client_that_offers_only_CBC", TaskOutcome.Skipped,
            "Cipher suites cannot be chosen per connection here: Windows chooses them system-wide.", "The_server_refuses_a_client_that_offers_only_CBC", 2),
        new(Ciphers, $"{Ciphers}.MozillaIntermediate_is_the_profile_and_nothing_else", TaskOutcome.Passed, null,
            "MozillaIntermediate_is_the_profile_and_nothing_else", 1),
    ];

    [Fact]
    public void The_summary_shows_the_gentlest_failure_first_in_one_sentence_with_its_hint()
    {
        var grades = GradeReport.Summarize(Results, [2, 6]);

        var validate = grades[0];
        Assert.Equal((2, 1, 2, 0), (validate.Number, validate.Passed, validate.Failed, validate.Skipped));
        Assert.False(validate.Done);
        Assert.Equal("Your client connected to 'expired', which it must refuse: the certificate expired yesterday.", validate.FirstFailure);
        Assert.Equal("hint 3 in exercises/02-validate/HINTS.md", validate.Hint);

        var ciphers = grades[1];
        Assert.True(ciphers.Done, "A skipped task must not count against an exercise.");
        Assert.Equal((1, 0, 1), (ciphers.Passed, ciphers.Failed, ciphers.Skipped));
        Assert.Contains("system-wide", ciphers.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exercise_without_results_is_not_done()
    {
        var grade = Assert.Single(GradeReport.Summarize([], [4]));

        Assert.Equal(0, grade.Total);
        Assert.False(grade.Done);
    }

    [Theory]
    [InlineData("TlsLab.Grading.Exercise01PlainSocketTests", 1)]
    [InlineData("TlsLab.Grading.Exercise06CiphersTests", 6)]
    [InlineData("TlsLab.Grading.Exercise09PinningTests", 9)]
    [InlineData("TlsLab.Grading.Exercise10HttpClientTests", 10)]
    [InlineData("TlsLab.Grading.Exercise11KestrelTests", 11)]
    [InlineData("TlsLab.Grading.Exercise12Whatever", null)]
    [InlineData("TlsLab.Tests.Cli.GradeCommandTests", null)]
    public void A_test_class_name_says_which_exercise_it_grades(string className, int? exercise) =>
        Assert.Equal(exercise, GradeReport.ExerciseOf(className));

    [Fact]
    public void A_message_without_a_hint_points_at_the_README()
    {
        Assert.Equal("exercises/04-hostname/README.md", GradeReport.Hint("Assert.Equal() Failure", 4));
        Assert.Equal("Something broke", GradeReport.FirstSentence("System.InvalidOperationException : Something broke\n   at x", "fallback"));
    }

    [Fact]
    public async Task An_exercise_number_out_of_range_is_a_usage_error()
    {
        var (exit, _, stderr) = await CliRun.CompleteAsync("grade", "12");

        Assert.Equal(2, exit);
        Assert.Contains("no exercise 12", stderr, StringComparison.Ordinal);
        Assert.Contains("11-kestrel", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_test_project_is_a_usage_error()
    {
        var (exit, _, stderr) = await CliRun.CompleteAsync("grade", "--project", Path.Combine(Path.GetTempPath(), "no-such-folder", "Exercises.Tests.csproj"));

        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exercises_test_project_is_found_from_inside_the_repository()
    {
        var found = GradeCommand.DefaultTestProject();

        Assert.NotNull(found);
        Assert.EndsWith(Path.Combine("exercises", "Tests", "Exercises.Tests.csproj"), found, StringComparison.Ordinal);
    }
}
