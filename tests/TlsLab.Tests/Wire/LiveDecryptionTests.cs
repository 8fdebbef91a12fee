using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TlsLab.Client;
using TlsLab.Tests.Interop;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

// Test strategy: real connections only. A real .NET client talks to the real lab through the recording tap, with .NET's own key
// logging on for this test process (TestKeyLog); the transcript the tap kept is then decrypted with the secrets .NET wrote, and
// must give back exactly the request the client sent and the page it received. One case per AEAD the kit opens (TLS 1.3
// AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305; TLS 1.2 ECDHE AES-128-GCM and AES-256-GCM), each pinned with a cipher-suite
// policy. The lab's TLS 1.2 endpoint serves no ChaCha20 suite, so TLS 1.2 ChaCha20 is checked against a real openssl s_server
// presenting the lab's certificate.
// Key logging exists on Linux only: elsewhere these tests skip, and the recorded fixture (RecordedCaptureTests) covers decryption.

/// <summary>A live lab connection, recorded by the tap, decrypts to the request and the page.</summary>
public sealed class LiveDecryptionTests(LabFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static TheoryData<string, string, string> Suites => new()
    {
        { "good", "TLS_AES_128_GCM_SHA256", "AES-128-GCM" },
        { "tls13-only", "TLS_AES_256_GCM_SHA384", "AES-256-GCM" },
        { "good", "TLS_CHACHA20_POLY1305_SHA256", "ChaCha20-Poly1305" },
        { "tls12-only", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "AES-128-GCM" },
        { "tls12-only", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "AES-256-GCM" },
    };

    [Theory]
    [MemberData(nameof(Suites))]
    public async Task A_recorded_lab_connection_decrypts_to_the_request_and_the_page(string scenario, string suite, string cipher)
    {
        Assert.SkipWhen(TestKeyLog.Problem is not null, $"No key log in this process: {TestKeyLog.Problem}");
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has no CipherSuitesPolicy.");
        var ct = TestContext.Current.CancellationToken;
        var lab = fixture.Lab;
        await using var tap = await RecordingTap.StartAsync(lab[scenario].EndPoint, ct);
        var options = lab.CreateClientOptions(scenario);
        var wanted = Enum.Parse<TlsCipherSuite>(suite);
        if (!OperatingSystem.IsWindows())
        {
            options.CipherSuitesPolicy = new CipherSuitesPolicy([wanted]);
        }

        options.EnabledSslProtocols = suite.StartsWith("TLS_ECDHE", StringComparison.Ordinal) ? SslProtocols.Tls12 : SslProtocols.Tls13;

        var outcome = await TlsClient.ConnectAsync(tap.EndPoint, options, "/", cancellationToken: ct);
        var connection = await tap.WaitForConnectionAsync(1, ct);
        await connection.Closed.WaitAsync(Patience, ct);

        Assert.True(outcome.Succeeded, $"The client could not fetch {scenario} with {suite}: {outcome.Explanation}");
        Assert.Equal(wanted, outcome.CipherSuite);
        var decrypted = DecryptedTranscript.Decrypt(connection.Transcript, TestKeyLog.Read());
        Assert.True(decrypted.Problems.Count == 0, $"The {suite} connection should decrypt completely with the key log .NET wrote; problems: " +
            string.Join(" | ", decrypted.Problems));
        Assert.Equal(AeadSuite.For((ushort)wanted)!.Cipher, cipher);
        var request = Encoding.ASCII.GetString(decrypted.ApplicationData(WireDirection.ClientToServer));
        Assert.Equal($"GET / HTTP/1.1\r\nHost: {lab[scenario].Host}\r\nConnection: close\r\n\r\n", request);
        var answer = Encoding.UTF8.GetString(decrypted.ApplicationData(WireDirection.ServerToClient));
        Assert.StartsWith(outcome.StatusLine + "\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n" + outcome.Body, answer, StringComparison.Ordinal);
        Assert.Contains(decrypted.Records, r => r.Messages.Any(m => m.Name == "Certificate"));
    }

    [Fact]
    public async Task A_TLS_1_2_ChaCha20_connection_to_openssl_decrypts_to_the_request_and_the_page()
    {
        Assert.SkipWhen(TestKeyLog.Problem is not null, $"No key log in this process: {TestKeyLog.Problem}");
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has no CipherSuitesPolicy.");
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("tlslab-chacha-").FullName;
        try
        {
            var files = fixture.Lab.WriteServerCredentials("good", folder);
            using var leaf = X509Certificate2.CreateFromPemFile(files.Certificate, files.Key);
            await using var server = await OpenSslServer.StartAsync(leaf, [fixture.Lab.Pki.Intermediate.PublicCertificate], "-tls1_2", "-cipher",
                "ECDHE-ECDSA-CHACHA20-POLY1305");
            await using var tap = await RecordingTap.StartAsync(server.EndPoint, ct);
            var options = fixture.Lab.CreateClientOptions("good");
            options.EnabledSslProtocols = SslProtocols.Tls12;
            if (!OperatingSystem.IsWindows())
            {
                options.CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]);
            }

            var outcome = await TlsClient.ConnectAsync(tap.EndPoint, options, "/", cancellationToken: ct);
            var connection = await tap.WaitForConnectionAsync(1, ct);
            await connection.Closed.WaitAsync(Patience, ct);

            Assert.True(outcome.Succeeded, $"The client could not fetch / from openssl s_server: {outcome.Explanation}\n{server.CommandLine}\n{server.Log}");
            var decrypted = DecryptedTranscript.Decrypt(connection.Transcript, TestKeyLog.Read());
            Assert.True(decrypted.Problems.Count == 0, "The TLS 1.2 ChaCha20 connection should decrypt completely; problems: " +
                string.Join(" | ", decrypted.Problems));
            Assert.Equal((ushort)TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, decrypted.CipherSuite);
            Assert.StartsWith("GET / HTTP/1.1\r\n", Encoding.ASCII.GetString(decrypted.ApplicationData(WireDirection.ClientToServer)),
                StringComparison.Ordinal);
            Assert.StartsWith(outcome.StatusLine!, Encoding.UTF8.GetString(decrypted.ApplicationData(WireDirection.ServerToClient)),
                StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
