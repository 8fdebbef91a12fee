using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>
/// What one hand-made ClientHello offers. A scanner sends many of these, each changing one thing
/// (one version, the suite list minus what the server already chose, one group), and learns from
/// which ones the server answers.
/// </summary>
internal sealed record ClientHelloSpec
{
    /// <summary>The one version offered: TLS 1.0 to 1.2 in legacy_version, TLS 1.3 in supported_versions.</summary>
    public required ushort Version { get; init; }

    /// <summary>Cipher suites in the order offered; never empty.</summary>
    public required IReadOnlyList<ushort> CipherSuites { get; init; }

    /// <summary>Named groups for supported_groups; empty leaves the extension out.</summary>
    public IReadOnlyList<ushort> Groups { get; init; } = ClientHelloWriter.DefaultGroups;

    /// <summary>
    /// TLS 1.3 only: the groups to send a key share for (each must be in <see cref="Groups"/>). Empty sends
    /// an empty key_share, which asks the server to say which group it wants in a HelloRetryRequest.
    /// </summary>
    public IReadOnlyList<ushort> KeyShares { get; init; } = [0x001D];

    /// <summary>Signature schemes for signature_algorithms; empty leaves the extension out.</summary>
    public IReadOnlyList<ushort> SignatureAlgorithms { get; init; } = ClientHelloWriter.DefaultSignatureAlgorithms;

    /// <summary>The host name for SNI, or null to send none (as for an IP address).</summary>
    public string? ServerName { get; init; }

    /// <summary>Application protocols for ALPN; empty leaves the extension out.</summary>
    public IReadOnlyList<string> Alpn { get; init; } = [];

    /// <summary>Sends status_request, asking the server to staple an OCSP response.</summary>
    public bool StatusRequest { get; init; } = true;

    /// <summary>Sends an empty session_ticket extension, asking a TLS 1.2 server for a ticket.</summary>
    public bool SessionTicket { get; init; } = true;

    /// <summary>Compression methods in the order offered: 0 is none; offering 1 (DEFLATE) first asks whether the server would compress (CRIME).</summary>
    public IReadOnlyList<byte> CompressionMethods { get; init; } = [0];

    /// <summary>
    /// Appends TLS_FALLBACK_SCSV (RFC 7507): "I am retrying with a lower version than I support". A server that supports a higher version
    /// than the one offered must then refuse with inappropriate_fallback, which is how a downgrade by an attacker is caught.
    /// </summary>
    public bool FallbackScsv { get; init; }
}

/// <summary>
/// Writes a ClientHello record by hand, the way testssl.sh and sslyze do: a client that offers exactly
/// what it is told to (TLS 1.0, a single suite, one group) on every platform, which .NET's own client
/// will not. The hello is never followed up; a probe reads the first answer and closes.
/// </summary>
internal static class ClientHelloWriter
{
    public const ushort X25519 = 0x001D;
    public const ushort Secp256r1 = 0x0017;
    public const ushort Secp384r1 = 0x0018;
    public const ushort Secp521r1 = 0x0019;

    /// <summary>The signalling suite of RFC 7507: never a real suite, only a flag in the list.</summary>
    public const ushort TlsFallbackScsv = 0x5600;

    /// <summary>x25519, then the NIST curves, then x448 and the finite-field groups: roughly what browsers offer.</summary>
    public static readonly IReadOnlyList<ushort> DefaultGroups = [X25519, Secp256r1, Secp384r1, Secp521r1, 0x001E, 0x0100, 0x0101];

    /// <summary>Every signature scheme a server certificate of the last twenty years might need.</summary>
    public static readonly IReadOnlyList<ushort> DefaultSignatureAlgorithms =
        [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201];

    /// <summary>The five TLS 1.3 suites.</summary>
    public static readonly IReadOnlyList<ushort> Tls13Suites = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305];

    /// <summary>
    /// Every suite <see cref="TlsNames"/> can name that TLS 1.0-1.2 could negotiate (no TLS 1.3 suite, no signalling value such as
    /// TLS_FALLBACK_SCSV).
    /// </summary>
    public static IReadOnlyList<ushort> LegacySuites { get; } =
        TlsNames.KnownCipherSuites.Where(s => !TlsNames.IsTls13Only(s) && s is not (0x0000 or 0x00FF or TlsFallbackScsv)).ToArray();

    /// <summary>The whole record (5-byte header, then the handshake message), ready to write to a socket.</summary>
    public static byte[] Write(ClientHelloSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Version is < TlsVersion.Ssl30 or > TlsVersion.Tls13)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"{TlsNames.Version(spec.Version)} is not SSL 3.0 or TLS 1.0 to 1.3.");
        }

        if (spec.CompressionMethods.Count is 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), "A ClientHello offers between 1 and 255 compression methods.");
        }

        if (spec.CipherSuites.Count is 0 or > 32_000)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), "A ClientHello offers between 1 and 32000 cipher suites.");
        }

        var tls13 = spec.Version == TlsVersion.Tls13;
        var body = new Writer();
        // TLS 1.3 freezes legacy_version at TLS 1.2 and says "1.3" in supported_versions instead.
        body.U16(tls13 ? TlsVersion.Tls12 : spec.Version);
        body.Bytes(RandomNumberGenerator.GetBytes(32));

        // A TLS 1.3 client sends a 32-byte session id so that middleboxes see a familiar TLS 1.2 resumption (RFC 8446, D.4).
        body.Vector8(tls13 ? RandomNumberGenerator.GetBytes(32) : []);
        body.Vector16(w =>
        {
            foreach (var suite in spec.CipherSuites)
            {
                w.U16(suite);
            }

            if (spec.FallbackScsv)
            {
                w.U16(TlsFallbackScsv);
            }
        });
        body.Vector8([.. spec.CompressionMethods]);
        body.Vector16(w => WriteExtensions(w, spec, tls13));

        var message = new Writer();
        message.U8(1); // client_hello
        message.Vector24(body.ToArray());

        var record = new Writer();
        record.U8(TlsContentType.Handshake);
        // The record version of a first hello is conventionally TLS 1.0, whatever is offered inside, because old servers choke on more;
        // an SSL 3.0 hello says SSL 3.0 there too, as an SSL 3.0 client would.
        record.U16(spec.Version == TlsVersion.Ssl30 ? TlsVersion.Ssl30 : TlsVersion.Tls10);
        record.Vector16(message.ToArray());
        return record.ToArray();
    }

    private static void WriteExtensions(Writer w, ClientHelloSpec spec, bool tls13)
    {
        if (spec.ServerName is { Length: > 0 } name)
        {
            var ascii = Encoding.ASCII.GetBytes(name);
            Extension(w, TlsExtensionType.ServerName, e => e.Vector16(list =>
            {
                list.U8(0); // host_name
                list.Vector16(ascii);
            }));
        }

        if (spec.StatusRequest)
        {
            // status_type ocsp(1), no responder ids, no request extensions.
            Extension(w, TlsExtensionType.StatusRequest, e =>
            {
                e.U8(1);
                e.U16(0);
                e.U16(0);
            });
        }

        if (spec.Groups.Count > 0)
        {
            Extension(w, TlsExtensionType.SupportedGroups, e => e.Vector16(list => U16s(list, spec.Groups)));
        }

        if (!tls13)
        {
            // ec_point_formats: uncompressed only. TLS 1.2 servers that know ECDHE expect it (RFC 8422).
            Extension(w, TlsExtensionType.EcPointFormats, e => e.Vector8([0]));
        }

        if (spec.SignatureAlgorithms.Count > 0)
        {
            Extension(w, TlsExtensionType.SignatureAlgorithms, e => e.Vector16(list => U16s(list, spec.SignatureAlgorithms)));
        }

        if (spec.Alpn.Count > 0)
        {
            Extension(w, TlsExtensionType.ApplicationLayerProtocolNegotiation, e => e.Vector16(list =>
            {
                foreach (var protocol in spec.Alpn)
                {
                    list.Vector8(Encoding.ASCII.GetBytes(protocol));
                }
            }));
        }

        Extension(w, TlsExtensionType.ExtendedMasterSecret, _ => { });
        if (spec.SessionTicket)
        {
            Extension(w, TlsExtensionType.SessionTicket, _ => { });
        }

        if (tls13)
        {
            Extension(w, TlsExtensionType.SupportedVersions, e => e.Vector8(v => v.U16(TlsVersion.Tls13)));
            Extension(w, TlsExtensionType.PskKeyExchangeModes, e => e.Vector8([1])); // psk_dhe_ke
            Extension(w, TlsExtensionType.KeyShare, e => e.Vector16(list =>
            {
                foreach (var group in spec.KeyShares)
                {
                    list.U16(group);
                    list.Vector16(KeyShare(group));
                }
            }));
        }

        // Secure renegotiation (RFC 5746): an empty renegotiated_connection, as every first hello sends.
        Extension(w, TlsExtensionType.RenegotiationInfo, e => e.Vector8([]));
    }

    /// <summary>
    /// A throwaway public key for <paramref name="group"/>. The handshake is never finished, so the private
    /// half is dropped at once. The NIST curves get a real key from <see cref="ECDiffieHellman"/>. .NET has
    /// no X25519 on every platform (OpenSSL's X25519 is not an EC curve that ECDiffieHellman can name), so
    /// x25519 and any other group get random bytes of the right length: for x25519 any 32 bytes are a
    /// usable public key, and a server cannot tell them from a real one before the client's Finished,
    /// which a probe never sends.
    /// </summary>
    internal static byte[] KeyShare(ushort group)
    {
        var curve = group switch
        {
            Secp256r1 => ECCurve.NamedCurves.nistP256,
            Secp384r1 => ECCurve.NamedCurves.nistP384,
            Secp521r1 => ECCurve.NamedCurves.nistP521,
            _ => (ECCurve?)null,
        };
        if (curve is { } named)
        {
            using var key = ECDiffieHellman.Create(named);
            var point = key.ExportParameters(includePrivateParameters: false).Q;
            return [0x04, .. point.X!, .. point.Y!]; // uncompressed point
        }

        var length = group switch
        {
            0x001E => 56, // x448
            0x0100 => 256, // ffdhe2048
            0x0101 => 384, // ffdhe3072
            0x0102 => 512,
            0x0103 => 768,
            0x0104 => 1024,
            0x11EC => 1216, // X25519MLKEM768: an ML-KEM-768 key and an X25519 key
            _ => 32,
        };
        return RandomNumberGenerator.GetBytes(length);
    }

    private static void Extension(Writer w, ushort type, Action<Writer> data)
    {
        w.U16(type);
        w.Vector16(data);
    }

    private static void U16s(Writer w, IReadOnlyList<ushort> values)
    {
        foreach (var value in values)
        {
            w.U16(value);
        }
    }

    /// <summary>Big-endian fields and length-prefixed vectors, the only two shapes in a TLS message.</summary>
    private sealed class Writer
    {
        private readonly MemoryStream _bytes = new();

        public void U8(byte value) => _bytes.WriteByte(value);

        public void U16(ushort value)
        {
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(b, value);
            _bytes.Write(b);
        }

        public void Bytes(ReadOnlySpan<byte> bytes) => _bytes.Write(bytes);

        public void Vector8(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > byte.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(bytes), $"A vector with a 1-byte length holds at most 255 bytes, not {bytes.Length}.");
            }

            U8((byte)bytes.Length);
            Bytes(bytes);
        }

        public void Vector8(Action<Writer> content) => Vector8(Build(content));

        public void Vector16(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > ushort.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(bytes), $"A vector with a 2-byte length holds at most 65535 bytes, not {bytes.Length}.");
            }

            U16((ushort)bytes.Length);
            Bytes(bytes);
        }

        public void Vector16(Action<Writer> content) => Vector16(Build(content));

        public void Vector24(ReadOnlySpan<byte> bytes)
        {
            U8((byte)(bytes.Length >> 16));
            U16((ushort)bytes.Length);
            Bytes(bytes);
        }

        public byte[] ToArray() => _bytes.ToArray();

        private static byte[] Build(Action<Writer> content)
        {
            var inner = new Writer();
            content(inner);
            return inner.ToArray();
        }
    }
}
