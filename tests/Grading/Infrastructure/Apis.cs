using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading;

// Each exercise's public API as a set of delegates. The graders take these rather than the
// exercise types themselves, so the same grader checks the attendee's code, the reference
// solution, the untouched stubs and the kit's collection of wrong answers.

/// <summary>Exercise 1: <c>PlainHttpClient</c>.</summary>
public sealed record PlainSocketApi(
    Func<string, string, string> BuildRequest,
    Func<IPEndPoint, string, string, CancellationToken, Task<string>> GetStatusLineAsync);

/// <summary>Exercise 2: <c>ValidatingClient</c>.</summary>
public sealed record ValidationApi(
    Func<string, X509Certificate2, SslClientAuthenticationOptions> CreateOptions,
    Func<IPEndPoint, SslClientAuthenticationOptions, CancellationToken, Task<string>> GetStatusLineAsync);

/// <summary>Exercise 3: <c>ProtocolFloor</c>.</summary>
public sealed record ProtocolFloorApi(
    Func<SslClientAuthenticationOptions, SslClientAuthenticationOptions> AtLeastTls12,
    Func<SslClientAuthenticationOptions, SslClientAuthenticationOptions> OnlyTls13);

/// <summary>Exercise 4: <c>HostnameCheck</c>, its result copied into <see cref="HostnameVerdict"/>.</summary>
public sealed record HostnameApi(
    Func<IPEndPoint, string, X509Certificate2, CancellationToken, Task<HostnameVerdict?>> ConnectAsync);

/// <summary>The fields of exercise 4's <c>HostnameCheckResult</c>.</summary>
public sealed record HostnameVerdict(bool Connected, SslPolicyErrors PolicyErrors, X509ChainStatusFlags ChainStatus, string? Reason);

/// <summary>Exercise 5: <c>ServerCredentials.Load</c>, <c>TlsServer.Start</c> and <c>TlsServer.CreateOptions</c>.</summary>
public sealed record ServerApi(
    Func<string, string, SslStreamCertificateContext> Load,
    Func<SslStreamCertificateContext, RunningServer> Start)
{
    /// <summary><c>TlsServer.CreateOptions</c>: the options <c>Start</c> serves every connection with.</summary>
    public required Func<SslStreamCertificateContext, SslServerAuthenticationOptions> CreateOptions { get; init; }

    /// <summary><c>TlsServer.Start</c> with its <c>listenOn</c> argument; null where an implementation does not bind it.</summary>
    public Func<SslStreamCertificateContext, IPEndPoint?, RunningServer>? StartOn { get; init; }
}

/// <summary>A started exercise-5 server: where it listens and how to stop it.</summary>
public sealed record RunningServer(IPEndPoint EndPoint, Func<ValueTask> StopAsync);

/// <summary>Exercise 6: <c>ModernCiphers</c>. <see cref="CreateServerOptions"/> is never called on Windows.</summary>
public sealed record CipherApi(
    Func<IReadOnlyList<TlsCipherSuite>> MozillaIntermediate,
    Func<SslStreamCertificateContext, SslServerAuthenticationOptions> CreateServerOptions);

/// <summary>Exercise 7: <c>MutualTls</c>.</summary>
public sealed record MutualTlsApi(
    Func<SslStreamCertificateContext, X509Certificate2, SslServerAuthenticationOptions> CreateServerOptions,
    Func<string, X509Certificate2, SslStreamCertificateContext, SslClientAuthenticationOptions> CreateClientOptions);

/// <summary>Exercise 8: <c>RevocationCheck</c>.</summary>
public sealed record RevocationApi(Func<string, X509Certificate2, SslClientAuthenticationOptions> CreateOptions);

/// <summary>Exercise 9: <c>PublicKeyPinning</c>.</summary>
public sealed record PinningApi(
    Func<X509Certificate2, string> PinOf,
    Func<string, X509Certificate2, IReadOnlyCollection<string>, SslClientAuthenticationOptions> CreateOptions);
