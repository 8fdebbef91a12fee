namespace TlsLab.Workshop;

/// <summary>The result of grading one exercise from a notebook: what <c>tlslab grade N</c> printed, and whether it passed.</summary>
public sealed record GradeRun(int Exercise, int ExitCode, string Output)
{
    /// <summary>True when every task of the exercise passed.</summary>
    public bool Passed => ExitCode == 0;

    /// <inheritdoc />
    public override string ToString() => Output;
}
