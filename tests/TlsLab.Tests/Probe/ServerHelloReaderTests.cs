using System.Security.Cryptography;
using System.Text;
using CsCheck;
using TlsLab.Cli.Probe;
using TlsLab.Wire;

namespace TlsLab.Tests.Probe;

// Test strategy: the reader faces whatever a server (or something pretending to be one) sends back, so
// it is fed hand-built answers of every kind (TLS 1.2 flights, TLS 1.3 ServerHellos, HelloRetryRequests,
// alerts, plaintext), then every prefix of them, then random bytes and corruptions. The promises: TryRead
// never throws; an open connection with a valid beginning gives "not yet" (null); a closed one always
// gives an answer, with a sentence when it is not a ServerHello or an alert. Real servers' answers are
// read in ClientHelloWriterOpenSslTests.

/// <summary>Server answers of every shape, whole, cut short, and garbled.</summary>
public sealed class ServerHelloReaderTests
{
    [Fact]
    public void A_TLS12_flight_gives_suite_group_certificates_and_the_plaintext_extras()
    {
        var bytes = Tls12Flight(certificateRequest: true, status: true);

        var answer = ServerHelloReader.TryRead(bytes, closed: false);

        Assert.NotNull(answer);
        Assert.Equal(ServerAnswerKind.ServerHello, answer.Kind);
        Assert.Equal(TlsVersion.Tls12, answer.Version);
        Assert.Equal((ushort)0xC02B, answer.CipherSuite);
        Assert.Equal("http/1.1", answer.Alpn);
        Assert.True(answer.StatusRequestAcknowledged && answer.SessionTicketPromised && answer.ExtendedMasterSecret && answer.SecureRenegotiation);
        Assert.Equal(2, answer.Certificates.Count);
        Assert.Equal((ushort)0x0017, answer.KeyExchangeGroup);
        Assert.True(answer.CertificateRequested && answer.OcspStapled && answer.FlightComplete, answer.Describe());
    }

    [Fact]
    public void A_TLS13_server_hello_gives_the_version_from_supported_versions_and_the_key_share_group()
    {
        var answer = ServerHelloReader.TryRead(Tls13Hello(retry: false), closed: false);

        Assert.NotNull(answer);
        Assert.Equal(ServerAnswerKind.ServerHello, answer.Kind);
        Assert.Equal(TlsVersion.Tls13, answer.Version);
        Assert.Equal((ushort)0x1302, answer.CipherSuite);
        Assert.Equal((ushort)0x001D, answer.Group);
    }

    [Fact]
    public void A_hello_retry_request_is_told_apart_by_its_random_and_names_the_group_it_wants()
    {
        var answer = ServerHelloReader.TryRead(Tls13Hello(retry: true), closed: false);

        Assert.NotNull(answer);
        Assert.Equal(ServerAnswerKind.HelloRetryRequest, answer.Kind);
        Assert.Equal((ushort)0x0018, answer.Group);
        Assert.Contains("secp384r1", answer.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_is_read_with_its_name()
    {
        var answer = ServerHelloReader.TryRead([21, 3, 3, 0, 2, 2, 70], closed: false);

        Assert.NotNull(answer);
        Assert.Equal(ServerAnswerKind.Alert, answer.Kind);
        Assert.Equal("protocol_version", answer.AlertName);
        Assert.Equal("Alert: fatal protocol_version (70)", answer.Describe());
    }

    [Fact]
    public void Plaintext_is_not_TLS_and_the_sentence_quotes_it()
    {
        var answer = ServerHelloReader.TryRead(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"), closed: true);

        Assert.NotNull(answer);
        Assert.Equal(ServerAnswerKind.NotTls, answer.Kind);
        Assert.Contains("\"HTTP/1.1 400 Bad Request\"", answer.Error, StringComparison.Ordinal);
        Assert.Contains("does not speak TLS", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_closed_connection_without_bytes_is_no_answer()
    {
        var answer = ServerHelloReader.TryRead([], closed: true);

        Assert.NotNull(answer);
        Assert.Equal(ServerAnswerKind.NoAnswer, answer.Kind);
        Assert.Contains("closed the connection without answering", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_prefix_waits_while_open_and_gives_a_clear_answer_once_closed()
    {
        foreach (var whole in new[] { Tls12Flight(true, true), Tls13Hello(false), Tls13Hello(true) })
        {
            var complete = ServerHelloReader.TryRead(whole, closed: false)!;
            for (var cut = 0; cut <= whole.Length; cut++)
            {
                var prefix = whole.AsSpan(0, cut);
                var open = ServerHelloReader.TryRead(prefix, closed: false);
                if (open is not null)
                {
                    Assert.True(open.Kind == complete.Kind, $"The first {cut} of {whole.Length} bytes of a {complete.Kind} were read as '{open}'.");
                    break;
                }

                Assert.True(cut < whole.Length, $"The whole {complete.Kind} was still 'not yet' with the connection open.");
                var closed = ServerHelloReader.TryRead(prefix, closed: true);
                Assert.NotNull(closed);
                if (!closed.Accepted)
                {
                    Assert.True(!string.IsNullOrWhiteSpace(closed.Error), $"Cut at {cut}, the answer {closed.Kind} carries no sentence.");
                }
                else
                {
                    Assert.False(closed.FlightComplete, $"Cut at {cut} of {whole.Length}, the flight cannot be complete.");
                }
            }
        }
    }

    [Fact]
    public void Random_bytes_never_throw_and_always_get_an_answer_once_closed()
    {
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            Assert.NotNull(ServerHelloReader.TryRead(bytes, closed: true));
            ServerHelloReader.TryRead(bytes, closed: false);
        }, iter: 20_000);
    }

    [Fact]
    public void Corrupted_answers_never_throw()
    {
        var wholes = new[] { Tls12Flight(true, true), Tls13Hello(false), Tls13Hello(true) };
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2000], Gen.Byte).Sample((which, at, value) =>
        {
            var bytes = (byte[])wholes[which].Clone();
            bytes[at % bytes.Length] = value;
            var answer = ServerHelloReader.TryRead(bytes, closed: true);
            Assert.NotNull(answer);
            if (answer.Kind is ServerAnswerKind.Malformed or ServerAnswerKind.NotTls or ServerAnswerKind.NoAnswer)
            {
                Assert.False(string.IsNullOrWhiteSpace(answer.Error));
            }
        }, iter: 20_000);
    }

    [Fact]
    public void A_server_that_starts_with_another_handshake_message_is_malformed()
    {
        byte[] message = [11, 0, 0, 3, 0, 0, 0];
        var answer = ServerHelloReader.TryRead(Record(22, message), closed: false);

        Assert.NotNull(answer);
        Assert.Equal(ServerAnswerKind.Malformed, answer.Kind);
        Assert.Contains("is certificate, not server_hello", answer.Error, StringComparison.Ordinal);
    }

    internal static byte[] Tls12Flight(bool certificateRequest, bool status)
    {
        var extensions = Concat(
            Ext(0xFF01, [0]),
            Ext(23, []),
            Ext(35, []),
            Ext(5, []),
            Ext(16, Vector16(Vector8("http/1.1"u8.ToArray()))));
        var hello = Message(2, Concat([3, 3], RandomNumberGenerator.GetBytes(32), [0], [0xC0, 0x2B], [0], Vector16(extensions)));
        var certificates = Message(11, Vector24(Concat(Vector24(new byte[300]), Vector24(new byte[200]))));
        var keyExchange = Message(12, Concat([3, 0, 0x17], Vector8(new byte[65]), [4, 3], Vector16(new byte[70])));
        var messages = Concat(hello, certificates, status ? Message(22, Concat([1], Vector24(new byte[50]))) : [], keyExchange,
            certificateRequest ? Message(13, [1, 64, 0, 2, 4, 3, 0, 0]) : [], Message(14, []));

        // Spread over records the way servers do: the ServerHello alone, the rest split mid-message.
        return Concat(Record(22, hello), Record(22, messages[hello.Length..300]), Record(22, messages[300..]));
    }

    internal static byte[] Tls13Hello(bool retry)
    {
        var random = retry ? SHA256.HashData("HelloRetryRequest"u8) : RandomNumberGenerator.GetBytes(32);
        var keyShare = retry ? Ext(51, [0, 0x18]) : Ext(51, Concat([0, 0x1D], Vector16(new byte[32])));
        var extensions = Concat(Ext(43, [3, 4]), keyShare);
        var hello = Message(2, Concat([3, 3], random, Vector8(new byte[32]), [0x13, 0x02], [0], Vector16(extensions)));
        // A TLS 1.3 server follows with a change_cipher_spec and encrypted records, which the reader never needs.
        return Concat(Record(22, hello), Record(20, [1]), Record(23, new byte[40]));
    }

    private static byte[] Record(byte type, byte[] payload) => Concat([type, 3, 3, (byte)(payload.Length >> 8), (byte)payload.Length], payload);

    private static byte[] Message(byte type, byte[] body) => Concat([type], Vector24(body));

    private static byte[] Ext(ushort type, byte[] data) => Concat([(byte)(type >> 8), (byte)type], Vector16(data));

    private static byte[] Vector8(byte[] data) => Concat([(byte)data.Length], data);

    private static byte[] Vector16(byte[] data) => Concat([(byte)(data.Length >> 8), (byte)data.Length], data);

    private static byte[] Vector24(byte[] data) => Concat([(byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length], data);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
