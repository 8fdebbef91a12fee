namespace TlsLab.Grading.WrongAnswers;

/// <summary>
/// Each known wrong answer (tests/Grading/NN-name/WrongAnswers.cs) fails the grading task written to catch it,
/// with the hint that explains why it is wrong. The tasks run exactly as in the attendee's test run;
/// only the implementation behind <see cref="Attendee"/> is swapped.
/// </summary>
public sealed class WrongAnswersFailTests(GradingLab fixture)
{
    // Every exercise's ExerciseNNCases.All (tests/Grading/NN-name/WrongAnswers.cs), found by name: a new exercise's wrong answers
    // join without a list to keep.
    private static readonly WrongAnswer[] Cases = [.. typeof(WrongAnswer).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(WrongAnswer).Namespace && t.Name.StartsWith("Exercise", StringComparison.Ordinal)
            && t.Name.EndsWith("Cases", StringComparison.Ordinal))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .SelectMany(t => (WrongAnswer[])t.GetProperty("All")!.GetValue(null)!)];

    [Fact]
    public void Every_exercise_has_known_wrong_answers()
    {
        var exercises = Cases.Select(c => int.Parse(c.Name.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order();
        Assert.Equal(Enumerable.Range(1, TlsLab.Workshop.ExerciseCatalog.Count), exercises);
    }

    public static TheoryData<string> Names => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_known_wrong_answer_fails_the_task_meant_to_catch_it(string name)
    {
        var wrong = Cases.Single(c => c.Name == name);
        foreach (var (id, hint) in wrong.MustFail)
        {
            var task = Proofs.GradingTask.Find(id);
            GradingFailure? failure = null;
            using (Attendee.Use(wrong.Implementation))
            {
                try
                {
                    await task.RunAsync(fixture);
                }
                catch (GradingFailure e)
                {
                    failure = e;
                }
            }

            Assert.True(failure is not null, $"The wrong answer '{name}' passed {id}; the grader should have caught it.");
            Assert.False(failure.NotStarted, $"'{name}' failed {id} as 'not started', which says nothing about the wrong answer.");
            Assert.True(failure.Hint == new Hint(task.Exercise, hint),
                $"'{name}' failed {id} but pointed at {failure.Hint} instead of hint {hint}:{Environment.NewLine}{failure.Message}");
        }
    }

    [Fact]
    public void Every_named_task_exists()
    {
        Assert.All(Cases.SelectMany(c => c.MustFail), m => Proofs.GradingTask.Find(m.Task));
    }
}
