using System.Text.Json;
using TlsLab.Zoo;

namespace TlsLab.Tests.Interop;

// The zoo's feature scenarios through Python's ssl module: a name of the test's choosing, an ALPN list, and the CN fallback on or
// off (SSLContext.hostname_checks_common_name); the verdict, the protocol ALPN selected and the answer come back as one JSON line.
public sealed partial class PythonInteropTests
{
    // argv: cafile host port alpn(comma-separated, or -) cn-fallback(1 or 0) [certfile keyfile]. Prints one JSON line and exits 0.
    private const string FeatureClient = """
        import json, socket, ssl, sys
        cafile, host, port, alpn, cn = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
        ctx = ssl.create_default_context(cafile=cafile)
        ctx.verify_flags |= ssl.VERIFY_X509_STRICT
        ctx.hostname_checks_common_name = cn
        if alpn != "-":
            ctx.set_alpn_protocols(alpn.split(","))
        if len(sys.argv) > 7:
            ctx.load_cert_chain(sys.argv[6], sys.argv[7])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                with ctx.wrap_socket(raw, server_hostname=host) as tls:
                    chosen = tls.selected_alpn_protocol()
                    body = ""
                    if chosen != "h2":
                        tls.sendall(("GET /handshake.json HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % host).encode("ascii"))
                        data = b""
                        while True:
                            chunk = tls.recv(65536)
                            if not chunk:
                                break
                            data += chunk
                        body = data.decode("utf-8", "replace").split("\r\n\r\n", 1)[-1]
            print(json.dumps({"result": "ok", "alpn": chosen, "body": body}))
        except ssl.SSLCertVerificationError as e:
            print(json.dumps({"result": "verify", "code": e.verify_code, "message": e.verify_message}))
        except (ssl.SSLError, OSError) as e:
            print(json.dumps({"result": type(e).__name__, "message": str(e)}))
        """;

    [Theory]
    [MemberData(nameof(PeerVerdicts.WildcardMisses), MemberType = typeof(PeerVerdicts))]
    public async Task Python_refuses_a_name_the_wildcard_does_not_cover_with_verify_code_62(string name, string host)
    {
        var (run, result) = await FeatureAsync(Endpoint(name), host);

        Assert.True(Text(result, "result") == "verify" && result.GetProperty("code").GetInt32() == 62,
            $"'{ScenarioCredentials.WildcardName}' covers exactly one label: Python should refuse it for {host} with verify_code 62, but got: " +
            $"{result}\n{run.Describe()}");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.CommonNameOnlyNames), MemberType = typeof(PeerVerdicts))]
    public async Task Python_accepts_a_name_only_in_the_common_name_until_told_not_to_fall_back(string name)
    {
        var endpoint = Endpoint(name);

        var (fallback, atDefaults) = await FeatureAsync(endpoint, endpoint.Host);
        var (strict, modern) = await FeatureAsync(endpoint, endpoint.Host, cnFallback: false);

        Assert.True(Text(atDefaults, "result") == "ok",
            $"Python's ssl falls back to the subject CN by default (hostname_checks_common_name = True), so it should accept '{name}', but got: " +
            $"{atDefaults}\n{fallback.Describe()}");
        Assert.True(Text(modern, "result") == "verify" && modern.GetProperty("code").GetInt32() == 62,
            $"With hostname_checks_common_name = False, Python checks the SAN only, as browsers do, and should refuse '{name}' with verify_code 62, " +
            $"but got: {modern}\n{strict.Describe()}");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.ApplicationProtocolChoiceNames), MemberType = typeof(PeerVerdicts))]
    public async Task Python_gets_h2_when_it_offers_it_and_is_refused_for_an_unknown_protocol(string name)
    {
        var endpoint = Endpoint(name);

        var (_, h2) = await FeatureAsync(endpoint, endpoint.Host, "http/1.1,h2");
        var (_, http11) = await FeatureAsync(endpoint, endpoint.Host, "http/1.1");
        var (unknownRun, unknown) = await FeatureAsync(endpoint, endpoint.Host, "tlslab-unknown");

        Assert.True(Text(h2, "result") == "ok" && Text(h2, "alpn") == "h2", $"'{name}' prefers h2 whatever the client's order; Python got: {h2}");
        Assert.True(Text(http11, "result") == "ok" && Text(http11, "alpn") == "http/1.1", $"Python offering only http/1.1 got: {http11}");
        Assert.Contains("\"alpn\": \"http/1.1\"", Text(http11, "body"), StringComparison.Ordinal);
        Assert.True(Text(unknown, "result") == "SSLError" && Text(unknown, "message")!.Contains("no application protocol", StringComparison.OrdinalIgnoreCase),
            $"Python offering only an unknown protocol should be refused with the no_application_protocol alert by '{name}', but got: {unknown}\n" +
            unknownRun.Describe());
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.ClientCertificateOptionalNames), MemberType = typeof(PeerVerdicts))]
    public async Task Python_is_served_by_client_cert_optional_with_and_without_a_client_certificate(string name)
    {
        var endpoint = Endpoint(name);

        var (_, without) = await FeatureAsync(endpoint, endpoint.Host);
        var (run, with) = await FeatureAsync(endpoint, endpoint.Host, certificateAndKey: [files.Client.Chain, files.Client.Key]);

        Assert.True(Text(without, "result") == "ok" && Text(with, "result") == "ok", $"'{name}' should serve Python with and without a client " +
            $"certificate: {without} / {with}\n{run.Describe()}");
        Assert.Contains("\"clientCertificateValid\": null", Text(without, "body"), StringComparison.Ordinal);
        Assert.Contains("\"clientCertificateValid\": true", Text(with, "body"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.CertificatePerNameNames), MemberType = typeof(PeerVerdicts))]
    public async Task Python_asking_for_the_other_name_gets_the_other_certificate(string name)
    {
        var (run, result) = await FeatureAsync(Endpoint(name), ScenarioCredentials.SniAlternativeName);

        Assert.True(Text(result, "result") == "ok", $"Python asking '{name}' for {ScenarioCredentials.SniAlternativeName} should be served: {result}\n" +
            run.Describe());
        Assert.Contains($"\"serverCertificate\": \"{ScenarioCredentials.SniAlternativeName}\"", Text(result, "body"), StringComparison.Ordinal);
    }

    private async Task<(ToolRun Run, JsonElement Result)> FeatureAsync(LabEndpoint endpoint, string host, string alpn = "-", bool cnFallback = true,
        string[]? certificateAndKey = null)
    {
        var python = await Peers.PythonAsync();
        var run = await ExternalTool.RunAsync(
            python.Path,
            ["-I", "-c", FeatureClient, files.Root, host, endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), alpn,
                cnFallback ? "1" : "0", .. certificateAndKey ?? []],
            cancellationToken: TestContext.Current.CancellationToken);
        var line = run.StandardOutput.Trim().Split('\n')[^1];
        Assert.True(run.ExitCode == 0 && line.StartsWith('{'), $"The Python client did not run to the end.\n{run.Describe()}");
        using var document = JsonDocument.Parse(line);
        return (run, document.RootElement.Clone());
    }
}
