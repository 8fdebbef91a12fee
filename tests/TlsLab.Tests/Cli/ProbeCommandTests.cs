using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using TlsLab.Tests.Interop;

namespace TlsLab.Tests.Cli;

// Test strategy: `tlslab probe` runs in-process (CliRun) the way a person types it: a zoo scenario name
// (which starts its own lab), a HOST:PORT of the shared lab with --ca and --servername, and the four ways
// nothing answers (a closed port, the zoo's plaintext endpoint, a silent server started here, a name that
// does not resolve). The report must put the grade first; --json must carry every field the issue names;
// the exit codes are 0 (probed), 2 (bad arguments, in UsageErrorTests) and 3 (nothing answers), each
// failure one line. Agreement of what is found with openssl is ProbeAgreesWithOpenSslTests.

/// <summary>tlslab probe, end to end.</summary>
public sealed class ProbeCommandTests(LabFixture fixture, LabTrustFiles files) : IClassFixture<LabTrustFiles>
{
    private static readonly string[] JsonFields =
    [
        "target", "protocols", "cipherSuites", "groups", "chain", "chainComplete", "trusted", "nameMatches", "alpn", "ocspStapled",
        "clientCertRequested", "grade", "findings",
    ];

    [Fact]
    public async Task A_scenario_is_probed_in_its_own_lab_and_the_report_starts_with_the_grade()
    {
        var (exit, stdout, stderr) = await CliRun.CompleteAsync("probe", "good");

        Assert.True(exit == 0, $"tlslab probe good exited {exit}: {stderr}");
        var lines = stdout.Split('\n');
        Assert.StartsWith("tlslab probe good (127.0.0.1:", lines[0], StringComparison.Ordinal);
        Assert.Contains("Grade A", lines[2], StringComparison.Ordinal);
        foreach (var section in new[] { "Protocol versions", "Cipher suites", "Key exchange", "Certificate chain", "Features" })
        {
            Assert.True(stdout.Contains(section, StringComparison.Ordinal), $"The report has no '{section}' section:\n{stdout}");
        }

        Assert.Contains("ok      TLS 1.3 is accepted", stdout, StringComparison.Ordinal);
        Assert.Contains("The chain validates against the lab root.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_carries_every_documented_field()
    {
        var (exit, stdout, stderr) = await CliRun.CompleteAsync("probe", "expired", "--json");

        Assert.True(exit == 0, $"tlslab probe expired --json exited {exit}: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        foreach (var field in JsonFields)
        {
            Assert.True(root.TryGetProperty(field, out _), $"--json lacks '{field}':\n{stdout}");
        }

        Assert.Equal("T", root.GetProperty("grade").GetString());
        Assert.False(root.GetProperty("trusted").GetBoolean());
        Assert.True(root.GetProperty("protocols").GetProperty("TLS 1.3").GetBoolean());
        Assert.False(root.GetProperty("protocols").GetProperty("TLS 1.0").GetBoolean());
        Assert.Contains("TLS_AES_128_GCM_SHA256", root.GetProperty("cipherSuites").GetProperty("TLS 1.3").EnumerateArray().Select(s => s.GetString()));
        var leaf = root.GetProperty("chain")[0];
        foreach (var field in new[] { "subject", "issuer", "notBefore", "notAfter", "keyType", "keyBits", "signatureAlgorithm", "sans" })
        {
            Assert.True(leaf.TryGetProperty(field, out _), $"A chain entry lacks '{field}':\n{leaf}");
        }

        var finding = root.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("id").GetString() == "certificate.validity");
        Assert.Equal("bad", finding.GetProperty("severity").GetString());
        Assert.Contains("expired", finding.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_and_port_with_ca_and_servername_is_probed_like_the_scenario()
    {
        var endpoint = fixture.Lab["tls12-only"];

        var (exit, stdout, stderr) = await CliRun.CompleteAsync(
            "probe", $"127.0.0.1:{endpoint.Port}", "--servername", endpoint.Host, "--ca", files.Root, "--json", "--timeout", "3");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        Assert.Equal(endpoint.Host, root.GetProperty("serverName").GetString());
        Assert.True(root.GetProperty("trusted").GetBoolean() && root.GetProperty("nameMatches").GetBoolean(), stdout);
        Assert.False(root.GetProperty("protocols").GetProperty("TLS 1.3").GetBoolean());
        Assert.Equal("A", root.GetProperty("grade").GetString());
    }

    [Fact]
    public async Task A_closed_port_is_one_line_and_exit_3()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await AssertNothingAnswersAsync(["probe", $"127.0.0.1:{port}"], "Connection refused");
    }

    [Fact]
    public async Task The_plaintext_scenario_is_named_a_plaintext_HTTP_server()
    {
        await AssertNothingAnswersAsync(["probe", "plaintext", "--timeout", "1"], "it is a plaintext HTTP server");
    }

    [Fact]
    public async Task A_silent_server_is_a_timeout_in_one_line()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(100);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        await AssertNothingAnswersAsync(["probe", $"127.0.0.1:{port}", "--timeout", "0.5"], "sent nothing within 0.5 s");
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_one_line_and_exit_3()
    {
        await AssertNothingAnswersAsync(["probe", "no-such-host.invalid:443", "--timeout", "3"], "does not resolve");
    }

    [Fact]
    public async Task A_ca_file_without_certificates_is_a_usage_error()
    {
        var path = Path.Combine(files.Folder, "not-a-certificate.pem");
        await File.WriteAllTextAsync(path, "hello\n", TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await CliRun.CompleteAsync("probe", "good", "--ca", path);

        Assert.Equal(2, exit);
        Assert.Contains("holds no PEM certificate", stderr, StringComparison.Ordinal);
    }

    private static async Task AssertNothingAnswersAsync(string[] args, string expected)
    {
        var (exit, stdout, stderr) = await CliRun.CompleteAsync(args);

        var line = $"tlslab {string.Join(' ', args)}";
        Assert.True(exit == 3, $"'{line}' exited {exit}, not 3 (nothing answers). stderr: {stderr} stdout: {stdout}");
        Assert.True(stderr.Contains(expected, StringComparison.Ordinal), $"'{line}' should say \"{expected}\"; it said: {stderr}");
        Assert.True(stderr.Trim().Split('\n').Length == 1, $"'{line}' should fail in one line; it printed:\n{stderr}");
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
