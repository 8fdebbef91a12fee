using System.Net.Security;
using TlsLab.Exercises;

namespace TlsLab.Grading;

/// <summary>Exercise 6: <c>ModernCiphers</c>. <see cref="CreateServerOptions"/> is never called on Windows.</summary>
public sealed record CiphersApi(
    Func<IReadOnlyList<TlsCipherSuite>> MozillaIntermediate,
    Func<SslStreamCertificateContext, SslServerAuthenticationOptions> CreateServerOptions)
{
    /// <summary>The attendee's code: the <c>TlsLab.Exercises</c> types this test project was compiled against.</summary>
    public static CiphersApi Compiled { get; } = new(
        () => ModernCiphers.MozillaIntermediate,
        context => OperatingSystem.IsWindows()
            ? throw new PlatformNotSupportedException("Cipher suites cannot be chosen per connection on Windows.")
            : ModernCiphers.CreateServerOptions(context));

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static CiphersApi Current => Attendee.Current(Compiled);
}
