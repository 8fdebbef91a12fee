using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TlsLab.Wire;

/// <summary>One labelled field of a decoded message: its name as the RFC calls it and its value in words.</summary>
internal sealed record TlsField(string Name, string Value);

/// <summary>One decoded protocol message (a handshake message, an alert, a change_cipher_spec, some application data).</summary>
internal sealed record TlsMessage(string Name, int Length, IReadOnlyList<TlsField> Fields, byte[] Body);

/// <summary>
/// Decodes the plaintext messages of TLS 1.2 and 1.3 into labelled fields. Every read is bounds-checked: a message that ends
/// early or lies about a length becomes a message with a field saying so, never an exception.
/// </summary>
internal static class TlsMessages
{
    /// <summary>Cuts complete handshake messages (type, 3-byte length, body) off the front of <paramref name="buffer"/>.</summary>
    public static List<(byte Type, byte[] Message)> TakeHandshakeMessages(List<byte> buffer)
    {
        var messages = new List<(byte, byte[])>();
        while (TlsCursor.HandshakeHeader(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer), out var type, out var length) &&
            buffer.Count >= TlsCursor.HandshakeHeaderSize + length)
        {
            messages.Add((type, [.. buffer.GetRange(0, TlsCursor.HandshakeHeaderSize + length)]));
            buffer.RemoveRange(0, TlsCursor.HandshakeHeaderSize + length);
        }

        return messages;
    }

    /// <summary>Decodes one whole handshake message (header included).</summary>
    public static TlsMessage Handshake(byte[] message, bool tls13)
    {
        var type = message[0];
        var name = type switch
        {
            1 => "ClientHello",
            2 => "ServerHello",
            4 => "NewSessionTicket",
            8 => "EncryptedExtensions",
            11 => "Certificate",
            12 => "ServerKeyExchange",
            13 => "CertificateRequest",
            14 => "ServerHelloDone",
            15 => "CertificateVerify",
            16 => "ClientKeyExchange",
            20 => "Finished",
            24 => "KeyUpdate",
            _ => TlsNames.HandshakeType(type),
        };
        var fields = new List<TlsField>
        {
            new("handshake header", $"type {type} ({TlsNames.HandshakeType(type)}), length {message.Length - 4}"),
        };
        var body = message[4..];
        try
        {
            var reader = new Reader(body);
            switch (type)
            {
                case 1:
                    Hello(reader, fields, client: true);
                    break;
                case 2:
                    if (body.Length >= 34 && HelloRetryRequest.IsRandom(body.AsSpan(2, 32)))
                    {
                        name = "HelloRetryRequest";
                    }

                    Hello(reader, fields, client: false);
                    break;
                case 4:
                    NewSessionTicket(reader, fields, tls13);
                    break;
                case 8:
                    var encrypted = Extensions(reader.Block(2), ExtensionContext.Encrypted);
                    fields.AddRange(encrypted.Count > 0 ? encrypted : [new("extensions", "none: nothing beyond the ServerHello to say")]);
                    break;
                case 11:
                    Certificates(reader, fields, tls13);
                    break;
                case 12:
                    ServerKeyExchange(reader, fields);
                    break;
                case 13:
                    fields.Add(new("certificate request", $"{body.Length} bytes: the server asks the client for a certificate"));
                    break;
                case 14:
                    fields.Add(new("server hello done", "the server's flight is over; the client's turn"));
                    break;
                case 15:
                    var scheme = reader.U16();
                    var signature = reader.Block(2);
                    fields.Add(new("signature algorithm", TlsNames.SignatureScheme(scheme)));
                    fields.Add(new("signature", $"{signature.Length} bytes, over the transcript so far, with the certificate's key: " +
                        "proves the server holds the private key"));
                    break;
                case 16:
                    var share = reader.Block(1);
                    fields.Add(new("client key share", $"{share.Length} bytes: {Hex(share, 40)}"));
                    break;
                case 20:
                    fields.Add(new("verify data", $"{Hex(body, 64)}: an HMAC of every handshake message so far; a changed message " +
                        "would not match"));
                    break;
                case 24:
                    fields.Add(new("key update", "the sender changes its traffic key from here (not followed by this kit)"));
                    break;
                default:
                    fields.Add(new("body", $"{body.Length} bytes"));
                    break;
            }
        }
        catch (MalformedException e)
        {
            fields.Add(new("malformed", e.Message));
        }

        return new TlsMessage(name, message.Length, fields, message);
    }

    public static TlsMessage Alert(byte[] plaintext)
    {
        if (plaintext.Length != 2)
        {
            return new TlsMessage("Alert", plaintext.Length, [new("malformed", $"an alert is 2 bytes, this one is {plaintext.Length}")], plaintext);
        }

        var level = plaintext[0] switch { 1 => "warning", 2 => "fatal", _ => $"unknown ({plaintext[0]})" };
        return new TlsMessage($"Alert: {TlsNames.AlertDescription(plaintext[1])}", 2,
        [
            new("level", $"{plaintext[0]} ({level})"),
            new("description", $"{plaintext[1]} ({TlsNames.AlertDescription(plaintext[1])})" +
                (plaintext[1] == 0 ? ": the sender has finished writing; nothing after this is real data" : string.Empty)),
        ], plaintext);
    }

    public static TlsMessage ChangeCipherSpec(byte[] plaintext, bool tls13) => new("ChangeCipherSpec", plaintext.Length,
    [
        new("meaning", tls13
            ? "none: TLS 1.3 sends it only so middleboxes that expect TLS 1.2 let the connection through"
            : "from the next record on, this side encrypts with the keys just agreed"),
    ], plaintext);

    public static TlsMessage ApplicationData(byte[] plaintext)
    {
        var text = Encoding.UTF8.GetString(plaintext);
        var firstLine = text.Split('\n', 2)[0].TrimEnd('\r');
        var printable = plaintext.Length > 0 &&
            plaintext.Count(b => b is >= 0x20 and < 0x7F or (byte)'\r' or (byte)'\n' or (byte)'\t') * 10 >= plaintext.Length * 9;
        List<TlsField> fields =
        [
            new("content", printable ? $"{plaintext.Length} bytes of text; first line: {firstLine}" : $"{plaintext.Length} bytes: {Hex(plaintext, 32)}"),
        ];
        if (printable)
        {
            // The text itself (an HTTP request or answer), line by line, cut after a screenful.
            var shown = 1200;
            var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal);
            fields.Add(new("text", lines.Length <= shown ? lines.TrimEnd('\n') : lines[..shown] + $"\n... ({text.Length - shown} more characters)"));
        }

        return new TlsMessage("Application data", plaintext.Length, fields, plaintext);
    }

    private static void Hello(Reader reader, List<TlsField> fields, bool client)
    {
        var version = reader.U16();
        fields.Add(new("legacy version", $"{version >> 8},{version & 0xFF} ({TlsNames.Version(version)}): frozen at TLS 1.2 since TLS 1.3, " +
            "which moved the real version into the supported_versions extension"));
        var random = reader.Bytes(32);
        fields.Add(new("random", Hex(random, 32) + (client
            ? ": 32 fresh random bytes; the key log finds this connection's secrets by them"
            : HelloRetryRequest.IsRandom(random) ? ": the fixed HelloRetryRequest value" : ": the server's 32 fresh random bytes")));
        var sessionId = reader.Block(1);
        fields.Add(new("session id", sessionId.Length == 0 ? "empty" : $"{sessionId.Length} bytes: {Hex(sessionId, 32)}" +
            (client ? " (TLS 1.3 clients send a random one, so a middlebox takes the connection for a TLS 1.2 resumption)" : " (echoed)")));
        if (client)
        {
            var suites = reader.Block(2);
            var names = new List<string>();
            for (var i = 0; i + 1 < suites.Length; i += 2)
            {
                names.Add(TlsNames.CipherSuite(BinaryPrimitives.ReadUInt16BigEndian(suites.AsSpan(i))));
            }

            fields.Add(new("cipher suites", $"{names.Count} offered: {string.Join(", ", names)}"));
            var compression = reader.Block(1);
            fields.Add(new("compression methods", compression is [0] ? "null only (compression is off since CRIME)" : Hex(compression, 16)));
        }
        else
        {
            var suite = reader.U16();
            fields.Add(new("cipher suite", $"{TlsNames.CipherSuite(suite)} ({TlsNames.Hex(suite)}), chosen by the server"));
            var compression = reader.U8();
            fields.Add(new("compression method", compression == 0 ? "null" : compression.ToString(CultureInfo.InvariantCulture)));
        }

        if (reader.Remaining > 0)
        {
            fields.AddRange(Extensions(reader.Block(2), client ? ExtensionContext.ClientHello : ExtensionContext.ServerHello));
        }
    }

    private enum ExtensionContext
    {
        ClientHello,
        ServerHello,
        Encrypted,
        Certificate,
    }

    private static List<TlsField> Extensions(byte[] block, ExtensionContext context)
    {
        var fields = new List<TlsField>();
        var reader = new Reader(block);
        while (reader.Remaining > 0)
        {
            var type = reader.U16();
            var data = reader.Block(2);
            string value;
            try
            {
                value = Extension(type, data, context);
            }
            catch (MalformedException e)
            {
                value = "malformed: " + e.Message;
            }

            fields.Add(new($"extension {TlsNames.Extension(type)} ({type})", value));
        }

        return fields;
    }

    private static string Extension(ushort type, byte[] data, ExtensionContext context)
    {
        var reader = new Reader(data);
        switch (type)
        {
            case 0 when data.Length > 0:
                var list = new Reader(reader.Block(2));
                list.U8();
                return $"{Encoding.ASCII.GetString(list.Block(2))}: the name the client wants, sent in the clear (SNI)";
            case 0:
                return "empty: the server used the name the client asked for";
            case 10:
                return string.Join(", ", U16List(reader.Block(2)).Select(TlsNames.Group));
            case 13:
                return string.Join(", ", U16List(reader.Block(2)).Select(TlsNames.SignatureScheme));
            case 16:
                var protocols = new Reader(reader.Block(2));
                var names = new List<string>();
                while (protocols.Remaining > 0)
                {
                    names.Add(Encoding.ASCII.GetString(protocols.Block(1)));
                }

                return string.Join(", ", names);
            case 43 when context == ExtensionContext.ClientHello:
                var versions = reader.Block(1);
                return string.Join(", ", U16List(versions).Select(TlsNames.Version)) + ": the versions the client really offers";
            case 43:
                return $"{TlsNames.Version(reader.U16())}: the version really chosen";
            case 51 when context == ExtensionContext.ClientHello:
                var shares = new Reader(reader.Block(2));
                var keys = new List<string>();
                while (shares.Remaining > 0)
                {
                    var group = shares.U16();
                    var key = shares.Block(2);
                    keys.Add($"{TlsNames.Group(group)}: {key.Length}-byte public key {Hex(key, 16)}");
                }

                return string.Join("; ", keys) + " (guessed ahead, saving a round trip)";
            case 51 when data.Length == 2:
                return $"{TlsNames.Group(reader.U16())}: the server asks for a key share in this group";
            case 51:
                var chosen = reader.U16();
                var serverKey = reader.Block(2);
                return $"{TlsNames.Group(chosen)}: the server's {serverKey.Length}-byte public key {Hex(serverKey, 16)}; with the client's " +
                    "it makes the shared secret";
            case 45:
                return string.Join(", ", reader.Block(1).Select(m => m == 1 ? "psk_dhe_ke" : m == 0 ? "psk_ke" : m.ToString(CultureInfo.InvariantCulture)));
            case 11:
                return string.Join(", ", reader.Block(1).Select(f => f switch
                {
                    0 => "uncompressed",
                    1 => "ansiX962_compressed_prime",
                    2 => "ansiX962_compressed_char2",
                    _ => f.ToString(CultureInfo.InvariantCulture),
                }));
            case 5 when context == ExtensionContext.ClientHello:
                return "asks the server to staple an OCSP answer (proof its certificate is not revoked) to its Certificate";
            case 28:
                return $"{reader.U16()} bytes at most per record";
            case 23:
                return "on: the master secret covers the whole handshake (RFC 7627)";
            case 65281:
                return data is [0] ? "empty: a new connection, not a renegotiation" : $"{data.Length} bytes";
            default:
                return data.Length == 0 ? "empty" : $"{data.Length} bytes: {Hex(data, 16)}";
        }
    }

    private static void Certificates(Reader reader, List<TlsField> fields, bool tls13)
    {
        if (tls13)
        {
            var context = reader.Block(1);
            fields.Add(new("request context", context.Length == 0 ? "empty (a server's certificate)" : Hex(context, 16)));
        }

        var list = new Reader(reader.Block(3));
        var number = 0;
        while (list.Remaining > 0)
        {
            var der = list.Block(3);
            if (tls13)
            {
                list.Block(2);
            }

            string description;
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(der);
                description = $"{der.Length} bytes, subject {certificate.Subject}, issued by {certificate.Issuer}, valid " +
                    $"{certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}";
            }
            catch (CryptographicException)
            {
                description = $"{der.Length} bytes that are not a readable X.509 certificate";
            }

            fields.Add(new($"certificate {number}", description + (number == 0 ? " (the leaf)" : string.Empty)));
            number++;
        }

        if (number == 0)
        {
            fields.Add(new("certificates", "none"));
        }
    }

    private static void ServerKeyExchange(Reader reader, List<TlsField> fields)
    {
        var curveType = reader.U8();
        if (curveType != 3)
        {
            fields.Add(new("parameters", $"curve type {curveType}: not a named curve"));
            return;
        }

        var group = reader.U16();
        var key = reader.Block(1);
        fields.Add(new("named group", TlsNames.Group(group)));
        fields.Add(new("server key share", $"{key.Length} bytes: {Hex(key, 16)}"));
        var scheme = reader.U16();
        var signature = reader.Block(2);
        fields.Add(new("signature", $"{TlsNames.SignatureScheme(scheme)}, {signature.Length} bytes, over both randoms and the key share"));
    }

    private static void NewSessionTicket(Reader reader, List<TlsField> fields, bool tls13)
    {
        var lifetime = reader.U32();
        fields.Add(new("ticket lifetime", $"{lifetime} seconds"));
        if (tls13)
        {
            fields.Add(new("ticket age add", $"0x{reader.U32():x8}"));
            fields.Add(new("ticket nonce", Hex(reader.Block(1), 16)));
        }

        var ticket = reader.Block(2);
        fields.Add(new("ticket", $"{ticket.Length} bytes, opaque to the client: it lets a later connection resume without a full handshake"));
    }

    private static IEnumerable<ushort> U16List(byte[] data)
    {
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            yield return BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(i));
        }
    }

    /// <summary>Lower-case hex, cut after <paramref name="max"/> bytes with the full length said.</summary>
    internal static string Hex(ReadOnlySpan<byte> bytes, int max) => bytes.Length <= max
        ? Convert.ToHexStringLower(bytes)
        : $"{Convert.ToHexStringLower(bytes[..max])}... ({bytes.Length} bytes)";

    private sealed class MalformedException(string message) : Exception(message);

    /// <summary>
    /// <see cref="TlsCursor"/> for a message decoded field by field: reading past the end throws <see cref="MalformedException"/>,
    /// caught per message, so the decoding code reads as the RFC's structures do.
    /// </summary>
    private sealed class Reader(byte[] data)
    {
        private int _position;

        public int Remaining => data.Length - _position;

        public byte U8() => Bytes(1)[0];

        public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

        public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

        public byte[] Bytes(int count)
        {
            var cursor = Here();
            return cursor.Take(count, out var bytes)
                ? Advance(cursor, bytes)
                : throw new MalformedException($"a field needs {count} bytes at offset {_position}, but only {Remaining} are left");
        }

        /// <summary>A length-prefixed block with a 1-, 2- or 3-byte length.</summary>
        public byte[] Block(int lengthBytes)
        {
            var cursor = Here();
            if (!cursor.Length(lengthBytes, out var length))
            {
                throw new MalformedException($"a field needs {lengthBytes} bytes at offset {_position}, but only {Remaining} are left");
            }

            _position += lengthBytes;
            return Bytes(length);
        }

        private TlsCursor Here() => new(data.AsSpan(_position));

        private byte[] Advance(TlsCursor cursor, ReadOnlySpan<byte> bytes)
        {
            _position += cursor.Position;
            return bytes.ToArray();
        }
    }
}
