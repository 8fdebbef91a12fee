namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 9 that the grading tests must reject.

internal static class Exercise09Cases
{
    private static readonly Implementations Right = Attendee.Compiled;

    public static WrongAnswer[] All { get; } =
    [
    ];
}
