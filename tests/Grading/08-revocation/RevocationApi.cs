using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Exercises;

namespace TlsLab.Grading;

/// <summary>Exercise 8: <c>RevocationCheck</c>.</summary>
public sealed record RevocationApi(Func<string, X509Certificate2, SslClientAuthenticationOptions> CreateOptions)
{
    /// <summary>The attendee's code: the <c>TlsLab.Exercises</c> types this test project was compiled against.</summary>
    public static RevocationApi Compiled { get; } = new(RevocationCheck.CreateOptions);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static RevocationApi Current => Attendee.Current(Compiled);
}
