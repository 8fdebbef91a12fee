using System.Buffers.Binary;
using System.Text;
using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>
/// Reads what a server sends back to a hand-made ClientHello: a ServerHello (and, up to TLS 1.2, the rest of
/// its plaintext first flight), a HelloRetryRequest, an alert, or bytes that are not TLS. Call it after every
/// read with everything received so far; it returns null while the answer is incomplete and the connection
/// still open. It never throws for any input: every length is checked before it is trusted.
/// </summary>
internal static class ServerHelloReader
{
    /// <summary>How much of a first flight is read at most; certificate chains of real servers are a few kilobytes.</summary>
    public const int MaxFlightLength = 256 * 1024;

    /// <summary>Reads the answer in <paramref name="bytes"/>.</summary>
    /// <param name="bytes">Everything the server sent so far.</param>
    /// <param name="closed">True when the connection is closed (or the wait is over): no more bytes will come.</param>
    /// <returns>The answer, or null when more bytes are needed and may still come.</returns>
    public static ServerAnswer? TryRead(ReadOnlySpan<byte> bytes, bool closed)
    {
        var state = new State();
        var position = 0;
        while (position < bytes.Length)
        {
            var status = TlsRecordReader.TryReadHeader(bytes, position, out var record, out var error);
            if (status == TlsRecordReadStatus.Invalid)
            {
                return state.Hello is not null
                    ? state.Finish(false)
                    : position == 0 && error!.Kind == TlsParseErrorKind.NotTls
                        ? NotTls(bytes)
                        : Malformed($"The server's answer stops being TLS at byte {error!.Offset}: {error.Message}");
            }

            if (status == TlsRecordReadStatus.NeedMoreData || record.TotalLength > bytes.Length - position)
            {
                break;
            }

            var payload = bytes.Slice(position + TlsRecordHeader.Size, record.Length);
            switch (record.ContentType)
            {
                case TlsContentType.Alert:
                    if (state.Hello is not null)
                    {
                        return state.Finish(false);
                    }

                    if (payload.Length < 2)
                    {
                        return Malformed($"The alert record at byte {position} carries {payload.Length} byte(s); an alert is 2 bytes (level, description).");
                    }

                    return new ServerAnswer { Kind = ServerAnswerKind.Alert, AlertLevel = payload[0], AlertDescription = payload[1] };

                case TlsContentType.Handshake:
                    if (state.Buffer.Count + payload.Length > MaxFlightLength)
                    {
                        return state.Hello is not null
                            ? state.Finish(false)
                            : Malformed($"The server sent more than {MaxFlightLength} bytes of handshake without a ServerHello.");
                    }

                    state.Buffer.AddRange(payload);
                    if (state.ReadMessages(position) is { } done)
                    {
                        return done;
                    }

                    break;

                default:
                    // ChangeCipherSpec or encrypted records: a resumed session, or anything after the readable part.
                    return state.Hello is not null
                        ? state.Finish(false)
                        : Malformed($"The server sent a {TlsNames.ContentType(record.ContentType)} record at byte {position} before any ServerHello; " +
                            "a server's first message must be a ServerHello or an alert.");
            }

            position += record.TotalLength;
        }

        if (!closed)
        {
            return null;
        }

        if (state.Hello is not null)
        {
            return state.Finish(false);
        }

        return bytes.IsEmpty
            ? new ServerAnswer
            {
                Kind = ServerAnswerKind.NoAnswer,
                Error = "The server closed the connection without answering the ClientHello (no ServerHello, no alert).",
            }
            : Malformed($"The server's answer ends after {bytes.Length} bytes, in the middle of " +
                $"{(state.Buffer.Count == 0 ? "a record" : "its ServerHello")}.");
    }

    private static ServerAnswer NotTls(ReadOnlySpan<byte> bytes)
    {
        var printable = 0;
        while (printable < bytes.Length && printable < 60 && bytes[printable] is >= 0x20 and < 0x7F)
        {
            printable++;
        }

        var excerpt = printable >= 4 ? $" (\"{Encoding.ASCII.GetString(bytes[..printable]).TrimEnd()}\")" : "";
        var message = printable >= 4
            ? $"The server answered in plaintext{excerpt}, not TLS: this port does not speak TLS (or expects STARTTLS first)."
            : $"The server answered with byte {TlsNames.Hex(bytes[0])} first, which starts no TLS record (0x14 to 0x18): this port does not speak TLS.";
        return new ServerAnswer { Kind = ServerAnswerKind.NotTls, Error = message };
    }

    private static ServerAnswer Malformed(string message) => new() { Kind = ServerAnswerKind.Malformed, Error = message };

    /// <summary>The handshake messages seen so far, reassembled across records.</summary>
    private sealed class State
    {
        public readonly List<byte> Buffer = [];
        private int _consumed;

        public ServerAnswer? Hello { get; private set; }

        private List<byte[]> _certificates = [];
        private ushort? _keyExchangeGroup;
        private byte[]? _dhPrime;
        private bool _certificateRequested;
        private bool _ocspStapled;

        public ServerAnswer Finish(bool complete) => Hello! with
        {
            Certificates = _certificates,
            KeyExchangeGroup = _keyExchangeGroup,
            DhPrime = _dhPrime,
            CertificateRequested = _certificateRequested,
            OcspStapled = _ocspStapled,
            FlightComplete = complete,
        };

        /// <summary>Walks every complete message; returns the answer once it is known, else null.</summary>
        public ServerAnswer? ReadMessages(int recordAt)
        {
            var data = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Buffer);
            while (TlsCursor.HandshakeHeader(data[_consumed..], out var type, out var length))
            {
                if (length > MaxFlightLength)
                {
                    return Hello is not null ? Finish(false) : Malformed($"The handshake message in the record at byte {recordAt} claims {length} " +
                        $"bytes; a server's first flight is never that long.");
                }

                if (data.Length - _consumed - TlsCursor.HandshakeHeaderSize < length)
                {
                    return null;
                }

                var body = data.Slice(_consumed + TlsCursor.HandshakeHeaderSize, length);
                _consumed += TlsCursor.HandshakeHeaderSize + length;
                if (Hello is null)
                {
                    if (type != 2)
                    {
                        return Malformed($"The server's first handshake message (in the record at byte {recordAt}) is {TlsNames.HandshakeType(type)}, " +
                            "not server_hello.");
                    }

                    var hello = ReadServerHello(body);
                    if (hello.Kind != ServerAnswerKind.ServerHello || hello.Version >= TlsVersion.Tls13)
                    {
                        // A HelloRetryRequest ends the exchange; in TLS 1.3 everything after the ServerHello is encrypted.
                        return hello;
                    }

                    Hello = hello;
                    continue;
                }

                switch (type)
                {
                    case 11:
                        _certificates = ReadCertificates(body);
                        break;
                    case 12:
                        ReadServerKeyExchange(body, TlsNames.CipherSuite(Hello.CipherSuite));
                        break;
                    case 13:
                        _certificateRequested = true;
                        break;
                    case 22:
                        _ocspStapled = body.Length >= 1 && body[0] == 1;
                        break;
                    case 14:
                        return Finish(true);
                }
            }

            return null;
        }

        /// <summary>
        /// What the ServerKeyExchange says about the key exchange; its layout depends on the suite (RFC 8422, 5.4 for ECDHE; RFC 5246,
        /// 7.4.3 for DHE), so the suite chosen in the ServerHello decides how it is read. Only the group is kept, never the key.
        /// </summary>
        private void ReadServerKeyExchange(ReadOnlySpan<byte> body, string suite)
        {
            if (suite.Contains("_ECDHE_", StringComparison.Ordinal) || suite.Contains("_ECDH_anon_", StringComparison.Ordinal))
            {
                // ECParameters: curve_type named_curve (3), then the group.
                if (body.Length >= 3 && body[0] == 3)
                {
                    _keyExchangeGroup = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
                }
            }
            else if (suite.Contains("_DHE_", StringComparison.Ordinal) || suite.Contains("_DH_anon_", StringComparison.Ordinal))
            {
                // ServerDHParams: dh_p<1..2^16-1>, dh_g<1..2^16-1>, dh_Ys<1..2^16-1>; the prime's size is the group's strength.
                var cursor = new TlsCursor(body);
                if (cursor.U16(out var length) && cursor.Take(length, out var prime))
                {
                    var first = prime.IndexOfAnyExcept((byte)0);
                    _dhPrime = first < 0 ? [] : prime[first..].ToArray();
                }
            }
        }
    }

    /// <summary>The certificates of a TLS 1.2 Certificate message, as many whole ones as its list holds.</summary>
    private static List<byte[]> ReadCertificates(ReadOnlySpan<byte> body)
    {
        var certificates = new List<byte[]>();
        var message = new TlsCursor(body);
        if (!message.Length(3, out var listLength))
        {
            return certificates;
        }

        // A list that claims more than the message holds is read as far as it goes.
        message.Take(Math.Min(listLength, message.Left), out var listBytes);
        var list = new TlsCursor(listBytes);
        while (list.Vector(3, out var certificate))
        {
            certificates.Add(certificate.ToArray());
        }

        return certificates;
    }

    /// <summary>Reads a ServerHello body (after the 4-byte handshake header); any shortfall is a Malformed answer.</summary>
    private static ServerAnswer ReadServerHello(ReadOnlySpan<byte> body)
    {
        var cursor = new TlsCursor(body);
        if (!cursor.U16(out var legacyVersion) || !cursor.Take(32, out var random) || !cursor.U8(out var sessionIdLength) ||
            !cursor.Take(sessionIdLength, out _) || !cursor.U16(out var suite) || !cursor.U8(out var compression))
        {
            return Malformed($"The ServerHello is {body.Length} bytes long, too short for its fixed fields (version, random, session id, " +
                "cipher suite, compression).");
        }

        var retry = HelloRetryRequest.IsRandom(random);
        var answer = new ServerAnswer
        {
            Kind = retry ? ServerAnswerKind.HelloRetryRequest : ServerAnswerKind.ServerHello,
            Version = legacyVersion,
            CipherSuite = suite,
            Compression = compression,
        };
        if (cursor.AtEnd)
        {
            return answer;
        }

        if (!cursor.U16(out var extensionsLength) || extensionsLength != cursor.Left)
        {
            return Malformed($"The ServerHello's extensions length does not match the {cursor.Left} bytes left in it.");
        }

        while (!cursor.AtEnd)
        {
            if (!cursor.U16(out var type) || !cursor.U16(out var length) || !cursor.Take(length, out var data))
            {
                return Malformed("A ServerHello extension runs past the end of the ServerHello.");
            }

            var ext = new TlsCursor(data);
            switch (type)
            {
                case TlsExtensionType.SupportedVersions:
                    if (!ext.U16(out var selected))
                    {
                        return Malformed("The ServerHello's supported_versions extension is shorter than the 2 bytes of one version.");
                    }

                    answer = answer with { Version = selected };
                    break;
                case TlsExtensionType.KeyShare:
                    if (!ext.U16(out var group))
                    {
                        return Malformed("The ServerHello's key_share extension is shorter than the 2 bytes of a group.");
                    }

                    answer = answer with { Group = group };
                    break;
                case TlsExtensionType.ApplicationLayerProtocolNegotiation:
                    if (!ext.U16(out _) || !ext.U8(out var nameLength) || !ext.Take(nameLength, out var name) || nameLength == 0)
                    {
                        return Malformed("The ServerHello's ALPN extension does not hold one protocol name.");
                    }

                    answer = answer with { Alpn = Encoding.ASCII.GetString(name) };
                    break;
                case TlsExtensionType.StatusRequest:
                    answer = answer with { StatusRequestAcknowledged = true };
                    break;
                case TlsExtensionType.SessionTicket:
                    answer = answer with { SessionTicketPromised = true };
                    break;
                case TlsExtensionType.ExtendedMasterSecret:
                    answer = answer with { ExtendedMasterSecret = true };
                    break;
                case TlsExtensionType.RenegotiationInfo:
                    answer = answer with { SecureRenegotiation = true };
                    break;
            }
        }

        return answer;
    }
}
