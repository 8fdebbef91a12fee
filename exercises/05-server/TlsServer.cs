using System.Net;
using System.Net.Security;

namespace TlsLab.Exercises;

/// <summary>Exercise 5, part 2: a TLS server on loopback that one bad client cannot take down. Task: README.md in this folder.</summary>
public sealed class TlsServer : IAsyncDisposable
{
    // TODO: fields for the listener, the certificate and whatever you need to stop cleanly.
    private TlsServer()
    {
    }

    /// <summary>The TLS settings every connection gets: the certificate context, TLS 1.2 and 1.3 only, no client certificate.</summary>
    /// <param name="certificate">What the server presents (see <see cref="ServerCredentials.Load"/>).</param>
    public static SslServerAuthenticationOptions CreateOptions(SslStreamCertificateContext certificate)
    {
        // TODO: the options Start serves every connection with (task 16).
        throw new NotImplementedException("Exercise 5, TlsServer.CreateOptions: see notebooks/05-server.ipynb and exercises/05-server/HINTS.md");
    }

    /// <summary>Where the server listens; with the default <c>listenOn</c>, 127.0.0.1 and a port the OS chose.</summary>
    public IPEndPoint EndPoint =>
        throw new NotImplementedException("Exercise 5, TlsServer.EndPoint: see notebooks/05-server.ipynb and exercises/05-server/HINTS.md");

    /// <summary>Starts listening and serving; returns at once.</summary>
    /// <param name="certificate">What the server presents (see <see cref="ServerCredentials.Load"/>).</param>
    /// <param name="listenOn">Address and port; null for 127.0.0.1 and a free port.</param>
    public static TlsServer Start(SslStreamCertificateContext certificate, IPEndPoint? listenOn = null)
    {
        // TODO: listen, then accept and serve clients in the background; return without waiting for any.
        throw new NotImplementedException("Exercise 5, TlsServer.Start: see notebooks/05-server.ipynb and exercises/05-server/HINTS.md");
    }

    /// <summary>Stops accepting, closes every connection and waits for them to finish.</summary>
    public ValueTask DisposeAsync() =>
        throw new NotImplementedException("Exercise 5, TlsServer.DisposeAsync: see notebooks/05-server.ipynb and exercises/05-server/HINTS.md");
}
