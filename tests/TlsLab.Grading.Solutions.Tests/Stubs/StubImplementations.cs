extern alias stubs;
using Stub = stubs::TlsLab.Exercises;

namespace TlsLab.Grading.Stubs;

/// <summary>exercises/ exactly as shipped to attendees: every member still throws NotImplementedException.</summary>
public static class StubImplementations
{
    /// <summary>The stubs, bound the same way <see cref="Attendee.Compiled"/> binds the solutions.</summary>
    public static Implementations All { get; } = new(
        new PlainSocketApi(Stub.PlainHttpClient.BuildRequest, Stub.PlainHttpClient.GetStatusLineAsync),
        new ValidationApi(Stub.ValidatingClient.CreateOptions, Stub.ValidatingClient.GetStatusLineAsync),
        new ProtocolFloorApi(Stub.ProtocolFloor.AtLeastTls12, Stub.ProtocolFloor.OnlyTls13),
        new HostnameApi(async (address, host, root, ct) =>
            await Stub.HostnameCheck.ConnectAsync(address, host, root, ct) is { } r ? new HostnameVerdict(r.Connected, r.PolicyErrors, r.ChainStatus,
                r.Reason) : null),
        new ServerApi(Stub.ServerCredentials.Load, context =>
        {
            var server = Stub.TlsServer.Start(context);
            return new RunningServer(server.EndPoint, server.DisposeAsync);
        })
        {
            CreateOptions = Stub.TlsServer.CreateOptions,
            StartOn = (context, listenOn) =>
            {
                var server = Stub.TlsServer.Start(context, listenOn);
                return new RunningServer(server.EndPoint, server.DisposeAsync);
            },
        },
        new CipherApi(
            () => Stub.ModernCiphers.MozillaIntermediate,
            context => OperatingSystem.IsWindows()
                ? throw new PlatformNotSupportedException("Cipher suites cannot be chosen per connection on Windows.")
                : Stub.ModernCiphers.CreateServerOptions(context)),
        new MutualTlsApi(Stub.MutualTls.CreateServerOptions, Stub.MutualTls.CreateClientOptions),
        new RevocationApi(Stub.RevocationCheck.CreateOptions),
        new PinningApi(Stub.PublicKeyPinning.PinOf, Stub.PublicKeyPinning.CreateOptions),
        new HttpClientApi(Stub.SecureHandler.Create),
        new KestrelApi(Stub.KestrelApp.Build));

    /// <summary>The stubs' assembly (TlsLab.Exercises).</summary>
    public static System.Reflection.Assembly Assembly => typeof(Stub.PlainHttpClient).Assembly;
}
