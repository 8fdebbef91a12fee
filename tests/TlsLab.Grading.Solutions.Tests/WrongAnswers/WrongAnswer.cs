namespace TlsLab.Grading.WrongAnswers;

/// <summary>A known wrong answer, the implementation that contains it, and the tasks (with hints) that must catch it.</summary>
/// <param name="Name">E.g. "2: an accept-all validation callback"; the exercise number comes first.</param>
/// <param name="Implementation">One exercise's API record: its right answer with this one mistake swapped in.</param>
/// <param name="MustFail">The task ids (see <see cref="Proofs.GradingTask.Id"/>) that must fail, and the hint each must name.</param>
internal sealed record WrongAnswer(string Name, object Implementation, params (string Task, int Hint)[] MustFail);
