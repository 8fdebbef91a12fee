using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Exercises;

namespace TlsLab.Grading;

/// <summary>Exercise 9: <c>PublicKeyPinning</c>.</summary>
public sealed record PinningApi(
    Func<X509Certificate2, string> PinOf,
    Func<string, X509Certificate2, IReadOnlyCollection<string>, SslClientAuthenticationOptions> CreateOptions)
{
    /// <summary>The attendee's code: the <c>TlsLab.Exercises</c> types this test project was compiled against.</summary>
    public static PinningApi Compiled { get; } = new(PublicKeyPinning.PinOf, PublicKeyPinning.CreateOptions);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static PinningApi Current => Attendee.Current(Compiled);
}
