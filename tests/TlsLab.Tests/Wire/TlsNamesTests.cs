using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

public class TlsNamesTests
{
    [Theory]
    [InlineData(0x1301, "TLS_AES_128_GCM_SHA256")]
    [InlineData(0x1302, "TLS_AES_256_GCM_SHA384")]
    [InlineData(0x1303, "TLS_CHACHA20_POLY1305_SHA256")]
    [InlineData(0x1304, "TLS_AES_128_CCM_SHA256")]
    [InlineData(0x1305, "TLS_AES_128_CCM_8_SHA256")]
    [InlineData(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")]
    [InlineData(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384")]
    [InlineData(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")]
    [InlineData(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384")]
    [InlineData(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA")]
    [InlineData(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA")]
    [InlineData(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")]
    [InlineData(0x5600, "TLS_FALLBACK_SCSV")]
    [InlineData(0x0A0A, "GREASE")]
    [InlineData(0xFAFA, "GREASE")]
    [InlineData(0x1234, "0x1234")]
    [InlineData(0x0A1A, "0x0A1A")]
    public void Cipher_suites_have_their_IANA_names(int suite, string expected) =>
        Assert.Equal(expected, TlsNames.CipherSuite((ushort)suite));

    [Theory]
    [InlineData(0x0300, "SSL 3.0")]
    [InlineData(0x0301, "TLS 1.0")]
    [InlineData(0x0302, "TLS 1.1")]
    [InlineData(0x0303, "TLS 1.2")]
    [InlineData(0x0304, "TLS 1.3")]
    [InlineData(0x7F1C, "TLS 1.3 (draft 28)")]
    [InlineData(0x2A2A, "GREASE")]
    [InlineData(0x0305, "0x0305")]
    public void Versions_read_as_people_say_them(int version, string expected) =>
        Assert.Equal(expected, TlsNames.Version((ushort)version));

    [Theory]
    [InlineData(29, "x25519")]
    [InlineData(23, "secp256r1")]
    [InlineData(24, "secp384r1")]
    [InlineData(25, "secp521r1")]
    [InlineData(30, "x448")]
    [InlineData(0x0100, "ffdhe2048")]
    [InlineData(0x0104, "ffdhe8192")]
    [InlineData(0x11EC, "X25519MLKEM768")]
    [InlineData(0x4A4A, "GREASE")]
    [InlineData(0x7777, "0x7777")]
    public void Groups_are_named(int group, string expected) => Assert.Equal(expected, TlsNames.Group((ushort)group));

    [Theory]
    [InlineData(0x0403, "ecdsa_secp256r1_sha256")]
    [InlineData(0x0804, "rsa_pss_rsae_sha256")]
    [InlineData(0x0809, "rsa_pss_pss_sha256")]
    [InlineData(0x0401, "rsa_pkcs1_sha256")]
    [InlineData(0x0201, "rsa_pkcs1_sha1")]
    [InlineData(0x0807, "ed25519")]
    [InlineData(0x0808, "ed448")]
    [InlineData(0x0303, "ecdsa_sha224")]
    [InlineData(0x0402, "dsa_sha256")]
    [InlineData(0x1A1A, "GREASE")]
    [InlineData(0x0F0F, "0x0F0F")]
    public void Signature_schemes_are_named(int scheme, string expected) =>
        Assert.Equal(expected, TlsNames.SignatureScheme((ushort)scheme));

    [Theory]
    [InlineData(0, "server_name")]
    [InlineData(10, "supported_groups")]
    [InlineData(11, "ec_point_formats")]
    [InlineData(13, "signature_algorithms")]
    [InlineData(16, "application_layer_protocol_negotiation")]
    [InlineData(43, "supported_versions")]
    [InlineData(51, "key_share")]
    [InlineData(45, "psk_key_exchange_modes")]
    [InlineData(35, "session_ticket")]
    [InlineData(23, "extended_master_secret")]
    [InlineData(0xFF01, "renegotiation_info")]
    [InlineData(5, "status_request")]
    [InlineData(22, "encrypt_then_mac")]
    [InlineData(21, "padding")]
    [InlineData(41, "pre_shared_key")]
    [InlineData(28, "record_size_limit")]
    [InlineData(49, "post_handshake_auth")]
    [InlineData(27, "compress_certificate")]
    [InlineData(0xFE0D, "encrypted_client_hello")]
    [InlineData(0xBABA, "GREASE")]
    [InlineData(0x0BAD, "0x0BAD")]
    public void Extensions_are_named(int extension, string expected) =>
        Assert.Equal(expected, TlsNames.Extension((ushort)extension));

    [Fact]
    public void Record_and_message_bytes_are_named()
    {
        Assert.Equal("handshake", TlsNames.ContentType(22));
        Assert.Equal("alert", TlsNames.ContentType(21));
        Assert.Equal("change_cipher_spec", TlsNames.ContentType(20));
        Assert.Equal("application_data", TlsNames.ContentType(23));
        Assert.Equal("heartbeat", TlsNames.ContentType(24));
        Assert.Equal("0x47", TlsNames.ContentType((byte)'G'));
        Assert.Equal("client_hello", TlsNames.HandshakeType(1));
        Assert.Equal("server_hello", TlsNames.HandshakeType(2));
        Assert.Equal("finished", TlsNames.HandshakeType(20));
        Assert.Equal("handshake_failure", TlsNames.AlertDescription(40));
        Assert.Equal("unknown_ca", TlsNames.AlertDescription(48));
        Assert.Equal("certificate_required", TlsNames.AlertDescription(116));
        Assert.Equal("no_application_protocol", TlsNames.AlertDescription(120));
        Assert.Equal("0xFE", TlsNames.AlertDescription(0xFE));
    }

    [Fact]
    public void Grease_is_exactly_the_sixteen_0x_A_A_values()
    {
        var grease = Enumerable.Range(0, 0x10000).Where(v => TlsNames.IsGrease((ushort)v)).ToArray();

        Assert.Equal(16, grease.Length);
        Assert.All(grease, v => Assert.Equal("GREASE", TlsNames.CipherSuite((ushort)v)));
        Assert.Contains(0x0A0A, grease);
        Assert.Contains(0xFAFA, grease);
    }

    [Theory]
    [InlineData(0xC027, true, false)] // ECDHE_RSA AES_128_CBC_SHA256
    [InlineData(0x002F, true, false)] // RSA AES_128_CBC_SHA
    [InlineData(0x000A, true, false)] // 3DES in CBC mode
    [InlineData(0xC02F, false, true)] // ECDHE_RSA AES_128_GCM
    [InlineData(0xCCA9, false, true)] // ECDHE_ECDSA CHACHA20_POLY1305
    [InlineData(0xC0AC, false, true)] // ECDHE_ECDSA AES_128_CCM
    [InlineData(0x1301, false, true)] // TLS 1.3
    [InlineData(0x1305, false, true)] // TLS 1.3 CCM_8
    [InlineData(0x0005, false, false)] // RC4: a stream cipher, neither
    [InlineData(0x00FF, false, false)] // a signalling value, not a cipher
    [InlineData(0x1234, false, false)] // unknown
    public void Suites_are_classified_as_cbc_or_aead(int suite, bool cbc, bool aead)
    {
        Assert.Equal(cbc, TlsNames.IsCbc((ushort)suite));
        Assert.Equal(aead, TlsNames.IsAead((ushort)suite));
    }
}
