using System.Runtime.ExceptionServices;

namespace TlsLab.Grading;

/// <summary>
/// Calls the attendee's code and turns whatever goes wrong into a <see cref="GradingFailure"/>: a stub
/// that still throws NotImplementedException, an unexpected exception, or a call that never returns.
/// </summary>
public static class Attempt
{
    /// <summary>How long a call into the attendee's code may take before the grader gives up on it.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(8);

    /// <summary>Runs <paramref name="body"/>; any exception becomes a failure pointing at <paramref name="hint"/>.</summary>
    public static T Call<T>(string call, Hint hint, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (Exception e) when (e is not GradingFailure)
        {
            throw Unexpected(call, hint, e);
        }
    }

    /// <summary>Awaits <paramref name="body"/>; any exception or a timeout becomes a failure pointing at <paramref name="hint"/>.</summary>
    public static async Task<T> CallAsync<T>(string call, Hint hint, Func<Task<T>> body, TimeSpan? timeout = null)
    {
        var (result, error) = await CaptureAsync(call, hint, body, timeout);
        if (error is not null)
        {
            throw Unexpected(call, hint, error);
        }

        return result!;
    }

    /// <summary>
    /// Awaits <paramref name="body"/> and hands back either its result or the exception it threw, for
    /// checks where throwing is the right answer. A stub's NotImplementedException and a timeout are
    /// still turned into failures.
    /// </summary>
    public static async Task<(T? Result, Exception? Error)> CaptureAsync<T>(string call, Hint hint, Func<Task<T>> body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var limit = timeout ?? DefaultTimeout;
        Task<T> task;
        try
        {
            task = body();
        }
        catch (Exception e) when (e is not GradingFailure)
        {
            return FindNotImplemented(e) is { } notImplemented
                ? throw GradingFailure.NotStartedYet(hint.Exercise, call, notImplemented)
                : (default, e);
        }

        if (task is null)
        {
            throw new GradingFailure($"{call} returned a null Task.", call, "the method returned null instead of a Task", "a Task to await (write the " +
                "method as 'async Task<...>')", hint);
        }

        try
        {
            return (await task.WaitAsync(limit), null);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new GradingFailure(
                $"{call} did not finish within {limit.TotalSeconds:0} s.",
                call,
                $"after {limit.TotalSeconds:0} s it was still running (waiting for data that never comes? reading until the server closes without " +
                    "'Connection: close'?)",
                "an answer within a second or two: every lab endpoint answers at once",
                hint);
        }
        catch (Exception e) when (e is not GradingFailure)
        {
            return FindNotImplemented(e) is { } notImplemented
                ? throw GradingFailure.NotStartedYet(hint.Exercise, call, notImplemented)
                : (default, e);
        }
    }

    /// <summary>Turns an exception from the attendee's code into a failure (a stub's NotImplementedException into "not started").</summary>
    public static GradingFailure Unexpected(string call, Hint hint, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is GradingFailure failure)
        {
            return failure;
        }

        if (FindNotImplemented(error) is { } notImplemented)
        {
            return GradingFailure.NotStartedYet(hint.Exercise, call, notImplemented);
        }

        return new GradingFailure(
            $"{call} threw {error.GetType().Name} where the grader expected an answer.",
            call,
            OneLine(error),
            null,
            hint,
            error);
    }

    /// <summary>One line for an exception: its type and message, plus the innermost cause when there is one.</summary>
    public static string OneLine(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var text = $"{error.GetType().Name}: {error.Message}";
        var inner = error;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, error) ? text : $"{text} (caused by {inner.GetType().Name}: {inner.Message})";
    }

    /// <summary>Rethrows a captured exception without losing its stack.</summary>
    public static void Rethrow(Exception error) => ExceptionDispatchInfo.Capture(error).Throw();

    private static NotImplementedException? FindNotImplemented(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is NotImplementedException notImplemented)
            {
                return notImplemented;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.OfType<NotImplementedException>().FirstOrDefault() is { } first)
            {
                return first;
            }
        }

        return null;
    }
}
