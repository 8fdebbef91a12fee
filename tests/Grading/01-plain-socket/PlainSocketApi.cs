using System.Net;
using TlsLab.Exercises;

namespace TlsLab.Grading;

/// <summary>Exercise 1: <c>PlainHttpClient</c>.</summary>
public sealed record PlainSocketApi(
    Func<string, string, string> BuildRequest,
    Func<IPEndPoint, string, string, CancellationToken, Task<string>> GetStatusLineAsync)
{
    /// <summary>The attendee's code: the <c>TlsLab.Exercises</c> types this test project was compiled against.</summary>
    public static PlainSocketApi Compiled { get; } = new(PlainHttpClient.BuildRequest, PlainHttpClient.GetStatusLineAsync);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static PlainSocketApi Current => Attendee.Current(Compiled);
}
