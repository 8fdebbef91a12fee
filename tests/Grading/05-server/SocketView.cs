using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace TlsLab.Grading;

/// <summary>
/// The operating system's own view of TCP sockets, for checks that must not trust what a server
/// reports about itself: which addresses really listen on a port, and whether a port is still open.
/// </summary>
public static class SocketView
{
    /// <summary>
    /// The local end points listening on <paramref name="port"/>, from the OS's table of TCP
    /// listeners (works on Windows, macOS and Linux), or null with the reason when the OS cannot say.
    /// </summary>
    public static (IReadOnlyList<IPEndPoint>? Listeners, string? Problem) ListenersOn(int port)
    {
        try
        {
            var all = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners();
            return (all.Where(e => e.Port == port).ToArray(), null);
        }
        catch (Exception e) when (e is NetworkInformationException or PlatformNotSupportedException or IOException or UnauthorizedAccessException)
        {
            return (null, $"this system would not list its TCP listeners ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>True when <paramref name="address"/> is 127.0.0.0/8 or ::1 (or an IPv4-mapped loopback address).</summary>
    public static bool IsLoopback(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    /// <summary>This machine's own non-loopback unicast addresses (a Wi-Fi or Ethernet address), if any.</summary>
    public static IReadOnlyList<IPAddress> NonLoopbackAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address)
                .Where(a => !IsLoopback(a) && (a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6
                    && !a.IsIPv6LinkLocal)))
                .ToArray();
        }
        catch (Exception e) when (e is NetworkInformationException or PlatformNotSupportedException)
        {
            return [];
        }
    }

    /// <summary>Whether a TCP connection to <paramref name="endPoint"/> is accepted within <paramref name="timeout"/>.</summary>
    /// <remarks>Refused, reset and timed out all count as "not open": only a completed connection proves a listener.</remarks>
    public static async Task<bool> AcceptsConnectionsAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
