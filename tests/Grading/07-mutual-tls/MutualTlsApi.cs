using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading;

/// <summary>Exercise 7: <c>MutualTls</c>.</summary>
public sealed record MutualTlsApi(
    Func<SslStreamCertificateContext, X509Certificate2, SslServerAuthenticationOptions> CreateServerOptions,
    Func<string, X509Certificate2, SslStreamCertificateContext, SslClientAuthenticationOptions> CreateClientOptions)
{
    /// <summary>The attendee's code: the <c>TlsLab.Exercises</c> types this test project was compiled against.</summary>
    public static MutualTlsApi Compiled { get; } = new(Exercises.MutualTls.CreateServerOptions, Exercises.MutualTls.CreateClientOptions);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static MutualTlsApi Current => Attendee.Current(Compiled);
}
