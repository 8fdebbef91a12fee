using TlsLab.Workshop;
using Xunit.Sdk;

namespace TlsLab.Grading;

/// <summary>
/// A failed grading check, written for the attendee: a one-sentence summary on the first line (the
/// <c>tlslab grade</c> table shows it), then what the test tried, what happened, what was expected,
/// and which hint to read.
/// </summary>
public sealed class GradingFailure : XunitException
{
    /// <summary>Creates a failure; the message is assembled from the parts.</summary>
    public GradingFailure(string summary, string tried, string happened, string? expected, Hint hint, Exception? inner = null)
        : base(Compose(summary, tried, happened, expected, hint.ToString()), inner)
    {
        Summary = summary;
        Hint = hint;
    }

    private GradingFailure(string summary, string message, Hint hint, Exception? inner)
        : base(message, inner)
    {
        Summary = summary;
        Hint = hint;
    }

    /// <summary>The first line of the message: what went wrong, in one sentence.</summary>
    public string Summary { get; }

    /// <summary>The hint the message points to.</summary>
    public Hint Hint { get; }

    /// <summary>True when the failure is a stub that still throws <see cref="NotImplementedException"/>.</summary>
    public bool NotStarted { get; private init; }

    /// <summary>The failure for a stub that has not been written yet.</summary>
    public static GradingFailure NotStartedYet(int exercise, string call, NotImplementedException exception)
    {
        var member = call.Split('(')[0];
        var entry = ExerciseCatalog.Get(exercise);
        var summary = $"Exercise {exercise} is not started yet: {member} still throws NotImplementedException.";
        var message = Compose(
            summary,
            call,
            $"NotImplementedException: {exception.Message}",
            "an implementation; the stub's body is the part you write",
            $"open {entry.Readme} (and the lesson {entry.Notebook}), then read hint 1 in {entry.Hints}");
        // No inner exception: the stub's message is already in the text, and its stack trace would only bury it.
        return new GradingFailure(summary, message, new Hint(exercise, 1), inner: null) { NotStarted = true };
    }

    private static string Compose(string summary, string tried, string happened, string? expected, string next)
    {
        var lines = new List<string>
        {
            summary,
            $"  Tried:    {tried}",
            $"  Happened: {happened}",
        };
        if (expected is not null)
        {
            lines.Add($"  Expected: {expected}");
        }

        lines.Add($"  Next:     {next}");
        return string.Join(Environment.NewLine, lines);
    }
}
