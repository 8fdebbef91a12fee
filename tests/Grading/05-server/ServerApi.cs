using System.Net;
using System.Net.Security;
using TlsLab.Exercises;

namespace TlsLab.Grading;

/// <summary>Exercise 5: <c>ServerCredentials.Load</c>, <c>TlsServer.Start</c> and <c>TlsServer.CreateOptions</c>.</summary>
public sealed record ServerApi(
    Func<string, string, SslStreamCertificateContext> Load,
    Func<SslStreamCertificateContext, RunningServer> Start)
{
    /// <summary><c>TlsServer.CreateOptions</c>: the options <c>Start</c> serves every connection with.</summary>
    public required Func<SslStreamCertificateContext, SslServerAuthenticationOptions> CreateOptions { get; init; }

    /// <summary><c>TlsServer.Start</c> with its <c>listenOn</c> argument; null where an implementation does not bind it.</summary>
    public Func<SslStreamCertificateContext, IPEndPoint?, RunningServer>? StartOn { get; init; }

    /// <summary>The attendee's code: the <c>TlsLab.Exercises</c> types this test project was compiled against.</summary>
    public static ServerApi Compiled { get; } = new(ServerCredentials.Load, context =>
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
    };

    /// <summary>What the grading tests call: <see cref="Compiled"/>, unless the kit's own tests swapped in another implementation.</summary>
    public static ServerApi Current => Attendee.Current(Compiled);
}

/// <summary>A started exercise-5 server: where it listens and how to stop it.</summary>
public sealed record RunningServer(IPEndPoint EndPoint, Func<ValueTask> StopAsync);
