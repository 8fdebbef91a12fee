namespace TlsLab.Grading;

/// <summary>Where each exercise lives, so that every failure can say where to read next.</summary>
public static class ExerciseInfo
{
    /// <summary>The exercise folders, in order.</summary>
    public static IReadOnlyList<string> Folders { get; } =
    [
        "01-plain-socket",
        "02-validate",
        "03-protocol-floor",
        "04-hostname",
        "05-server",
        "06-ciphers",
    ];

    /// <summary>The folder of exercise <paramref name="exercise"/> (1-based), e.g. <c>02-validate</c>.</summary>
    public static string Folder(int exercise) =>
        exercise >= 1 && exercise <= Folders.Count
            ? Folders[exercise - 1]
            : throw new ArgumentOutOfRangeException(nameof(exercise), exercise, $"There are exercises 1 to {Folders.Count}.");

    /// <summary>The exercise's task description, relative to the repository root.</summary>
    public static string Readme(int exercise) => $"exercises/{Folder(exercise)}/README.md";

    /// <summary>The exercise's hints, relative to the repository root.</summary>
    public static string Hints(int exercise) => $"exercises/{Folder(exercise)}/HINTS.md";

    /// <summary>The lessons, in the same order (notebooks/ names its files after the talk's steps).</summary>
    public static IReadOnlyList<string> Notebooks { get; } =
    [
        "01-sockets",
        "02-client-default-context",
        "03-protocols",
        "04-hostname-checks",
        "05-server",
        "06-ciphers",
    ];

    /// <summary>The lesson that teaches what the exercise needs.</summary>
    public static string Notebook(int exercise) => $"notebooks/{Notebooks[exercise - 1]}.ipynb";
}

/// <summary>A numbered hint in an exercise's HINTS.md.</summary>
/// <param name="Exercise">The exercise, 1 to 6.</param>
/// <param name="Number">The hint's number: low numbers are gentle, the last one is nearly the answer.</param>
public readonly record struct Hint(int Exercise, int Number)
{
    /// <summary>What a failure message says, e.g. <c>read hint 2 in exercises/02-validate/HINTS.md</c>.</summary>
    public override string ToString() => $"read hint {Number} in {ExerciseInfo.Hints(Exercise)}";
}
