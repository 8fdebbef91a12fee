using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading;

/// <summary>Exercise 10: <c>SecureHandler</c>.</summary>
public sealed record HttpClientApi(Func<X509Certificate2, X509Certificate2?, SocketsHttpHandler> Create)
{
    /// <summary>The <c>TlsLab.Exercises</c> types this project was compiled against (exercises/ for the attendee, solutions/ for the kit).</summary>
    public static HttpClientApi Compiled { get; } = new(TlsLab.Exercises.SecureHandler.Create);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static HttpClientApi Current => Attendee.Current(Compiled);
}
