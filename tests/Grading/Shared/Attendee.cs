namespace TlsLab.Grading;

/// <summary>
/// Which implementation of an exercise's API the grading tests call: each API record's <c>Compiled</c>
/// binding (your exercises/ in the attendee's test project, solutions/ in the kit's), unless the kit's
/// own tests swapped in another one.
/// </summary>
/// <remarks>
/// The kit's own tests run these same grading tests against known wrong answers to prove that the
/// tests catch them; <see cref="Use"/> is how they swap one in. Attendees can ignore it.
/// </remarks>
public static class Attendee
{
    private static readonly AsyncLocal<object?> Substitute = new();

    /// <summary><paramref name="compiled"/>, or the implementation of the same API a kit test swapped in.</summary>
    public static TApi Current<TApi>(TApi compiled)
        where TApi : class => Substitute.Value as TApi ?? compiled;

    /// <summary>Makes the grading tests called from this async flow use <paramref name="api"/> (one exercise's API record) until disposed.</summary>
    public static IDisposable Use(object api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var previous = Substitute.Value;
        Substitute.Value = api;
        return new Restore(previous);
    }

    private sealed class Restore(object? previous) : IDisposable
    {
        public void Dispose() => Substitute.Value = previous;
    }
}
