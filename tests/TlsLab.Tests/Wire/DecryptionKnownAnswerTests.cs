using System.Security.Cryptography;
using TlsLab.Tests.Wire.Fixtures;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

// Test strategy: known answers first. RFC 8448 section 3 publishes one whole TLS 1.3 connection (every record as sent, and every
// secret): its records, fed through a recorder as a transcript, with its four traffic secrets as a key log, must decrypt to the
// plaintext the RFC prints, message by message. An AEAD tag checks every byte, so one wrong byte in a key or record fails loudly.
// Then the failures a learner meets (a wrong or missing secret, garbage, a record cut off, random corruption) must each come back
// as a sentence in Problems, never as an exception from deep inside.

/// <summary>RFC 8448's trace decrypts to its plaintext; bad input gives a diagnosis, not a throw.</summary>
public sealed class DecryptionKnownAnswerTests
{
    private static readonly TraceFile Trace = TraceFile.Load("rfc8448-simple-1rtt.txt");

    [Fact]
    public void The_key_schedule_gives_the_RFCs_handshake_key_and_iv()
    {
        var secret = Convert.FromHexString("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");

        var (key, iv) = TlsKeySchedule.TrafficKeys(HashAlgorithmName.SHA256, secret, 16);

        Assert.Equal("3fce516009c21727d0f2e4e86ee403bc", Convert.ToHexStringLower(key));
        Assert.Equal("5d313eb2671276ee13000b30", Convert.ToHexStringLower(iv));
    }

    [Fact]
    public void RFC_8448s_simple_handshake_decrypts_to_its_plaintext()
    {
        var decrypted = DecryptedTranscript.Decrypt(Trace.Transcript(), KeyLog.Parse(Trace.KeyLog));

        Assert.True(decrypted.Problems.Count == 0, "The RFC 8448 trace should open completely; problems: " + string.Join(" | ", decrypted.Problems));
        Assert.Equal((ushort)0x0304, decrypted.Version);
        Assert.Equal((ushort)0x1301, decrypted.CipherSuite);
        Assert.Equal(9, decrypted.Records.Count);
        Assert.Equal([RecordProtection.Plain, RecordProtection.Plain], decrypted.Records.Take(2).Select(r => r.Protection));
        Assert.All(decrypted.Records.Skip(2), r => Assert.Equal(RecordProtection.Opened, r.Protection));

        var flight = decrypted.Records[2];
        Assert.Equal("SERVER_HANDSHAKE_TRAFFIC_SECRET", flight.Secret);
        Assert.Equal(["EncryptedExtensions", "Certificate", "CertificateVerify", "Finished"], flight.Messages.Select(m => m.Name));
        Assert.Equal(Trace.Expected["EncryptedExtensions"], flight.Messages[0].Body);
        Assert.Equal(Trace.Expected["CertificateVerify"], flight.Messages[2].Body);
        Assert.Equal(Trace.Expected["server Finished"], flight.Messages[3].Body);
        Assert.Contains(flight.Messages[1].Fields, f => f.Name == "certificate 0" && f.Value.Contains("CN=rsa", StringComparison.Ordinal));

        var clientFinished = decrypted.Records[3];
        Assert.Equal("CLIENT_HANDSHAKE_TRAFFIC_SECRET", clientFinished.Secret);
        Assert.Equal(Trace.Expected["client Finished"], clientFinished.Messages.Single().Body);

        var ticket = decrypted.Records[4];
        Assert.Equal("SERVER_TRAFFIC_SECRET_0", ticket.Secret);
        Assert.Equal("NewSessionTicket", ticket.Messages.Single().Name);

        // The trace's application data is the 50 bytes 00 01 02 ... 31, both ways.
        byte[] fifty = [.. Enumerable.Range(0, 50).Select(i => (byte)i)];
        Assert.Equal(fifty, decrypted.ApplicationData(WireDirection.ClientToServer));
        Assert.Equal(fifty, decrypted.ApplicationData(WireDirection.ServerToClient));
        Assert.Equal("CLIENT_TRAFFIC_SECRET_0", decrypted.Records[5].Secret);
        Assert.Equal((ulong)1, decrypted.Records[6].Sequence);
        Assert.All(decrypted.Records.Skip(7), r => Assert.Equal("Alert: close_notify", r.Messages.Single().Name));
    }

    [Fact]
    public void A_wrong_secret_says_the_tag_does_not_match()
    {
        var wrong = Trace.KeyLog.Replace("b67b7d69", "b67b7d6a", StringComparison.Ordinal);

        var decrypted = DecryptedTranscript.Decrypt(Trace.Transcript(), KeyLog.Parse(wrong));

        Assert.Equal(RecordProtection.Sealed, decrypted.Records[2].Protection);
        Assert.Contains(decrypted.Problems, p => p.Contains("authentication tag does not match", StringComparison.Ordinal));
        Assert.Equal(RecordProtection.Opened, decrypted.Records[3].Protection);
    }

    [Fact]
    public void A_key_log_of_another_connection_names_the_missing_secret()
    {
        var other = Trace.KeyLog.Replace("cb34ecb1", "00000000", StringComparison.Ordinal);

        var decrypted = DecryptedTranscript.Decrypt(Trace.Transcript(), KeyLog.Parse(other));

        Assert.All(decrypted.Records.Skip(2), r => Assert.Equal(RecordProtection.Sealed, r.Protection));
        Assert.Contains(decrypted.Problems, p => p.Contains("has no SERVER_HANDSHAKE_TRAFFIC_SECRET for this connection", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_key_log_lines_are_named_and_skipped()
    {
        var log = KeyLog.Parse(Trace.KeyLog + "CLIENT_RANDOM nothex 1234\nonly two\n# a comment\n");

        Assert.Equal(4, log.Count);
        Assert.Equal(2, log.Problems.Count);
        Assert.Contains("client random must be 64 hex digits", log.Problems[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: good.tlslab.test\r\n\r\n")]
    [InlineData("\u0016\u0003\u0001\u00ff\u00ff")]
    public void Bytes_that_are_not_TLS_get_a_diagnosis(string sent)
    {
        var recorder = new WireRecorder(long.MaxValue);
        recorder.Record(WireDirection.ClientToServer, System.Text.Encoding.Latin1.GetBytes(sent));

        var decrypted = DecryptedTranscript.Decrypt(recorder.Snapshot(), KeyLog.Parse(Trace.KeyLog));

        Assert.Empty(decrypted.Records);
        Assert.Contains(decrypted.Problems, p => p.Contains("no complete TLS record", StringComparison.Ordinal));
        Assert.True(decrypted.Problems.Count >= 2, "Besides 'nothing to decrypt' the reader should say what the bytes were: " +
            string.Join(" | ", decrypted.Problems));
    }

    [Fact]
    public void A_record_cut_off_mid_way_is_named()
    {
        var transcript = Trace.Transcript((i, bytes) => i == 2 ? bytes[..300] : bytes);

        var decrypted = DecryptedTranscript.Decrypt(transcript, KeyLog.Parse(Trace.KeyLog));

        Assert.Contains(decrypted.Problems, p => p.Contains("a record cut off before its end", StringComparison.Ordinal));
    }

    [Fact]
    public void Corrupted_records_never_throw()
    {
        var random = new Random(8448);
        var log = KeyLog.Parse(Trace.KeyLog);
        for (var round = 0; round < 400; round++)
        {
            var target = random.Next(Trace.Records.Count);
            var transcript = Trace.Transcript((i, bytes) =>
            {
                if (i != target)
                {
                    return bytes;
                }

                var changed = (byte[])bytes.Clone();
                changed[random.Next(changed.Length)] ^= (byte)(1 << random.Next(8));
                return random.Next(4) == 0 ? changed[..random.Next(changed.Length)] : changed;
            });

            var decrypted = DecryptedTranscript.Decrypt(transcript, log);

            Assert.NotNull(decrypted.Problems);
        }
    }
}
