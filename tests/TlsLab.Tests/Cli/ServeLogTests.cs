using System.Net.Security;
using System.Security.Authentication;
using TlsLab.Client;
using TlsLab.Tests.Interop;
using TlsLab.Zoo;

namespace TlsLab.Tests.Cli;

/// <summary>
/// serve's connection log says in the kit's words why a handshake failed: not OpenSSL's "error:0A000418:SSL routines::tlsv1 alert
/// unknown ca", not .NET's "rejected by the provided RemoteCertificateValidationCallback" for a client that sent no certificate.
/// </summary>
public sealed class ServeLogTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_client_without_a_certificate_at_client_cert_required_is_told_it_sent_none()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["client-cert-required"] }, ct);

        var outcome = await TlsClient.ConnectAsync(lab["client-cert-required"].EndPoint, lab.CreateClientOptions("client-cert-required"),
            cancellationToken: ct);
        var record = await lab.WaitForConnectionAsync(r => r.Scenario == "client-cert-required", Patience, ct);

        Assert.False(outcome.Succeeded && record.Outcome == LabEventKind.Served, "client-cert-required served a client that sent no certificate.");
        AssertPlain(record, LabEventKind.HandshakeFailed);
        Assert.StartsWith("The client sent no client certificate", record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_lab_root_is_named_as_the_one_that_refused()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The server learns the client's alert only as the TLS library's text; the kit reads " +
            "OpenSSL's, which .NET uses on Linux.");
        var openssl = await Peers.OpenSslAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good", "expired"] }, ct);
        var folder = Directory.CreateTempSubdirectory("tlslab-serve-log-");
        try
        {
            var root = lab.WriteRootCertificate(Path.Combine(folder.FullName, "lab-root.pem"));

            // openssl checks the certificate inside the handshake and says why it refuses in an alert: good with the system's
            // trust store (no lab root), expired with the lab root.
            await SClientAsync(openssl, lab["good"], []);
            var good = await lab.WaitForConnectionAsync(r => r.Scenario == "good", Patience, ct);
            await SClientAsync(openssl, lab["expired"], ["-CAfile", root]);
            var expired = await lab.WaitForConnectionAsync(r => r.Scenario == "expired", Patience, ct);

            AssertPlain(good, LabEventKind.HandshakeFailed);
            Assert.StartsWith("The client refused the lab's certificate", good.Error, StringComparison.Ordinal);
            Assert.Contains("lab-root.pem", good.Error, StringComparison.Ordinal);
            AssertPlain(expired, LabEventKind.HandshakeFailed);
            Assert.StartsWith("The client refused this endpoint's certificate (its alert: certificate_expired)", expired.Error,
                StringComparison.Ordinal);
            Assert.Contains("as a careful client should", expired.Error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Task<ToolRun> SClientAsync(Peer openssl, LabEndpoint endpoint, IEnumerable<string> trust) =>
        ExternalTool.RunAsync(openssl.Path,
            ["s_client", "-connect", $"{endpoint.Address}:{endpoint.Port}", "-servername", endpoint.Host, "-verify_hostname", endpoint.Host,
                .. trust, "-verify_return_error", "-brief"], standardInput: "", cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_TLS_13_client_that_refuses_after_the_handshake_is_explained_too()
    {
        Assert.SkipUnless(PlatformSupport.Tls13, "TLS 1.3 is not available here.");
        var ct = TestContext.Current.CancellationToken;
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"] }, ct);

        var options = new SslClientAuthenticationOptions { TargetHost = lab["good"].Host, EnabledSslProtocols = SslProtocols.Tls13 };
        var outcome = await TlsClient.ConnectAsync(lab["good"].EndPoint, options, cancellationToken: ct);
        var record = await lab.WaitForConnectionAsync(r => r.Scenario == "good", Patience, ct);

        Assert.False(outcome.Succeeded, "A client without the lab root connected to good.");
        if (record.Outcome == LabEventKind.HandshakeFailed)
        {
            // A TLS library that checks inside the handshake sends its alert there.
            AssertPlain(record, LabEventKind.HandshakeFailed);
            return;
        }

        // Then the client either closes cleanly or resets the connection, depending on timing; both are explained.
        Assert.True(record.Outcome is LabEventKind.BadRequest or LabEventKind.Served, $"The lab recorded {record.Outcome}: {record.Error}");
        AssertPlain(record, record.Outcome);
        Assert.Contains("refused it", record.Error, StringComparison.Ordinal);
        Assert.Contains("lab root", record.Error, StringComparison.Ordinal);
    }

    private static void AssertPlain(ConnectionRecord record, LabEventKind expected)
    {
        Assert.True(record.Outcome == expected, $"{record.Scenario}: expected {expected}, the lab recorded " +
            $"{record.Outcome}: {record.Error}");
        Assert.NotNull(record.Error);
        Assert.DoesNotContain("error:0A", record.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("SSL routines", record.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("RemoteCertificateValidationCallback", record.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("transport connection", record.Error, StringComparison.Ordinal);
    }
}
