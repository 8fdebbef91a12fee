using System.Buffers.Binary;

namespace TlsLab.Wire;

/// <summary>
/// Walks the body of a ClientHello handshake message that may have arrived only in part.
/// Every length is checked against the structure that encloses it (declared sizes) before any byte past
/// it is touched, and running out of received bytes is told apart from running out of declared room:
/// the first means "wait for more", the second means "this can never become a valid ClientHello".
/// </summary>
internal ref struct ClientHelloParser
{
    private const string Hello = "the ClientHello";

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _end;
    private readonly FragmentMap _map;
    private readonly Collected _out = new();
    private int _pos;

    /// <param name="data">The handshake message bytes received so far, handshake header included.</param>
    /// <param name="declaredEnd">4 plus the body length from the handshake header.</param>
    /// <param name="map">Translates message positions into input offsets for error messages.</param>
    public ClientHelloParser(ReadOnlySpan<byte> data, int declaredEnd, FragmentMap map)
    {
        _data = data;
        _end = declaredEnd;
        _map = map;
    }

    public TlsParseError? Error { get; private set; }

    public bool NeedsMoreData { get; private set; }

    /// <summary>True when the whole message parsed; otherwise either <see cref="Error"/> or <see cref="NeedsMoreData"/> is set.</summary>
    public bool Parse()
    {
        _pos = 4;
        if (!U16(_end, "The legacy_version field", Hello, TlsParseErrorKind.LengthMismatch, out var legacyVersion))
        {
            return false;
        }

        _out.LegacyVersion = (ushort)legacyVersion;

        var randomStart = _pos;
        if (!Take(32, _end, "The random field", Hello, TlsParseErrorKind.LengthMismatch))
        {
            return false;
        }

        _pos += 32;
        _out.Random = randomStart.._pos;

        var sessionIdLengthAt = _pos;
        if (!U8(_end, "The session_id length", Hello, TlsParseErrorKind.LengthMismatch, out var sessionIdLength))
        {
            return false;
        }

        if (sessionIdLength > 32)
        {
            return Fail(TlsParseErrorKind.BadField, sessionIdLengthAt, $"The session_id length at byte {At(sessionIdLengthAt)} is {sessionIdLength}, " +
                "but a session id is at most 32 bytes long.");
        }

        var sessionIdStart = _pos;
        if (!Take(sessionIdLength, _end, "The session_id", Hello, TlsParseErrorKind.LengthMismatch))
        {
            return false;
        }

        _pos += sessionIdLength;
        _out.SessionId = sessionIdStart.._pos;

        return ParseCipherSuites() && ParseCompressionMethods() && ParseExtensions();
    }

    public ClientHello Build(byte[] message) => new(
        message,
        _out.LegacyVersion,
        _out.Random,
        _out.SessionId,
        [.. _out.CipherSuites],
        _out.CompressionMethods,
        [.. _out.Extensions.Select(e => new TlsExtension(e.Type, message.AsMemory(e.Data)))],
        _out.ServerName,
        [.. _out.SupportedVersions],
        [.. _out.SupportedGroups],
        [.. _out.SignatureAlgorithms],
        [.. _out.Alpn],
        [.. _out.KeyShareGroups]);

    private bool ParseCipherSuites()
    {
        var lengthAt = _pos;
        if (!U16(_end, "The cipher_suites length", Hello, TlsParseErrorKind.LengthMismatch, out var length))
        {
            return false;
        }

        if (length == 0)
        {
            return Fail(TlsParseErrorKind.BadField, lengthAt, $"The cipher_suites list at byte {At(lengthAt)} is empty; a ClientHello must offer at " +
                "least one cipher suite.");
        }

        if (length % 2 != 0)
        {
            return Fail(TlsParseErrorKind.BadField, lengthAt, $"The cipher_suites length at byte {At(lengthAt)} is {length}, an odd number, but every " +
                "cipher suite takes 2 bytes.");
        }

        if (!Take(length, _end, "The cipher_suites list", Hello, TlsParseErrorKind.LengthMismatch))
        {
            return false;
        }

        for (var i = 0; i < length; i += 2)
        {
            _out.CipherSuites.Add(BinaryPrimitives.ReadUInt16BigEndian(_data[(_pos + i)..]));
        }

        _pos += length;
        return true;
    }

    private bool ParseCompressionMethods()
    {
        var lengthAt = _pos;
        if (!U8(_end, "The compression_methods length", Hello, TlsParseErrorKind.LengthMismatch, out var length))
        {
            return false;
        }

        if (length == 0)
        {
            return Fail(TlsParseErrorKind.BadField, lengthAt, $"The compression_methods list at byte {At(lengthAt)} is empty; it must contain at " +
                "least method 0 (no compression).");
        }

        if (!Take(length, _end, "The compression_methods list", Hello, TlsParseErrorKind.LengthMismatch))
        {
            return false;
        }

        _out.CompressionMethods = _data.Slice(_pos, length).ToArray();
        _pos += length;
        return true;
    }

    private bool ParseExtensions()
    {
        // Hellos from before TLS 1.2 may end right after the compression methods, with no extensions block at all.
        if (_pos == _end)
        {
            return true;
        }

        var lengthAt = _pos;
        if (!U16(_end, "The extensions length", Hello, TlsParseErrorKind.LengthMismatch, out var length))
        {
            return false;
        }

        if (length != _end - _pos)
        {
            return Fail(
                TlsParseErrorKind.LengthMismatch,
                lengthAt,
                $"The extensions length at byte {At(lengthAt)} says {length} bytes, but the ClientHello has {_end - _pos} bytes left after it; the " +
                    "two lengths must agree.");
        }

        var seen = new HashSet<ushort>();
        while (_pos < _end)
        {
            var typeAt = _pos;
            if (!U16(_end, "An extension type", "the extensions block", TlsParseErrorKind.LengthMismatch, out var type) ||
                !U16(_end, $"The {TlsNames.Extension((ushort)type)} extension " +
                    "length", "the extensions block", TlsParseErrorKind.LengthMismatch, out var dataLength))
            {
                return false;
            }

            var name = TlsNames.Extension((ushort)type);
            if (dataLength > _end - _pos)
            {
                return Fail(
                    TlsParseErrorKind.LengthMismatch,
                    typeAt + 2,
                    $"The {name} extension at byte {At(typeAt)} claims {dataLength} bytes of data, but the extensions block has only {_end - _pos} " +
                        "bytes left.");
            }

            if (!seen.Add((ushort)type))
            {
                return Fail(TlsParseErrorKind.BadExtension, typeAt, $"The {name} extension appears a second time at byte {At(typeAt)}; each extension " +
                    "may appear only once in a ClientHello.");
            }

            var dataStart = _pos;
            var dataEnd = _pos + dataLength;
            if (!ParseExtensionData((ushort)type, name, dataEnd))
            {
                return false;
            }

            _out.Extensions.Add(((ushort)type, dataStart..dataEnd));
        }

        return true;
    }

    private bool ParseExtensionData(ushort type, string name, int end)
    {
        switch (type)
        {
            case TlsExtensionType.ServerName:
                return ParseServerName(end);
            case TlsExtensionType.SupportedVersions:
                return ParseU16List(1, end, name, "version", _out.SupportedVersions);
            case TlsExtensionType.SupportedGroups:
                return ParseU16List(2, end, name, "named group", _out.SupportedGroups);
            case TlsExtensionType.SignatureAlgorithms:
                return ParseU16List(2, end, name, "signature scheme", _out.SignatureAlgorithms);
            case TlsExtensionType.ApplicationLayerProtocolNegotiation:
                return ParseAlpn(end);
            case TlsExtensionType.KeyShare:
                return ParseKeyShare(end);
            default:
                if (!Take(end - _pos, end, $"The {name} extension", $"the {name} extension", TlsParseErrorKind.BadExtension))
                {
                    return false;
                }

                _pos = end;
                return true;
        }
    }

    private bool ParseServerName(int end)
    {
        const string ext = "server_name";
        if (!ExactLength(2, end, ext, "server_name_list", out var listEnd))
        {
            return false;
        }

        if (listEnd == _pos)
        {
            return Fail(TlsParseErrorKind.BadExtension, _pos - 2, $"The server_name extension at byte {At(_pos - 2)} holds an empty list; a client " +
                "that has no name to send leaves the extension out.");
        }

        while (_pos < listEnd)
        {
            if (!U8(listEnd, "A server_name entry type", "the server_name list", TlsParseErrorKind.BadExtension, out var nameType) ||
                !U16(listEnd, "A server_name entry length", "the server_name list", TlsParseErrorKind.BadExtension, out var nameLength))
            {
                return false;
            }

            if (nameLength == 0 || nameLength > listEnd - _pos)
            {
                return Fail(
                    TlsParseErrorKind.BadExtension,
                    _pos - 2,
                    $"A server_name entry at byte {At(_pos - 2)} claims a {nameLength}-byte name, but {listEnd - _pos} bytes are left in the list and " +
                        "a name cannot be empty.");
            }

            if (!Take(nameLength, listEnd, "A server name", "the server_name list", TlsParseErrorKind.BadExtension))
            {
                return false;
            }

            if (nameType == 0)
            {
                var name = _data.Slice(_pos, nameLength);
                var bad = name.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E);
                if (bad >= 0)
                {
                    return Fail(
                        TlsParseErrorKind.BadExtension,
                        _pos + bad,
                        $"The server name at byte {At(_pos)} contains byte {TlsNames.Hex(name[bad])} at byte {At(_pos + bad)}, which cannot appear in " +
                            "a DNS host name (SNI carries ASCII only).");
                }

                _out.ServerName ??= System.Text.Encoding.ASCII.GetString(name);
            }

            _pos += nameLength;
        }

        return true;
    }

    private bool ParseU16List(int prefix, int end, string ext, string item, List<ushort> into)
    {
        var lengthAt = _pos;
        if (!ExactLength(prefix, end, ext, "list", out var listEnd))
        {
            return false;
        }

        var length = listEnd - _pos;
        if (length == 0 || length % 2 != 0)
        {
            return Fail(
                TlsParseErrorKind.BadExtension,
                lengthAt,
                $"The {ext} extension at byte {At(lengthAt)} has a {length}-byte list, but it must hold at least one {item} and each takes 2 bytes.");
        }

        while (_pos < listEnd)
        {
            if (!U16(listEnd, $"A {item}", $"the {ext} list", TlsParseErrorKind.BadExtension, out var value))
            {
                return false;
            }

            into.Add((ushort)value);
        }

        return true;
    }

    private bool ParseAlpn(int end)
    {
        const string ext = "application_layer_protocol_negotiation";
        if (!ExactLength(2, end, ext, "protocol_name_list", out var listEnd))
        {
            return false;
        }

        if (listEnd == _pos)
        {
            return Fail(TlsParseErrorKind.BadExtension, _pos - 2, $"The ALPN extension at byte {At(_pos - 2)} holds an empty protocol list; it must " +
                "name at least one protocol.");
        }

        while (_pos < listEnd)
        {
            if (!U8(listEnd, "An ALPN protocol name length", "the ALPN list", TlsParseErrorKind.BadExtension, out var length))
            {
                return false;
            }

            if (length == 0 || length > listEnd - _pos)
            {
                return Fail(
                    TlsParseErrorKind.BadExtension,
                    _pos - 1,
                    $"An ALPN protocol name at byte {At(_pos - 1)} claims {length} bytes, but {listEnd - _pos} bytes are left in the list and a name " +
                        "cannot be empty.");
            }

            if (!Take(length, listEnd, "An ALPN protocol name", "the ALPN list", TlsParseErrorKind.BadExtension))
            {
                return false;
            }

            _out.Alpn.Add(ProtocolName(_data.Slice(_pos, length)));
            _pos += length;
        }

        return true;
    }

    private bool ParseKeyShare(int end)
    {
        const string ext = "key_share";

        // An empty list is legal: the client asks the server to pick a group and request a share (HelloRetryRequest).
        if (!ExactLength(2, end, ext, "client_shares", out var listEnd))
        {
            return false;
        }

        while (_pos < listEnd)
        {
            if (!U16(listEnd, "A key_share entry's group", "the key_share list", TlsParseErrorKind.BadExtension, out var group) ||
                !U16(listEnd, "A key_share entry's key length", "the key_share list", TlsParseErrorKind.BadExtension, out var keyLength))
            {
                return false;
            }

            if (keyLength == 0 || keyLength > listEnd - _pos)
            {
                return Fail(
                    TlsParseErrorKind.BadExtension,
                    _pos - 2,
                    $"The {TlsNames.Group((ushort)group)} key share at byte {At(_pos - 4)} claims a {keyLength}-byte key, but {listEnd - _pos} bytes " +
                        "are left in the list and a key cannot be empty.");
            }

            if (!Take(keyLength, listEnd, "A key share", "the key_share list", TlsParseErrorKind.BadExtension))
            {
                return false;
            }

            _out.KeyShareGroups.Add((ushort)group);
            _pos += keyLength;
        }

        return true;
    }

    /// <summary>Reads a length prefix that must cover exactly the rest of an extension's data.</summary>
    private bool ExactLength(int prefix, int end, string ext, string what, out int vectorEnd)
    {
        vectorEnd = 0;
        var lengthAt = _pos;
        int length;
        if (prefix == 1)
        {
            if (!U8(end, $"The {what} length", $"the {ext} extension", TlsParseErrorKind.BadExtension, out var b))
            {
                return false;
            }

            length = b;
        }
        else if (!U16(end, $"The {what} length", $"the {ext} extension", TlsParseErrorKind.BadExtension, out length))
        {
            return false;
        }

        if (length != end - _pos)
        {
            return Fail(
                TlsParseErrorKind.BadExtension,
                lengthAt,
                $"The {ext} extension at byte {At(lengthAt)} says its {what} is {length} bytes, but {end - _pos} bytes of the extension follow; the " +
                    "two must agree.");
        }

        vectorEnd = _pos + length;
        return true;
    }

    /// <summary>
    /// True when <paramref name="count"/> bytes at the current position both fit before <paramref name="limit"/>
    /// and have been received. Not fitting is an error; not received yet only sets <see cref="NeedsMoreData"/>.
    /// </summary>
    private bool Take(int count, int limit, string what, string within, TlsParseErrorKind kind)
    {
        if (count > limit - _pos)
        {
            return Fail(kind, _pos, $"{what} at byte {At(_pos)} needs {count} byte{(count == 1 ? "" : "s")}, but {within} has only {limit - _pos} left.");
        }

        if (count > _data.Length - _pos)
        {
            NeedsMoreData = true;
            return false;
        }

        return true;
    }

    private bool U8(int limit, string what, string within, TlsParseErrorKind kind, out byte value)
    {
        value = 0;
        if (!Take(1, limit, what, within, kind))
        {
            return false;
        }

        value = _data[_pos++];
        return true;
    }

    private bool U16(int limit, string what, string within, TlsParseErrorKind kind, out int value)
    {
        value = 0;
        if (!Take(2, limit, what, within, kind))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_data[_pos..]);
        _pos += 2;
        return true;
    }

    private bool Fail(TlsParseErrorKind kind, int position, string message)
    {
        Error = new TlsParseError(kind, At(position), message);
        return false;
    }

    private readonly int At(int position) => _map.ToInputOffset(position);

    /// <summary>ALPN names are opaque bytes; the registered ones are ASCII, and anything else is shown as hex.</summary>
    private static string ProtocolName(ReadOnlySpan<byte> name) =>
        name.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0
            ? System.Text.Encoding.ASCII.GetString(name)
            : "0x" + Convert.ToHexString(name);

    private sealed class Collected
    {
        public ushort LegacyVersion;
        public Range Random;
        public Range SessionId;
        public readonly List<ushort> CipherSuites = [];
        public byte[] CompressionMethods = [];
        public readonly List<(ushort Type, Range Data)> Extensions = [];
        public string? ServerName;
        public readonly List<ushort> SupportedVersions = [];
        public readonly List<ushort> SupportedGroups = [];
        public readonly List<ushort> SignatureAlgorithms = [];
        public readonly List<string> Alpn = [];
        public readonly List<ushort> KeyShareGroups = [];
    }
}
