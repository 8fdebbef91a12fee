using TlsLab.Workshop;

namespace TlsLab.Grading;

/// <summary>A numbered hint in an exercise's HINTS.md.</summary>
/// <param name="Exercise">The exercise, as numbered in exercises/README.md.</param>
/// <param name="Number">The hint's number: low numbers are gentle, the last one is nearly the answer.</param>
public readonly record struct Hint(int Exercise, int Number)
{
    /// <summary>What a failure message says, e.g. <c>read hint 2 in exercises/02-validate/HINTS.md</c>.</summary>
    public override string ToString() => $"read hint {Number} in {ExerciseCatalog.Get(Exercise).Hints}";
}
