namespace TlsLab.Grading;

/// <summary>
/// Bad input gets a clear error: a public method given null for a required argument throws ArgumentNullException (naming the
/// argument) at once, rather than a NullReferenceException from somewhere inside, a hang, or a result built on nothing.
/// </summary>
public static class NullArgumentCheck
{
    /// <summary>One call with one null argument.</summary>
    /// <param name="Call">How the failure message shows it, e.g. <c>ValidatingClient.CreateOptions("good.localhost", null)</c>.</param>
    /// <param name="Argument">The parameter that is null.</param>
    /// <param name="Body">Makes the call; a returned Task is awaited.</param>
    public sealed record Case(string Call, string Argument, Func<object?> Body);

    /// <summary>Fails at the first case that does not throw an ArgumentNullException (or another ArgumentException) for its null argument.</summary>
    public static async Task ExpectAsync(Hint hint, params Case[] cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        foreach (var c in cases)
        {
            var (_, error) = await Attempt.CaptureAsync(c.Call, hint, async () =>
            {
                var result = c.Body();
                if (result is Task task)
                {
                    await task;
                }

                return result;
            }, TimeSpan.FromSeconds(5));
            if (error is ArgumentException)
            {
                continue;
            }

            throw new GradingFailure(
                error is null
                    ? $"{c.Call} accepted a null {c.Argument} without a word."
                    : $"{c.Call} failed with {error.GetType().Name} instead of ArgumentNullException for its null {c.Argument}.",
                c.Call,
                error is null ? "it returned normally" : Attempt.OneLine(error),
                $"ArgumentNullException for '{c.Argument}', thrown at once: ArgumentNullException.ThrowIfNull({c.Argument}) as the method's first line",
                hint);
        }
    }
}
