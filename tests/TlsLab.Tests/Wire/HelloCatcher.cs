using System.Net;
using System.Net.Sockets;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

/// <summary>
/// Plays a TLS server just long enough to hear a client's ClientHello: listens on 127.0.0.1:0, accepts one
/// connection, reads until <see cref="ClientHelloReader"/> says Complete, then hangs up.
/// </summary>
internal static class HelloCatcher
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <param name="clientName">For messages: which client this is.</param>
    /// <param name="startClient">Starts the client against the given port; returns a task that ends when the client does.</param>
    /// <param name="describeClient">How the client ended, for skip and failure messages.</param>
    /// <param name="ct">The test's own cancellation (its timeout), on top of the catcher's patience.</param>
    public static async Task<ClientHello> CatchAsync(string clientName, Func<int, Task> startClient, Func<string> describeClient, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Patience);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var client = startClient(port);
            var accept = listener.AcceptSocketAsync(timeout.Token).AsTask();
            if (await Task.WhenAny(accept, client, Task.Delay(Patience, timeout.Token)) != accept)
            {
                Assert.SkipWhen(client.IsCompleted, $"{clientName} ended without connecting, so this machine's {clientName} cannot take part: " +
                    $"{describeClient()}");
                Assert.Fail($"{clientName} did not connect within {Patience.TotalSeconds} s: {describeClient()}");
            }

            using var socket = await accept;
            return await ReadHelloAsync(clientName, socket, describeClient, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{clientName} did not send a complete ClientHello within {Patience.TotalSeconds} s: {describeClient()}");
            throw;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task<ClientHello> ReadHelloAsync(string clientName, Socket socket, Func<string> describeClient, CancellationToken ct)
    {
        var buffer = new byte[ClientHelloReader.MaxClientHelloLength + 4096];
        var received = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, ct);
            if (read == 0)
            {
                // A client whose TLS stack refuses the requested settings (TLS 1.3 only on an older OS) connects and hangs up.
                Assert.SkipWhen(received == 0, $"{clientName} connected but closed without sending anything, so its TLS stack cannot do what this " +
                    $"test asks: {describeClient()}");
                Assert.Fail($"{clientName} closed the connection after {received} bytes, before its ClientHello was complete: {describeClient()}");
            }

            received += read;
            switch (ClientHelloReader.TryRead(buffer.AsSpan(0, received), out var hello, out var error, out var consumed))
            {
                case ClientHelloReadStatus.Complete:
                    Assert.InRange(consumed, 1, received);
                    return hello!;
                case ClientHelloReadStatus.Invalid:
                    Assert.Fail($"{clientName} sent bytes that are not a ClientHello: {error}\n{WireText.HexDump(buffer.AsSpan(0, received))}");
                    break;
            }

            Assert.True(received < buffer.Length, $"{clientName} sent {received} bytes without completing a ClientHello.");
        }
    }
}
