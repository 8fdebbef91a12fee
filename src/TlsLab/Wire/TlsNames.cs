using System.Collections.Frozen;
using System.Globalization;

namespace TlsLab.Wire;

/// <summary>
/// Human names for TLS code points, so a lesson can print "TLS_AES_128_GCM_SHA256" instead of 0x1301.
/// Names follow the IANA registries; a value we do not know is shown as hex rather than guessed at.
/// </summary>
public static partial class TlsNames
{
    /// <summary>
    /// GREASE values (RFC 8701) are deliberately meaningless code points that clients sprinkle into
    /// their offers so that servers which choke on unknown values get caught early.
    /// They all have the shape 0x?A?A with both bytes equal.
    /// </summary>
    public static bool IsGrease(ushort value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);

    public static string CipherSuite(ushort suite) => Lookup(CipherSuites, suite);

    public static string Version(ushort version)
    {
        if (Versions.TryGetValue(version, out var name))
        {
            return name;
        }

        // Pre-standard TLS 1.3 drafts were negotiated as 0x7F00 + draft number.
        if ((version & 0xFF00) == 0x7F00)
        {
            return $"TLS 1.3 (draft {version & 0xFF})";
        }

        return IsGrease(version) ? "GREASE" : Hex(version);
    }

    public static string Group(ushort group) => Lookup(Groups, group);

    public static string SignatureScheme(ushort scheme)
    {
        if (SignatureSchemes.TryGetValue(scheme, out var name))
        {
            return name;
        }

        if (IsGrease(scheme))
        {
            return "GREASE";
        }

        // TLS 1.2 spelled signature algorithms as a (hash, signature) byte pair; any pair we have
        // no dedicated name for can still be spelled out from its two halves.
        var hash = (scheme >> 8) switch
        {
            1 => "md5",
            2 => "sha1",
            3 => "sha224",
            4 => "sha256",
            5 => "sha384",
            6 => "sha512",
            _ => null,
        };
        var signature = (scheme & 0xFF) switch
        {
            1 => "rsa_pkcs1",
            2 => "dsa",
            3 => "ecdsa",
            _ => null,
        };
        return hash is not null && signature is not null ? $"{signature}_{hash}" : Hex(scheme);
    }

    public static string Extension(ushort extension) => Lookup(Extensions, extension);

    public static string ContentType(byte contentType) => Lookup(ContentTypes, contentType);

    public static string HandshakeType(byte handshakeType) => Lookup(HandshakeTypes, handshakeType);

    public static string AlertDescription(byte alert) => Lookup(Alerts, alert);

    /// <summary>
    /// True for suites that protect records with a block cipher in CBC mode plus a separate HMAC
    /// (MAC-then-encrypt): the family behind padding-oracle attacks such as Lucky Thirteen.
    /// </summary>
    public static bool IsCbc(ushort suite) =>
        CipherSuites.TryGetValue(suite, out var name) && name.Contains("_CBC_", StringComparison.Ordinal);

    /// <summary>
    /// True for suites whose record protection is an AEAD (GCM, CCM, ChaCha20-Poly1305): encryption and
    /// integrity in one primitive. Every TLS 1.3 suite is one; TLS 1.3 removed everything else.
    /// </summary>
    public static bool IsAead(ushort suite) =>
        CipherSuites.TryGetValue(suite, out var name) &&
        (name.Contains("_GCM", StringComparison.Ordinal) ||
         name.Contains("_CCM", StringComparison.Ordinal) ||
         name.Contains("CHACHA20_POLY1305", StringComparison.Ordinal));

    /// <summary>True for the five TLS 1.3 suites (0x1301–0x1305), which name only the AEAD and hash.</summary>
    public static bool IsTls13Suite(ushort suite) => suite is >= 0x1301 and <= 0x1305;

    internal static string Hex(ushort value) => "0x" + value.ToString("X4", CultureInfo.InvariantCulture);

    internal static string Hex(byte value) => "0x" + value.ToString("X2", CultureInfo.InvariantCulture);

    private static string Lookup(FrozenDictionary<ushort, string> table, ushort value) =>
        table.TryGetValue(value, out var name) ? name : IsGrease(value) ? "GREASE" : Hex(value);

    private static string Lookup(FrozenDictionary<byte, string> table, byte value) =>
        table.TryGetValue(value, out var name) ? name : Hex(value);

    private static readonly FrozenDictionary<ushort, string> Versions = new Dictionary<ushort, string>
    {
        [0x0002] = "SSL 2.0",
        [0x0300] = "SSL 3.0",
        [0x0301] = "TLS 1.0",
        [0x0302] = "TLS 1.1",
        [0x0303] = "TLS 1.2",
        [0x0304] = "TLS 1.3",
        [0xFEFF] = "DTLS 1.0",
        [0xFEFD] = "DTLS 1.2",
        [0xFEFC] = "DTLS 1.3",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<ushort, string> Groups = new Dictionary<ushort, string>
    {
        [1] = "sect163k1",
        [2] = "sect163r1",
        [3] = "sect163r2",
        [4] = "sect193r1",
        [5] = "sect193r2",
        [6] = "sect233k1",
        [7] = "sect233r1",
        [8] = "sect239k1",
        [9] = "sect283k1",
        [10] = "sect283r1",
        [11] = "sect409k1",
        [12] = "sect409r1",
        [13] = "sect571k1",
        [14] = "sect571r1",
        [15] = "secp160k1",
        [16] = "secp160r1",
        [17] = "secp160r2",
        [18] = "secp192k1",
        [19] = "secp192r1",
        [20] = "secp224k1",
        [21] = "secp224r1",
        [22] = "secp256k1",
        [23] = "secp256r1",
        [24] = "secp384r1",
        [25] = "secp521r1",
        [26] = "brainpoolP256r1",
        [27] = "brainpoolP384r1",
        [28] = "brainpoolP512r1",
        [29] = "x25519",
        [30] = "x448",
        [31] = "brainpoolP256r1tls13",
        [32] = "brainpoolP384r1tls13",
        [33] = "brainpoolP512r1tls13",
        [0x0100] = "ffdhe2048",
        [0x0101] = "ffdhe3072",
        [0x0102] = "ffdhe4096",
        [0x0103] = "ffdhe6144",
        [0x0104] = "ffdhe8192",
        [0x0200] = "MLKEM512",
        [0x0201] = "MLKEM768",
        [0x0202] = "MLKEM1024",
        [0x11EB] = "SecP256r1MLKEM768",
        [0x11EC] = "X25519MLKEM768",
        [0x11ED] = "SecP384r1MLKEM1024",
        [0x6399] = "X25519Kyber768Draft00",
        [0x639A] = "SecP256r1Kyber768Draft00",
        [0xFF01] = "arbitrary_explicit_prime_curves",
        [0xFF02] = "arbitrary_explicit_char2_curves",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<ushort, string> SignatureSchemes = new Dictionary<ushort, string>
    {
        [0x0201] = "rsa_pkcs1_sha1",
        [0x0203] = "ecdsa_sha1",
        [0x0401] = "rsa_pkcs1_sha256",
        [0x0501] = "rsa_pkcs1_sha384",
        [0x0601] = "rsa_pkcs1_sha512",
        [0x0403] = "ecdsa_secp256r1_sha256",
        [0x0503] = "ecdsa_secp384r1_sha384",
        [0x0603] = "ecdsa_secp521r1_sha512",
        [0x0804] = "rsa_pss_rsae_sha256",
        [0x0805] = "rsa_pss_rsae_sha384",
        [0x0806] = "rsa_pss_rsae_sha512",
        [0x0807] = "ed25519",
        [0x0808] = "ed448",
        [0x0809] = "rsa_pss_pss_sha256",
        [0x080A] = "rsa_pss_pss_sha384",
        [0x080B] = "rsa_pss_pss_sha512",
        [0x081A] = "ecdsa_brainpoolP256r1tls13_sha256",
        [0x081B] = "ecdsa_brainpoolP384r1tls13_sha384",
        [0x081C] = "ecdsa_brainpoolP512r1tls13_sha512",
        [0x0904] = "mldsa44",
        [0x0905] = "mldsa65",
        [0x0906] = "mldsa87",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<ushort, string> Extensions = new Dictionary<ushort, string>
    {
        [0] = "server_name",
        [1] = "max_fragment_length",
        [2] = "client_certificate_url",
        [3] = "trusted_ca_keys",
        [4] = "truncated_hmac",
        [5] = "status_request",
        [6] = "user_mapping",
        [7] = "client_authz",
        [8] = "server_authz",
        [9] = "cert_type",
        [10] = "supported_groups",
        [11] = "ec_point_formats",
        [12] = "srp",
        [13] = "signature_algorithms",
        [14] = "use_srtp",
        [15] = "heartbeat",
        [16] = "application_layer_protocol_negotiation",
        [17] = "status_request_v2",
        [18] = "signed_certificate_timestamp",
        [19] = "client_certificate_type",
        [20] = "server_certificate_type",
        [21] = "padding",
        [22] = "encrypt_then_mac",
        [23] = "extended_master_secret",
        [24] = "token_binding",
        [25] = "cached_info",
        [26] = "tls_lts",
        [27] = "compress_certificate",
        [28] = "record_size_limit",
        [29] = "pwd_protect",
        [30] = "pwd_clear",
        [31] = "password_salt",
        [32] = "ticket_pinning",
        [33] = "tls_cert_with_extern_psk",
        [34] = "delegated_credential",
        [35] = "session_ticket",
        [41] = "pre_shared_key",
        [42] = "early_data",
        [43] = "supported_versions",
        [44] = "cookie",
        [45] = "psk_key_exchange_modes",
        [47] = "certificate_authorities",
        [48] = "oid_filters",
        [49] = "post_handshake_auth",
        [50] = "signature_algorithms_cert",
        [51] = "key_share",
        [52] = "transparency_info",
        [54] = "connection_id",
        [55] = "external_id_hash",
        [56] = "external_session_id",
        [57] = "quic_transport_parameters",
        [58] = "ticket_request",
        [59] = "dnssec_chain",
        [0x3374] = "next_protocol_negotiation",
        [0x4469] = "application_settings_old",
        [0x44CD] = "application_settings",
        [0xFD00] = "ech_outer_extensions",
        [0xFE0D] = "encrypted_client_hello",
        [0xFF01] = "renegotiation_info",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<byte, string> ContentTypes = new Dictionary<byte, string>
    {
        [20] = "change_cipher_spec",
        [21] = "alert",
        [22] = "handshake",
        [23] = "application_data",
        [24] = "heartbeat",
        [25] = "tls12_cid",
        [26] = "ack",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<byte, string> HandshakeTypes = new Dictionary<byte, string>
    {
        [0] = "hello_request",
        [1] = "client_hello",
        [2] = "server_hello",
        [3] = "hello_verify_request",
        [4] = "new_session_ticket",
        [5] = "end_of_early_data",
        [6] = "hello_retry_request",
        [8] = "encrypted_extensions",
        [9] = "request_connection_id",
        [10] = "new_connection_id",
        [11] = "certificate",
        [12] = "server_key_exchange",
        [13] = "certificate_request",
        [14] = "server_hello_done",
        [15] = "certificate_verify",
        [16] = "client_key_exchange",
        [17] = "client_certificate_request",
        [20] = "finished",
        [21] = "certificate_url",
        [22] = "certificate_status",
        [23] = "supplemental_data",
        [24] = "key_update",
        [25] = "compressed_certificate",
        [26] = "ekt_key",
        [254] = "message_hash",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<byte, string> Alerts = new Dictionary<byte, string>
    {
        [0] = "close_notify",
        [10] = "unexpected_message",
        [20] = "bad_record_mac",
        [21] = "decryption_failed",
        [22] = "record_overflow",
        [30] = "decompression_failure",
        [40] = "handshake_failure",
        [41] = "no_certificate",
        [42] = "bad_certificate",
        [43] = "unsupported_certificate",
        [44] = "certificate_revoked",
        [45] = "certificate_expired",
        [46] = "certificate_unknown",
        [47] = "illegal_parameter",
        [48] = "unknown_ca",
        [49] = "access_denied",
        [50] = "decode_error",
        [51] = "decrypt_error",
        [52] = "too_many_cids_requested",
        [60] = "export_restriction",
        [70] = "protocol_version",
        [71] = "insufficient_security",
        [80] = "internal_error",
        [86] = "inappropriate_fallback",
        [90] = "user_canceled",
        [100] = "no_renegotiation",
        [109] = "missing_extension",
        [110] = "unsupported_extension",
        [111] = "certificate_unobtainable",
        [112] = "unrecognized_name",
        [113] = "bad_certificate_status_response",
        [114] = "bad_certificate_hash_value",
        [115] = "unknown_psk_identity",
        [116] = "certificate_required",
        [117] = "general_error",
        [120] = "no_application_protocol",
        [121] = "ech_required",
    }.ToFrozenDictionary();
}
