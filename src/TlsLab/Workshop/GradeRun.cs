namespace TlsLab.Workshop;

/// <summary>The result of grading one exercise from a notebook: what <c>tlslab grade N</c> printed, and whether it passed.</summary>
/// <remarks>Only <see cref="TlslabGrade"/> makes one: a lesson reads it, it does not build one.</remarks>
public sealed class GradeRun
{
    internal GradeRun(int exercise, int exitCode, string output)
    {
        Exercise = exercise;
        ExitCode = exitCode;
        Output = output;
    }

    /// <summary>The exercise graded, as numbered in exercises/README.md.</summary>
    public int Exercise { get; }

    /// <summary><c>tlslab grade</c>'s exit code: 0 passed, 1 some task failed, 2 a usage error.</summary>
    public int ExitCode { get; }

    /// <summary>Everything <c>tlslab grade</c> printed: its table and what to read next.</summary>
    public string Output { get; }

    /// <summary>True when every task of the exercise passed.</summary>
    public bool Passed => ExitCode == 0;

    /// <inheritdoc />
    public override string ToString() => Output;
}
