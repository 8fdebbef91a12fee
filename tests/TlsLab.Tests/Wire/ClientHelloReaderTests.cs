using System.Text;
using TlsLab.Tests.Wire.Fixtures;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

public class ClientHelloReaderTests
{
    [Fact]
    public void Reads_everything_openssl_put_in_its_captured_hello()
    {
        var bytes = CapturedHellos.Bytes(CapturedHellos.OpenSsl);

        var status = ClientHelloReader.TryRead(bytes, out var hello, out var error, out var consumed);

        Assert.True(status == ClientHelloReadStatus.Complete, $"Expected the captured OpenSSL hello to parse, got {status}: {error}");
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(TlsVersion.Tls12, hello!.LegacyVersion);
        Assert.Equal(32, hello.Random.Length);
        Assert.Equal(32, hello.SessionIdLength);
        Assert.Equal("x.localhost", hello.ServerName);
        Assert.Equal(["http/1.1"], hello.Alpn);
        Assert.Equal([TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10], hello.SupportedVersions);
        Assert.Equal(["TLS 1.3", "TLS 1.2", "TLS 1.1", "TLS 1.0"], hello.SupportedVersionNames);
        Assert.Equal(TlsVersion.Tls13, hello.HighestOfferedVersion());
        Assert.Equal(["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"], hello.CipherSuiteNames.Take(3));
        Assert.Equal(31, hello.CipherSuites.Count);
        Assert.Equal("TLS_EMPTY_RENEGOTIATION_INFO_SCSV", hello.CipherSuiteNames[^1]);
        Assert.Equal(["x25519", "secp256r1", "x448", "secp521r1", "secp384r1", "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"],
            hello.SupportedGroupNames);
        Assert.Equal([(ushort)29], hello.KeyShareGroups);
        Assert.Contains("rsa_pss_rsae_sha256", hello.SignatureAlgorithmNames);
        Assert.Contains("ed25519", hello.SignatureAlgorithmNames);
        Assert.Equal([(byte)0], hello.CompressionMethods);
        Assert.Equal(
            ["server_name", "ec_point_formats", "supported_groups", "session_ticket", "application_layer_protocol_negotiation", "encrypt_then_mac",
             "extended_master_secret", "signature_algorithms", "supported_versions", "psk_key_exchange_modes", "key_share"],
            hello.ExtensionNames);
        Assert.All(hello.CipherSuiteNames, name => Assert.False(name.StartsWith("0x", StringComparison.Ordinal), $"Suite {name} has no name."));
    }

    [Fact]
    public void Reads_curls_captured_hello_including_its_padding()
    {
        var hello = ClientHelloReader.Read(CapturedHellos.Bytes(CapturedHellos.Curl));

        Assert.Equal("x.localhost", hello.ServerName);
        Assert.Equal(["h2", "http/1.1"], hello.Alpn);
        Assert.True(hello.HasExtension(TlsExtensionType.Padding), "curl pads its hello to 512 bytes; the padding extension should be listed.");
        Assert.True(hello.HasExtension(TlsExtensionType.PostHandshakeAuth));
        Assert.Equal(4 + 0x01FC, hello.HandshakeMessage.Length);
    }

    [Fact]
    public void Extensions_keep_wire_order_and_raw_bytes()
    {
        var hello = ClientHelloReader.Read(new HelloBuilder().Extension(0x1234, [1, 2, 3]).ServerName("a.example").Extension(0xFF01, [0]).Bytes());

        Assert.Equal([(ushort)0x1234, (ushort)0, (ushort)0xFF01], hello.Extensions.Select(e => e.Type));
        Assert.Equal([1, 2, 3], hello.Extensions[0].Data.ToArray());
        Assert.Equal(["0x1234", "server_name", "renegotiation_info"], hello.ExtensionNames);
        Assert.True(hello.TryGetExtension(0xFF01, out var renegotiation));
        Assert.Equal([0], renegotiation.ToArray());
        Assert.False(hello.TryGetExtension(0x4242, out _));
    }

    [Fact]
    public void Decodes_what_a_typical_tls13_client_offers()
    {
        var hello = ClientHelloReader.Read(HelloBuilder.Typical().Bytes());

        Assert.Equal("good.localhost", hello.ServerName);
        Assert.Equal(["h2", "http/1.1"], hello.Alpn);
        Assert.Equal(["x25519", "secp256r1", "secp384r1"], hello.SupportedGroupNames);
        Assert.Equal(["x25519"], hello.KeyShareGroupNames);
        Assert.Equal(["ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256", "rsa_pkcs1_sha256"], hello.SignatureAlgorithmNames);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i), hello.Random.ToArray());
    }

    [Fact]
    public void Highest_offered_version_ignores_grease_and_falls_back_to_legacy_version()
    {
        var greased = ClientHelloReader.Read(new HelloBuilder().SupportedVersions(0x3A3A, 0x0303, 0x0304).Bytes());
        var tls12Only = ClientHelloReader.Read(new HelloBuilder().Bytes());
        var onlyGrease = ClientHelloReader.Read(new HelloBuilder { LegacyVersion = 0x0301 }.SupportedVersions(0xFAFA).Bytes());

        Assert.Equal(TlsVersion.Tls13, greased.HighestOfferedVersion());
        Assert.Equal(["GREASE", "TLS 1.2", "TLS 1.3"], greased.SupportedVersionNames);
        Assert.Equal(TlsVersion.Tls12, tls12Only.HighestOfferedVersion());
        Assert.Equal(TlsVersion.Tls10, onlyGrease.HighestOfferedVersion());
    }

    [Fact]
    public void A_hello_without_an_extensions_block_is_still_a_hello()
    {
        var hello = ClientHelloReader.Read(new HelloBuilder { WithoutExtensionsBlock = true, LegacyVersion = 0x0300 }.Bytes());

        Assert.Empty(hello.Extensions);
        Assert.Null(hello.ServerName);
        Assert.Equal("SSL 3.0", TlsNames.Version(hello.HighestOfferedVersion()));
    }

    [Fact]
    public void A_hello_split_across_two_records_parses_like_the_unsplit_one()
    {
        var builder = HelloBuilder.Typical();
        var message = builder.Message();
        var split = HelloBuilder.Frame(message, 40);

        var status = ClientHelloReader.TryRead(split, out var hello, out var error, out var consumed);

        Assert.True(status == ClientHelloReadStatus.Complete, $"A hello in two records should parse, got {status}: {error}");
        Assert.Equal(split.Length, consumed);
        Assert.Equal(message, hello!.HandshakeMessage.ToArray());
        Assert.Equal(ClientHelloReader.Read(builder.Bytes()).Describe(), hello.Describe());
    }

    [Fact]
    public void A_hello_with_every_byte_in_its_own_record_parses()
    {
        var message = HelloBuilder.Typical().Message();
        var perByte = HelloBuilder.Frame(message, [.. Enumerable.Repeat(1, message.Length)]);

        var hello = ClientHelloReader.Read(perByte);

        Assert.Equal(message, hello.HandshakeMessage.ToArray());
    }

    [Fact]
    public void Records_after_the_hello_are_left_for_the_caller()
    {
        var hello = HelloBuilder.Typical().Bytes();
        byte[] changeCipherSpec = [20, 3, 3, 0, 1, 1];

        var status = ClientHelloReader.TryRead([.. hello, .. changeCipherSpec], out _, out _, out var consumed);

        Assert.Equal(ClientHelloReadStatus.Complete, status);
        Assert.Equal(hello.Length, consumed);
    }

    [Fact]
    public void Fed_one_byte_at_a_time_it_needs_more_until_the_last_byte()
    {
        var bytes = HelloBuilder.Frame(HelloBuilder.Typical().Message(), 10, 100);

        for (var length = 0; length < bytes.Length; length++)
        {
            var status = ClientHelloReader.TryRead(bytes.AsSpan(0, length), out _, out var error, out _);
            Assert.True(status == ClientHelloReadStatus.NeedMoreData, $"After {length} of {bytes.Length} bytes: expected NeedMoreData, got {status} ({error})");
        }

        Assert.Equal(ClientHelloReadStatus.Complete, ClientHelloReader.TryRead(bytes, out _, out _, out var consumed));
        Assert.Equal(bytes.Length, consumed);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("POST /login HTTP/1.1\r\n")]
    [InlineData("G")]
    public void Plaintext_http_is_reported_as_such(string request)
    {
        var status = ClientHelloReader.TryRead(Encoding.ASCII.GetBytes(request), out var hello, out var error, out _);

        Assert.Equal(ClientHelloReadStatus.Invalid, status);
        Assert.Null(hello);
        Assert.Equal(TlsParseErrorKind.NotTls, error!.Kind);
        Assert.Equal(0, error.Offset);
        Assert.Contains("plaintext HTTP", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Byte 0 is 0x{(byte)request[0]:X2} ('{request[0]}')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_throws_a_parse_exception_carrying_the_error()
    {
        var exception = Assert.Throws<TlsParseException>(() => ClientHelloReader.Read("GET / HTTP/1.1\r\n"u8));

        Assert.Equal(TlsParseErrorKind.NotTls, exception.Error.Kind);
        Assert.Equal(exception.Error.Message, exception.Message);
        Assert.Contains("\"GET / HTTP/1.1\"", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_reports_a_cut_off_hello_as_truncated()
    {
        var bytes = HelloBuilder.Typical().Bytes();

        var exception = Assert.Throws<TlsParseException>(() => ClientHelloReader.Read(bytes.AsSpan(0, bytes.Length - 1)));
        var empty = Assert.Throws<TlsParseException>(() => ClientHelloReader.Read([]));

        Assert.Equal(TlsParseErrorKind.Truncated, exception.Error.Kind);
        Assert.Equal(bytes.Length - 1, exception.Error.Offset);
        Assert.Equal(TlsParseErrorKind.Truncated, empty.Error.Kind);
    }

    [Fact]
    public void A_record_header_claiming_a_huge_length_is_refused_before_any_payload_arrives()
    {
        var status = ClientHelloReader.TryRead([22, 3, 1, 0xFF, 0xFF], out _, out var error, out _);

        Assert.Equal(ClientHelloReadStatus.Invalid, status);
        Assert.Equal(TlsParseErrorKind.RecordTooLong, error!.Kind);
        Assert.Contains("65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hello_claiming_more_than_the_cap_is_refused_before_it_is_buffered()
    {
        byte[] header = [22, 3, 1, 0x40, 0x00, 1, 0x01, 0x00, 0x01];

        var status = ClientHelloReader.TryRead(header, out _, out var error, out _);

        Assert.Equal(ClientHelloReadStatus.Invalid, status);
        Assert.Equal(TlsParseErrorKind.TooLarge, error!.Kind);
        Assert.Equal(6, error.Offset);
    }

    // The error kinds go by name: they are the reader's own (internal), and a public test method cannot take one.
    public static TheoryData<string, byte[], string, int> BrokenInputs()
    {
        var data = new BrokenInputData();
        var good = HelloBuilder.Typical().Bytes();

        data.Add("an alert record", [21, 3, 3, 0, 2, 2, 40], TlsParseErrorKind.NotHandshake, 0);
        data.Add("a ServerHello", [22, 3, 3, 0, 4, 2, 0, 0, 0x46], TlsParseErrorKind.NotClientHello, 5);
        data.Add("an SSL 2.0 hello", [0x80, 0x2E, 0x01, 0x03, 0x01], TlsParseErrorKind.NotTls, 0);
        data.Add("an SSH banner", "SSH-2.0-OpenSSH_9.2\r\n"u8.ToArray(), TlsParseErrorKind.NotTls, 0);
        data.Add("record version 0x0403", [22, 4, 3, 0, 10], TlsParseErrorKind.NotTls, 1);
        data.Add("record version 0x0305", [22, 3, 5, 0, 10], TlsParseErrorKind.NotTls, 1);
        data.Add("an empty handshake record", [22, 3, 1, 0, 0], TlsParseErrorKind.EmptyRecord, 3);
        data.Add("a hello shorter than any hello can be", [22, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0], TlsParseErrorKind.LengthMismatch, 6);
        data.Add("a 33-byte session id", new HelloBuilder { SessionId = new byte[33] }.Bytes(), TlsParseErrorKind.BadField, 43);
        data.Add("no compression methods", new HelloBuilder { CompressionMethods = [] }.Bytes(), TlsParseErrorKind.BadField, 5 + 4 + 2 + 32 + 33 + 12);
        data.Add("a duplicated extension", HelloBuilder.Typical().ServerName("again.localhost").Bytes(), TlsParseErrorKind.BadExtension, -1);
        data.Add("a non-ASCII server name", new HelloBuilder().ServerName("caf\u00e9.localhost").Bytes(), TlsParseErrorKind.BadExtension, -1);
        data.Add("an odd-length groups list", new HelloBuilder().Extension(10, [0, 3, 0, 29, 0]).Bytes(), TlsParseErrorKind.BadExtension, -1);
        data.Add("a groups list longer than its extension", new HelloBuilder().Extension(10, [0, 4, 0, 29]).Bytes(), TlsParseErrorKind.BadExtension, -1);
        data.Add("an empty ALPN name", new HelloBuilder().Extension(16, [0, 1, 0]).Bytes(), TlsParseErrorKind.BadExtension, -1);
        data.Add("an empty key share", new HelloBuilder().Extension(51, [0, 4, 0, 29, 0, 0]).Bytes(), TlsParseErrorKind.BadExtension, -1);
        data.Add("an empty supported_versions list", new HelloBuilder().Extension(43, [0]).Bytes(), TlsParseErrorKind.BadExtension, -1);
        data.Add("a record that runs past the hello", WithExtraPayloadByte(good), TlsParseErrorKind.TrailingData, 3);
        data.Add("a ChangeCipherSpec in the middle of the " +
            "hello", [.. HelloBuilder.Frame(HelloBuilder.Typical().Message(), 20).AsSpan(0, 25), 20, 3, 3, 0, 1, 1], TlsParseErrorKind.NotHandshake, 25);

        var oddSuites = new HelloBuilder();
        oddSuites.CipherSuites.Clear();
        var message = oddSuites.Message();
        data.Add("an empty cipher suite list", HelloBuilder.Frame(message), TlsParseErrorKind.BadField, 5 + 4 + 2 + 32 + 33);
        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenInputs))]
    public void Broken_input_gets_a_specific_error(string what, byte[] bytes, string expectedKind, int expectedOffset)
    {
        var expected = Enum.Parse<TlsParseErrorKind>(expectedKind);
        var status = ClientHelloReader.TryRead(bytes, out var hello, out var error, out var consumed);

        Assert.True(status == ClientHelloReadStatus.Invalid, $"{what}: expected Invalid, got {status}.");
        Assert.Null(hello);
        Assert.Equal(0, consumed);
        Assert.True(error!.Kind == expected, $"{what}: expected {expected}, got {error}");
        if (expectedOffset >= 0)
        {
            Assert.True(error.Offset == expectedOffset, $"{what}: expected the error at byte {expectedOffset}, got {error}");
        }

        Assert.InRange(error.Offset, 0, bytes.Length);
        Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Error_offsets_point_at_the_input_bytes_even_across_record_headers()
    {
        // A duplicated server_name, with the hello cut into 50-byte records so that
        // the offending extension sits behind several record headers.
        var message = HelloBuilder.Typical().ServerName("again.localhost").Message();
        var bytes = HelloBuilder.Frame(message, [.. Enumerable.Repeat(50, 20)]);

        var status = ClientHelloReader.TryRead(bytes, out _, out var error, out _);

        Assert.Equal(ClientHelloReadStatus.Invalid, status);
        Assert.Equal(TlsParseErrorKind.BadExtension, error!.Kind);
        var recordsBefore = error.Offset / 55;
        var messagePosition = error.Offset - (recordsBefore + 1) * 5;
        Assert.Equal(0, message[messagePosition]);
        Assert.Equal(0, message[messagePosition + 1]);
        Assert.Contains("server_name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_gives_a_short_readable_summary()
    {
        var text = ClientHelloReader.Read(CapturedHellos.Bytes(CapturedHellos.Curl)).Describe();

        Assert.Contains("SNI: x.localhost", text, StringComparison.Ordinal);
        Assert.Contains("ALPN: h2, http/1.1", text, StringComparison.Ordinal);
        Assert.Contains("Highest version: TLS 1.3", text, StringComparison.Ordinal);
        Assert.Contains("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", text, StringComparison.Ordinal);
        Assert.Contains("Key shares: x25519", text, StringComparison.Ordinal);
        Assert.InRange(text.Split('\n').Length, 8, 40);
        Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 100, $"Line too long for a terminal: {line}"));
    }

    private static byte[] WithExtraPayloadByte(byte[] record)
    {
        var bytes = (byte[])[.. record, 0];
        var length = (bytes[3] << 8 | bytes[4]) + 1;
        bytes[3] = (byte)(length >> 8);
        bytes[4] = (byte)length;
        return bytes;
    }

    private sealed class BrokenInputData : TheoryData<string, byte[], string, int>
    {
        public void Add(string what, byte[] bytes, TlsParseErrorKind expected, int expectedOffset) =>
            Add(what, bytes, expected.ToString(), expectedOffset);
    }
}
