using TlsLab.Exercises;

namespace TlsLab.Grading;

/// <summary>
/// The code under test: the <c>TlsLab.Exercises</c> types this test project was compiled against
/// (your exercises/ in the attendee's test project, solutions/ in the kit's).
/// </summary>
public static class Attendee
{
    /// <summary>Exercise 1.</summary>
    public static PlainSocketApi PlainSocket { get; } = new(PlainHttpClient.BuildRequest, PlainHttpClient.GetStatusLineAsync);

    /// <summary>Exercise 2.</summary>
    public static ValidationApi Validation { get; } = new(ValidatingClient.CreateOptions, ValidatingClient.GetStatusLineAsync);

    /// <summary>Exercise 3.</summary>
    public static ProtocolFloorApi ProtocolFloor { get; } = new(Exercises.ProtocolFloor.AtLeastTls12, Exercises.ProtocolFloor.OnlyTls13);

    /// <summary>Exercise 4.</summary>
    public static HostnameApi Hostname { get; } = new(async (address, host, root, ct) =>
        await HostnameCheck.ConnectAsync(address, host, root, ct) is { } r ? new HostnameVerdict(r.Connected, r.PolicyErrors, r.ChainStatus, r.Reason) : null);

    /// <summary>Exercise 5.</summary>
    public static ServerApi Server { get; } = new(ServerCredentials.Load, context =>
    {
        var server = TlsServer.Start(context);
        return new RunningServer(server.EndPoint, server.DisposeAsync);
    });

    /// <summary>Exercise 6.</summary>
    public static CipherApi Ciphers { get; } = new(
        () => ModernCiphers.MozillaIntermediate,
        context => OperatingSystem.IsWindows()
            ? throw new PlatformNotSupportedException("Cipher suites cannot be chosen per connection on Windows.")
            : ModernCiphers.CreateServerOptions(context));
}
