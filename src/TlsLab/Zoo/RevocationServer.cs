using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using TlsLab.Pki;

namespace TlsLab.Zoo;

/// <summary>
/// The lab's revocation service, plain HTTP on loopback: each CA's CRL at <c>/pki/RUN/SLUG.crl</c> and its
/// OCSP responder at <c>/pki/RUN/ocsp/SLUG</c> (POST, or GET with the request in the path, as RFC 6960
/// allows), the addresses every lab certificate names. So a client left at .NET's default revocation
/// check (online) validates the zoo with no internet. RUN is new for every lab: clients cache CRLs by
/// address, and a cached list signed by the previous lab's CA would not verify.
/// </summary>
internal sealed class RevocationServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _requestTimeout;
    private readonly string _prefix;
    private WorkshopPki? _pki;
    private Task? _accepting;
    private int _answered;

    private RevocationServer(TcpListener listener, IPAddress host, TimeSpan requestTimeout)
    {
        _listener = listener;
        _requestTimeout = requestTimeout;
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _prefix = $"/pki/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}/";
        var shown = host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString();
        BaseUri = new Uri($"http://{shown}:{port.ToString(CultureInfo.InvariantCulture)}{_prefix}");
    }

    /// <summary>Where the CAs publish: <c>http://127.0.0.1:PORT/pki/RUN/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>How many requests it has answered (CRLs and OCSP), for tests.</summary>
    public int Answered => _answered;

    /// <summary>Listens on an ephemeral port of <paramref name="bindAddress"/> (addresses name loopback when it listens on every interface).</summary>
    public static RevocationServer Listen(IPAddress bindAddress, TimeSpan requestTimeout)
    {
        var listener = new TcpListener(bindAddress, 0);
        listener.Start();
        var host = bindAddress.Equals(IPAddress.Any) ? IPAddress.Loopback : bindAddress.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : bindAddress;
        return new RevocationServer(listener, host, requestTimeout);
    }

    /// <summary>Starts answering for <paramref name="pki"/>.</summary>
    public void Start(WorkshopPki pki)
    {
        _pki = pki;
        _accepting = AcceptAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            deadline.CancelAfter(_requestTimeout);
            try
            {
                var stream = client.GetStream();
                var (status, type, body) = await AnswerAsync(stream, deadline.Token).ConfigureAwait(false);
                var head = $"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n" +
                    "Cache-Control: no-store\r\nServer: tlslab\r\n\r\n";
                await stream.WriteAsync(Encoding.Latin1.GetBytes(head), deadline.Token).ConfigureAwait(false);
                await stream.WriteAsync(body, deadline.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _answered);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A client that went away or took too long: nothing to answer.
            }
        }
    }

    private async Task<(string Status, string Type, byte[] Body)> AnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        int end;
        while ((end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (length == buffer.Length)
            {
                return Text("431 Request Header Fields Too Large", "The request head is too large.");
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return Text("400 Bad Request", "The request ended before its head did.");
            }

            length += read;
        }

        var lines = Encoding.Latin1.GetString(buffer, 0, end).Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3)
        {
            return Text("400 Bad Request", "Not an HTTP request line.");
        }

        var (method, target) = (parts[0], Uri.UnescapeDataString(parts[1]));
        var contentLength = lines.Skip(1).Select(l => l.Split(':', 2)).Where(h => h.Length == 2 && h[0].Trim().Equals("Content-Length",
            StringComparison.OrdinalIgnoreCase)).Select(h => int.TryParse(h[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : -1).FirstOrDefault();
        if (!target.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return Text("404 Not Found", $"This lab publishes revocation under {BaseUri}.");
        }

        var path = target[_prefix.Length..];
        if (method == "GET" && path.EndsWith(".crl", StringComparison.Ordinal) && _pki!.Authority(path[..^4]) is { } issuer)
        {
            return ("200 OK", "application/pkix-crl", issuer.BuildCrl());
        }

        if (!path.StartsWith("ocsp/", StringComparison.Ordinal))
        {
            return Text("404 Not Found", $"No CRL or OCSP responder at {target}.");
        }

        var rest = path["ocsp/".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var slug = slash < 0 ? rest : rest[..slash];
        if (_pki!.Authority(slug) is not { } ca)
        {
            return Text("404 Not Found", $"No OCSP responder for '{slug}'.");
        }

        byte[] request;
        if (method == "POST")
        {
            if (contentLength is < 0 or > MaxRequestBytes)
            {
                return Text("400 Bad Request", "An OCSP POST needs a Content-Length of at most 64 KiB.");
            }

            request = new byte[contentLength];
            var have = Math.Min(length - (end + 4), contentLength);
            buffer.AsSpan(end + 4, have).CopyTo(request);
            await stream.ReadExactlyAsync(request.AsMemory(have), cancellationToken).ConfigureAwait(false);
        }
        else if (method == "GET" && slash >= 0)
        {
            try
            {
                request = Convert.FromBase64String(rest[(slash + 1)..]);
            }
            catch (FormatException)
            {
                return Text("400 Bad Request", "The OCSP request in the path is not base64.");
            }
        }
        else
        {
            return Text("405 Method Not Allowed", "Send an OCSP request by POST, or by GET with the request base64-encoded in the path.");
        }

        return ("200 OK", "application/ocsp-response", OcspResponder.Answer(ca, request));
    }

    private static (string, string, byte[]) Text(string status, string text) => (status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text + "\n"));
}
