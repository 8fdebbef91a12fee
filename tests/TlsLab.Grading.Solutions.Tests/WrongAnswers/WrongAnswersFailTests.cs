namespace TlsLab.Grading.WrongAnswers;

/// <summary>
/// Each known wrong answer (the classes in this folder) fails the grading task written to catch it,
/// with the hint that explains why it is wrong. The tasks run exactly as in the attendee's test run;
/// only the implementation behind <see cref="Attendee"/> is swapped.
/// </summary>
public sealed class WrongAnswersFailTests(GradingLab fixture)
{
    private static readonly WrongAnswer[] Cases =
    [
        .. Exercise01Cases.All,
        .. Exercise02Cases.All,
        .. Exercise03Cases.All,
        .. Exercise04Cases.All,
        .. Exercise05Cases.All,
        .. Exercise06Cases.All,
        .. Exercise07Cases.All,
        .. Exercise08Cases.All,
        .. Exercise09Cases.All,
        .. Exercise10Cases.All,
        .. Exercise11Cases.All,
    ];

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
