using TlsLab.Zoo;

namespace TlsLab.Tests.Interop;

// The zoo's feature scenarios through curl, as a learner would type it (--cacert, --resolve, --cert, --http1.1, -v): the exit code,
// curl's own verbose account of the ALPN it offered and was given, and what the lab's /handshake.json reports back.
public sealed partial class CurlInteropTests
{
    [Theory]
    [MemberData(nameof(PeerVerdicts.ClientCertificateOptionalNames), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_is_served_by_client_cert_optional_with_and_without_a_client_certificate(string name)
    {
        var endpoint = Endpoint(name);
        var curl = await Peers.CurlWithOpenSslAsync();

        var without = await CurlAsync(endpoint, curl, path: "handshake.json");
        var with = await CurlAsync(endpoint, curl, ["--cert", files.Client.Chain, "--key", files.Client.Key], "handshake.json");

        Assert.True(without.ExitCode == 0 && with.ExitCode == 0,
            $"'{name}' should serve curl with and without --cert.\n{without.Describe()}\n{with.Describe()}");
        Assert.Contains("\"clientCertificate\": null", without.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"CN={LabTrustFiles.ClientName}", with.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"clientCertificateValid\": true", with.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.WildcardMisses), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_refuses_a_name_the_wildcard_does_not_cover_with_exit_code_60(string name, string host)
    {
        var endpoint = Endpoint(name);
        var url = $"https://{host}:{endpoint.Port}/";

        var run = await RunAsync(await Peers.CurlWithOpenSslAsync(), ["--cacert", files.Root, "--resolve", $"{host}:{endpoint.Port}:{endpoint.Address}", url]);

        Assert.True(run.ExitCode == 60 && run.StandardError.Contains(host, StringComparison.Ordinal),
            $"curl {url} should refuse '{ScenarioCredentials.WildcardName}' for {host} (exit 60, naming the host).\n{run.Describe()}");
    }

    // curl offers h2 and http/1.1; the lab chooses h2, then answers the HTTP/2 request with HTTP_1_1_REQUIRED, and curl asks again
    // over HTTP/1.1 on a new connection (offering http/1.1 only), which the lab answers.
    [Theory]
    [MemberData(nameof(PeerVerdicts.ApplicationProtocolChoiceNames), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_is_given_h2_is_told_http11_is_required_and_gets_its_answer_over_http11(string name)
    {
        var endpoint = Endpoint(name);
        var curl = await Peers.CurlWithOpenSslAsync();
        var version = await ExternalTool.RunAsync(curl.Path, ["--version"], cancellationToken: TestContext.Current.CancellationToken);
        if (!version.StandardOutput.Contains("HTTP2", StringComparison.Ordinal))
        {
            Assert.Skip("This curl has no HTTP/2 support (nghttp2), so it cannot offer h2.");
        }

        var run = await CurlAsync(endpoint, curl, ["--http2", "--verbose"], "handshake.json");
        var http11 = await CurlAsync(endpoint, curl, ["--http1.1"], "handshake.json");

        Assert.True(run.ExitCode == 0 && run.StandardError.Contains("ALPN: server accepted h2", StringComparison.Ordinal)
            && run.StandardError.Contains("HTTP_1_1_REQUIRED", StringComparison.Ordinal),
            $"curl --http2 should be given h2 by '{name}', told HTTP_1_1_REQUIRED, and retry.\n{run.Describe()}");
        Assert.Contains("\"alpn\": \"http/1.1\"", run.StandardOutput, StringComparison.Ordinal);
        Assert.True(http11.ExitCode == 0 && http11.StandardOutput.Contains("\"alpn\": \"http/1.1\"", StringComparison.Ordinal),
            $"curl --http1.1 offers only http/1.1 and should get it from '{name}'.\n{http11.Describe()}");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.CommonNameOnlyNames), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_still_accepts_a_name_found_only_in_the_common_name(string name)
    {
        var endpoint = Endpoint(name);

        var run = await CurlAsync(endpoint, await Peers.CurlWithOpenSslAsync());

        Assert.True(run.ExitCode == 0 && run.StandardOutput.Contains($"tlslab scenario '{name}'", StringComparison.Ordinal),
            $"curl (with OpenSSL) falls back to the subject CN when there is no SAN, so it should fetch '{name}' (a browser refuses it).\n" +
            run.Describe());
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.CertificatePerNameNames), MemberType = typeof(PeerVerdicts))]
    public async Task Curl_asking_for_the_other_name_gets_the_other_certificate(string name)
    {
        var endpoint = Endpoint(name);
        var host = ScenarioCredentials.SniAlternativeName;
        var url = $"https://{host}:{endpoint.Port}/handshake.json";

        var run = await RunAsync(await Peers.CurlWithOpenSslAsync(), ["--cacert", files.Root, "--resolve", $"{host}:{endpoint.Port}:{endpoint.Address}", url]);

        Assert.True(run.ExitCode == 0 && run.StandardOutput.Contains($"\"serverCertificate\": \"{host}\"", StringComparison.Ordinal),
            $"curl {url} should be served the certificate for {host} by '{name}'.\n{run.Describe()}");
    }
}
