namespace TlsLab.Cli.Grading;

/// <summary>How one grading task ended.</summary>
public enum TaskOutcome
{
    /// <summary>Every check of the task passed.</summary>
    Passed,

    /// <summary>A check of the task failed (or errored, or timed out).</summary>
    Failed,

    /// <summary>The task did not run here, e.g. a platform that cannot do what it checks.</summary>
    Skipped,
}

/// <summary>One grading task: one test method, its theory rows (if any) being checks inside it.</summary>
/// <param name="ClassName">The test class, e.g. <c>TlsLab.Grading.Exercise02ValidateTests</c>.</param>
/// <param name="Name">The test method's name, or the failing row's display name.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Message">The failure message (or skip reason), when there is one.</param>
/// <param name="Method">The test method's name, without class or arguments.</param>
/// <param name="Task">The task's number in the exercise's README (its <c>[Task(N)]</c>); null for a test method without one.</param>
public sealed record TaskResult(string ClassName, string Name, TaskOutcome Outcome, string? Message, string? Method = null, int? Task = null);
