using System.Text;
using TlsLab.Formatting;
using TlsLab.Tests.Wire.Fixtures;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

// Test strategy: decryption must work where key logging cannot (Windows, macOS), on a capture made elsewhere. Two lab connections
// were recorded on Linux with `tlslab capture good` and `tlslab capture tls12-only` and kept as fixtures with their key logs (the
// lab minted those keys for that run; they protect nothing). On every platform they must decrypt completely, to the request the
// client sent and the page it received, and the annotated view must show the certificate and the secret that opened each record.

/// <summary>Recorded lab captures decrypt on every platform.</summary>
public sealed class RecordedCaptureTests
{
    [Theory]
    [InlineData("lab-good-tls13.txt", "good.localhost", (ushort)0x0304, "SERVER_HANDSHAKE_TRAFFIC_SECRET")]
    [InlineData("lab-tls12-only.txt", "tls12-only.localhost", (ushort)0x0303, "CLIENT_RANDOM (the master secret; the server write key)")]
    public void A_recorded_lab_capture_decrypts_to_its_request_and_page(string fixture, string host, ushort version, string secret)
    {
        var trace = TraceFile.Load(fixture);

        var decrypted = DecryptedTranscript.Decrypt(trace.Transcript(), KeyLog.Parse(trace.KeyLog));

        Assert.True(decrypted.Problems.Count == 0, $"{fixture} should decrypt completely; problems: {string.Join(" | ", decrypted.Problems)}");
        Assert.Equal(version, decrypted.Version);
        Assert.Equal($"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
            Encoding.ASCII.GetString(decrypted.ApplicationData(WireDirection.ClientToServer)));
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.UTF8.GetString(decrypted.ApplicationData(WireDirection.ServerToClient)), StringComparison.Ordinal);
        var text = AnnotatedTranscript.For(decrypted).ToText();
        Assert.Contains($"opened with {secret}", text, StringComparison.Ordinal);
        Assert.Contains("certificate 0", text, StringComparison.Ordinal);
        Assert.Contains("certificate 1", text, StringComparison.Ordinal);
    }
}
