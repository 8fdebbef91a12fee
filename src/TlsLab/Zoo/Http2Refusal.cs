using System.Buffers.Binary;

namespace TlsLab.Zoo;

/// <summary>
/// What the lab says to a client that negotiated <c>h2</c> and then speaks HTTP/2: the lab speaks HTTP/1.1 only, so it answers the
/// first request with the HTTP/2 error HTTP_1_1_REQUIRED (RFC 9113, section 7), which tells curl and browsers to ask again over
/// HTTP/1.1 on a new connection. The handful of frames needed is written by hand; nothing else of HTTP/2 is implemented.
/// </summary>
internal static class Http2Refusal
{
    /// <summary>The 24 bytes an HTTP/2 client sends first.</summary>
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    private const byte Headers = 0x1;
    private const byte RstStream = 0x3;
    private const byte Settings = 0x4;
    private const uint Http11Required = 0xd;
    private const int MaxFrames = 16;

    /// <summary>Reads the client's preface and frames up to its first request, refuses that request, and says goodbye.</summary>
    /// <returns>What happened, in one line, for the connection's record.</returns>
    public static async Task<string> RefuseAsync(Stream stream, CancellationToken cancellationToken)
    {
        var preface = new byte[Preface.Length];
        await stream.ReadExactlyAsync(preface, cancellationToken).ConfigureAwait(false);
        if (!preface.AsSpan().SequenceEqual(Preface))
        {
            return "h2 was negotiated, but the client did not send the HTTP/2 preface.";
        }

        // The server's preface is a SETTINGS frame (empty: the defaults).
        await WriteFrameAsync(stream, Settings, 0, 0, [], cancellationToken).ConfigureAwait(false);
        var header = new byte[9];
        for (var i = 0; i < MaxFrames; i++)
        {
            await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var type = header[3];
            var streamId = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fffffff;
            if (length > 16_384)
            {
                break;
            }

            await stream.ReadExactlyAsync(new byte[length], cancellationToken).ConfigureAwait(false);
            if (type == Headers && streamId != 0)
            {
                var code = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(code, Http11Required);
                await WriteFrameAsync(stream, RstStream, 0, streamId, code, cancellationToken).ConfigureAwait(false);
                // No GOAWAY: a client that reads GOAWAY before the reset gives up instead of retrying. It closes this connection itself.
                await DrainAsync(stream, cancellationToken).ConfigureAwait(false);
                return "h2 was negotiated; the lab speaks HTTP/1.1 only, so it answered the HTTP/2 request with HTTP_1_1_REQUIRED.";
            }
        }

        return "h2 was negotiated, but no HTTP/2 request came.";
    }

    // Reads (and drops) whatever the client still sends until it closes the connection, for at most two seconds.
    private static async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(2));
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client kept the connection open or reset it: either way, it has the answer.
        }
    }

    private static async Task WriteFrameAsync(Stream stream, byte type, byte flags, uint streamId, byte[] payload, CancellationToken cancellationToken)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
