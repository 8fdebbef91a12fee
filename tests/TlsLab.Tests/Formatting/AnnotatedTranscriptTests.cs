using TlsLab.Formatting;
using TlsLab.Tests.Wire.Fixtures;
using TlsLab.Wire;

namespace TlsLab.Tests.Formatting;

// Test strategy: the annotated view is read by a learner, so the test reads it too: RFC 8448's connection, decrypted, must show
// in both renderings (text for twins, HTML for notebooks) the facts the lesson points at: who sent each record, the record
// header and why its legacy version says 3,1 or 3,3, the random, the suites and extensions by their IANA names, the key share,
// the certificate, where each side starts encrypting, and which secret opens each encrypted record. A key log that cannot be
// read is a note in the view, not an exception.

/// <summary>The annotated view names every field a lesson points at.</summary>
public sealed class AnnotatedTranscriptTests
{
    private static readonly TraceFile Trace = TraceFile.Load("rfc8448-simple-1rtt.txt");

    [Fact]
    public void The_text_view_labels_every_field_a_lesson_points_at()
    {
        var view = AnnotatedTranscript.For(DecryptedTranscript.Decrypt(Trace.Transcript(), KeyLog.Parse(Trace.KeyLog)));
        var text = view.ToText();

        string[] expected =
        [
            "Every byte of one connection: TLS 1.3, TLS_AES_128_GCM_SHA256",
            ">>> client -> server: record 1: ClientHello (201 bytes, in the clear)",
            "<<< server -> client: record 2: ServerHello",
            "3,1 means TLS 1.0",
            "TLS 1.3 records keep saying 1.2",
            "session id",
            "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7",
            "3 offered: TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256,",
            "TLS_AES_256_GCM_SHA384",
            "extension server_name (0)",
            "extension key_share (51)",
            "x25519: 32-byte public key",
            "From here on the server encrypts",
            "From here on the client encrypts",
            "opened with SERVER_HANDSHAKE_TRAFFIC_SECRET (record number 0 under this key)",
            "opened with CLIENT_TRAFFIC_SECRET_0",
            "certificate 0",
            "CN=rsa",
            "[CertificateVerify]",
            "[NewSessionTicket]",
            "[Alert: close_notify]",
        ];
        foreach (var fragment in expected)
        {
            Assert.True(text.Contains(fragment, StringComparison.Ordinal), $"The text view should show \"{fragment}\". It reads:\n{text}");
        }
    }

    [Fact]
    public void The_HTML_view_tells_client_and_server_apart_by_colour()
    {
        var html = AnnotatedTranscript.For(DecryptedTranscript.Decrypt(Trace.Transcript(), KeyLog.Parse(Trace.KeyLog))).ToHtml();

        Assert.Contains("#3b82f6", html, StringComparison.Ordinal);
        Assert.Contains("#f59e0b", html, StringComparison.Ordinal);
        Assert.Contains("client &#8594; server", html, StringComparison.Ordinal);
        Assert.Contains("SERVER_HANDSHAKE_TRAFFIC_SECRET", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_key_log_that_cannot_be_read_is_a_note()
    {
        var view = TlsViews.Decrypted(Trace.Transcript(), Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.log"));

        Assert.Contains("Cannot read the key log", view.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_key_shows_which_records_stay_sealed_and_why()
    {
        var wrong = Trace.KeyLog.Replace("b67b7d69", "b67b7d6a", StringComparison.Ordinal);

        var text = AnnotatedTranscript.For(DecryptedTranscript.Decrypt(Trace.Transcript(), KeyLog.Parse(wrong))).ToText();

        Assert.Contains("[x] encrypted; not opened: The authentication tag does not match", text, StringComparison.Ordinal);
    }
}
