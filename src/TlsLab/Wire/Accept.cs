using System.Net.Sockets;

namespace TlsLab.Wire;

/// <summary>The accept step every listener of the kit shares: the zoo's endpoints, the recording tap and the interceptor.</summary>
internal static class Accept
{
    /// <summary>The next connection, or null once <paramref name="stop"/> is cancelled or the listener is closed.</summary>
    public static async Task<Socket?> NextAsync(TcpListener listener, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                return await listener.AcceptSocketAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || stop.IsCancellationRequested)
            {
                return null;
            }
            catch (SocketException)
            {
                // A connection that died between SYN and accept is that client's problem, not the listener's; the pause
                // keeps a persistent failure (out of file descriptors) from becoming a busy loop.
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The peer's address, or null when the connection is already gone.</summary>
    public static System.Net.EndPoint? RemoteOf(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
