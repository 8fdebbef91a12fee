using System.Security.Authentication;
using System.Text.RegularExpressions;
using TlsLab.Zoo;

namespace TlsLab.Tests.Interop;

/// <summary>
/// curl against the zoo, the way the lessons tell learners to call it: <c>--cacert</c> with the
/// lab root and <c>--resolve</c> so the scenario's name reaches 127.0.0.1. Asserts curl's exit
/// codes (60: the peer's certificate failed verification; 35: the TLS handshake failed) and, for
/// certificate failures, the OpenSSL verify result curl reports.
/// </summary>
public sealed partial class CurlInteropTests(LabFixture fixture, LabTrustFiles files) : IClassFixture<LabTrustFiles>
{
    private const string VerifyMarker = "tlslab-verify-result=";

    /// <summary>Single-version scenarios with curl's options for the version they do not speak.</summary>
    public static TheoryData<string, string> OtherVersion => new(PeerVerdicts.SingleVersion.Select(v =>
        (v.Scenario.Name, v.Other == SslProtocols.Tls13 ? "--tlsv1.3 --tls-max 1.3" : "--tlsv1.2 --tls-max 1.2")));

    [Theory]
    [MemberData(nameof(PeerVerdicts.AcceptedNames), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_trusting_the_lab_root_gets_the_scenarios_page(string name)
    {
        var endpoint = Endpoint(name);

        var run = await CurlAsync(endpoint, await Peers.CurlWithOpenSslAsync());

        Assert.True(run.ExitCode == 0, $"curl --cacert <lab root> should fetch {endpoint.Url}.\n{run.Describe()}");
        Assert.Contains($"tlslab scenario '{name}'", run.StandardOutput, StringComparison.Ordinal);
    }

    // curl 7.88 with OpenSSL 3 prints "curl: (60) SSL certificate problem: certificate has expired"
    // and so on, with %{ssl_verify_result} = OpenSSL's X509_V_ERR code. A name mismatch is also
    // exit 60, but without that code (PeerVerdicts.CurlChecksTheNameItself).
    [Theory]
    [MemberData(nameof(PeerVerdicts.CertificateRefusalNames), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_refuses_a_broken_certificate_with_exit_code_60_for_the_right_reason(string name)
    {
        var endpoint = Endpoint(name);
        var (_, _, _, verifyResult, mentions) = PeerVerdicts.Certificate(name);

        var run = await CurlAsync(endpoint, await Peers.CurlWithOpenSslAsync());

        Assert.True(run.ExitCode == 60, $"curl should refuse '{name}' with exit code 60 (peer certificate cannot be authenticated); it exited " +
            $"{run.ExitCode}.\n{run.Describe()}");
        Assert.True(run.StandardError.Contains(mentions, StringComparison.Ordinal), $"curl's message for '{name}' should mention " +
            $"'{mentions}'.\n{run.Describe()}");
        Assert.DoesNotContain("tlslab scenario", run.StandardOutput, StringComparison.Ordinal);
        if (verifyResult is not null)
        {
            var reported = VerifyResult().Match(run.StandardOutput);
            Assert.True(reported.Success && int.Parse(reported.Groups[1].Value) == verifyResult,
                $"curl's %{{ssl_verify_result}} for '{name}' should be X509_V_ERR {verifyResult}.\n{run.Describe()}");
        }
    }

    [Theory]
    [MemberData(nameof(OtherVersion))]
    public async Task Curl_limited_to_the_other_protocol_version_fails_the_handshake_with_exit_code_35(string name, string versions)
    {
        var endpoint = Endpoint(name);

        var run = await CurlAsync(endpoint, await Peers.CurlWithOpenSslAsync(), versions.Split(' '));

        Assert.True(run.ExitCode == 35, $"curl {versions} against '{name}' should fail the handshake (exit 35); it exited {run.ExitCode}.\n{run.Describe()}");
        Assert.True(run.StandardError.Contains("protocol version", StringComparison.Ordinal),
            $"The server should say why: a protocol_version alert.\n{run.Describe()}");
    }

    // .NET checks the client certificate after its side of the handshake and closes without an
    // alert; with TLS 1.3 curl has already sent its request and reads nothing back: exit 52
    // ("Empty reply from server"). Over TLS 1.2 the same refusal shows as a receive error (56).
    [Theory]
    [MemberData(nameof(PeerVerdicts.ClientCertificateNames), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_without_a_client_certificate_gets_no_answer_from_client_cert_required(string name)
    {
        var endpoint = Endpoint(name);

        var run = await CurlAsync(endpoint, await Peers.CurlWithOpenSslAsync());

        Assert.True(run.ExitCode is 52 or 56 or 35,
            $"curl without --cert should be turned away by '{name}' (exit 52, 56 or 35); it exited {run.ExitCode}.\n{run.Describe()}");
        Assert.DoesNotContain("tlslab scenario", run.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.ClientCertificateNames), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_with_a_lab_issued_client_certificate_is_served_by_client_cert_required(string name)
    {
        var endpoint = Endpoint(name);

        var run = await CurlAsync(endpoint, await Peers.CurlWithOpenSslAsync(), ["--cert", files.Client.Chain, "--key", files.Client.Key]);

        Assert.True(run.ExitCode == 0, $"curl --cert/--key with a lab-issued client certificate should be served.\n{run.Describe()}");
        Assert.Contains($"CN={LabTrustFiles.ClientName}", run.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.PlaintextNames), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_fetches_the_plaintext_endpoint_over_http(string name)
    {
        var curl = await Peers.CurlAsync();
        var endpoint = fixture.Lab[name];

        var run = await RunAsync(curl, ["--resolve", $"{endpoint.Host}:{endpoint.Port}:{endpoint.Address}", endpoint.Url.ToString()]);

        Assert.True(run.ExitCode == 0, $"curl {endpoint.Url} should work.\n{run.Describe()}");
        Assert.Contains($"tlslab scenario '{name}'", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_speaking_plain_http_to_a_tls_port_gets_a_plaintext_400_that_says_so()
    {
        var curl = await Peers.CurlAsync();
        var endpoint = fixture.Lab["good"];
        var url = $"http://{endpoint.Host}:{endpoint.Port}/";

        var run = await RunAsync(curl, ["--include", "--resolve", $"{endpoint.Host}:{endpoint.Port}:{endpoint.Address}", url]);

        Assert.True(run.ExitCode == 0, $"curl {url} (http:// to a TLS port) should get an HTTP answer.\n{run.Describe()}");
        Assert.StartsWith("HTTP/1.1 400 Bad Request", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("this port speaks TLS", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_curl_command_the_lab_prints_for_learners_works_as_printed()
    {
        var curl = await Peers.CurlWithOpenSslAsync();
        var command = ExternalTool.SplitCommandLine(fixture.Lab["good"].CurlCommand(files.Root));
        Assert.Equal("curl", command[0]);

        var run = await ExternalTool.RunAsync(curl.Path, ["-q", "--noproxy", "*", "--max-time", "10", .. command.Skip(1)],
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, $"The command LabEndpoint.CurlCommand gives learners should fetch 'good'.\n{run.Describe()}");
        Assert.Contains("tlslab scenario 'good'", run.StandardOutput, StringComparison.Ordinal);
    }

    private LabEndpoint Endpoint(string name)
    {
        if (PlatformSupport.Problem(ScenarioCatalog.Find(name)!) is { } reason)
        {
            Assert.Skip($"'{name}' is not served on this platform: {reason}");
        }

        return fixture.Lab[name];
    }

    private Task<ToolRun> CurlAsync(LabEndpoint endpoint, Peer curl, IEnumerable<string>? extra = null, string path = "") =>
        RunAsync(curl,
        [
            "--cacert", files.Root,
            "--resolve", $"{endpoint.Host}:{endpoint.Port}:{endpoint.Address}",
            "--write-out", $"\n{VerifyMarker}%{{ssl_verify_result}}\n",
            .. extra ?? [],
            new Uri(endpoint.Url, path).ToString(),
        ]);

    private static Task<ToolRun> RunAsync(Peer curl, IEnumerable<string> arguments) =>
        ExternalTool.RunAsync(
            curl.Path,
            ["-q", "--silent", "--show-error", "--max-time", "10", "--noproxy", "*", .. arguments], // -q first: ignore any ~/.curlrc
            cancellationToken: TestContext.Current.CancellationToken);

    [GeneratedRegex(VerifyMarker + @"(\d+)")]
    private static partial Regex VerifyResult();
}
