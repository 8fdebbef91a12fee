using TlsLab.Exercises;

namespace TlsLab.Grading;

/// <summary>
/// The code under test: the <c>TlsLab.Exercises</c> types this test project was compiled against
/// (your exercises/ in the attendee's test project, solutions/ in the kit's).
/// </summary>
/// <remarks>
/// The kit's own tests run these same grading tests against other implementations (the untouched
/// stubs, and known wrong answers) to prove that the tests catch them; <see cref="Use"/> is how
/// they swap one in. Attendees can ignore it.
/// </remarks>
public static class Attendee
{
    private static readonly AsyncLocal<Implementations?> Substitute = new();

    /// <summary>The implementations compiled into this test project.</summary>
    public static Implementations Compiled { get; } = new(
        new PlainSocketApi(PlainHttpClient.BuildRequest, PlainHttpClient.GetStatusLineAsync),
        new ValidationApi(ValidatingClient.CreateOptions, ValidatingClient.GetStatusLineAsync),
        new ProtocolFloorApi(Exercises.ProtocolFloor.AtLeastTls12, Exercises.ProtocolFloor.OnlyTls13),
        new HostnameApi(async (address, host, root, ct) =>
            await HostnameCheck.ConnectAsync(address, host, root, ct) is { } r ? new HostnameVerdict(r.Connected, r.PolicyErrors, r.ChainStatus,
                r.Reason) : null),
        new ServerApi(ServerCredentials.Load, context =>
        {
            var server = TlsServer.Start(context);
            return new RunningServer(server.EndPoint, server.DisposeAsync);
        })
        {
            CreateOptions = TlsServer.CreateOptions,
            StartOn = (context, listenOn) =>
            {
                var server = TlsServer.Start(context, listenOn);
                return new RunningServer(server.EndPoint, server.DisposeAsync);
            },
        },
        new CipherApi(
            () => ModernCiphers.MozillaIntermediate,
            context => OperatingSystem.IsWindows()
                ? throw new PlatformNotSupportedException("Cipher suites cannot be chosen per connection on Windows.")
                : ModernCiphers.CreateServerOptions(context)),
        new MutualTlsApi(Exercises.MutualTls.CreateServerOptions, Exercises.MutualTls.CreateClientOptions),
        new RevocationApi(RevocationCheck.CreateOptions),
        new PinningApi(PublicKeyPinning.PinOf, PublicKeyPinning.CreateOptions),
        HttpClientApi.Compiled,
        KestrelApi.Compiled);

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless a kit test substituted something.</summary>
    public static Implementations Current => Substitute.Value ?? Compiled;

    /// <summary>Exercise 1.</summary>
    public static PlainSocketApi PlainSocket => Current.PlainSocket;

    /// <summary>Exercise 2.</summary>
    public static ValidationApi Validation => Current.Validation;

    /// <summary>Exercise 3.</summary>
    public static ProtocolFloorApi ProtocolFloor => Current.ProtocolFloor;

    /// <summary>Exercise 4.</summary>
    public static HostnameApi Hostname => Current.Hostname;

    /// <summary>Exercise 5.</summary>
    public static ServerApi Server => Current.Server;

    /// <summary>Exercise 6.</summary>
    public static CipherApi Ciphers => Current.Ciphers;

    /// <summary>Exercise 7.</summary>
    public static MutualTlsApi MutualTls => Current.MutualTls;

    /// <summary>Exercise 8.</summary>
    public static RevocationApi Revocation => Current.Revocation;

    /// <summary>Exercise 9.</summary>
    public static PinningApi Pinning => Current.Pinning;

    /// <summary>Exercise 10.</summary>
    public static HttpClientApi HttpClient => Current.HttpClient;

    /// <summary>Exercise 11.</summary>
    public static KestrelApi Kestrel => Current.Kestrel;

    /// <summary>Makes the grading tests called from this async flow use <paramref name="implementations"/> until disposed.</summary>
    public static IDisposable Use(Implementations implementations)
    {
        var previous = Substitute.Value;
        Substitute.Value = implementations;
        return new Restore(previous);
    }

    private sealed class Restore(Implementations? previous) : IDisposable
    {
        public void Dispose() => Substitute.Value = previous;
    }
}

/// <summary>One implementation of every exercise's API.</summary>
public sealed record Implementations(
    PlainSocketApi PlainSocket,
    ValidationApi Validation,
    ProtocolFloorApi ProtocolFloor,
    HostnameApi Hostname,
    ServerApi Server,
    CipherApi Ciphers,
    MutualTlsApi MutualTls,
    RevocationApi Revocation,
    PinningApi Pinning,
    HttpClientApi HttpClient,
    KestrelApi Kestrel);
