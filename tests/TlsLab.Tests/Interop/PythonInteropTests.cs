using System.Text.Json;
using TlsLab.Zoo;

namespace TlsLab.Tests.Interop;

/// <summary>
/// Python's ssl module (the talk's own client) against the zoo, with
/// <c>VERIFY_X509_STRICT</c> on: the good endpoints must pass OpenSSL's strict RFC 5280 checks
/// (Python 3.13 turns them on by default), and the broken ones must fail with the verify code
/// of their scenario.
/// </summary>
public sealed partial class PythonInteropTests(LabFixture fixture, LabTrustFiles files) : IClassFixture<LabTrustFiles>
{
    // argv: cafile host port [certfile keyfile]. Prints one JSON line and exits 0, whatever happened.
    private const string Client = """
        import json, socket, ssl, sys
        cafile, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
        ctx = ssl.create_default_context(cafile=cafile)
        ctx.verify_flags |= ssl.VERIFY_X509_STRICT
        if len(sys.argv) > 5:
            ctx.load_cert_chain(sys.argv[4], sys.argv[5])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                with ctx.wrap_socket(raw, server_hostname=host) as tls:
                    version, cipher = tls.version(), tls.cipher()[0]
                    tls.sendall(("GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % host).encode("ascii"))
                    data = b""
                    while True:
                        chunk = tls.recv(65536)
                        if not chunk:
                            break
                        data += chunk
            text = data.decode("utf-8", "replace")
            print(json.dumps({"result": "ok", "version": version, "cipher": cipher,
                              "status": text.split("\r\n", 1)[0], "body": text.split("\r\n\r\n", 1)[-1]}))
        except ssl.SSLCertVerificationError as e:
            print(json.dumps({"result": "verify", "code": e.verify_code, "message": e.verify_message}))
        except (ssl.SSLError, OSError) as e:
            print(json.dumps({"result": type(e).__name__, "message": str(e)}))
        """;

    // The talk's client: one recv() after the request, nothing more. argv: cafile host port.
    private const string OneRecvClient = """
        import json, socket, ssl, sys
        cafile, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
        ctx = ssl.create_default_context(cafile=cafile)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                with ctx.wrap_socket(raw, server_hostname=host) as tls:
                    tls.sendall(("GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % host).encode("ascii"))
                    text = tls.recv(65536).decode("utf-8", "replace")
            print(json.dumps({"result": "ok", "status": text.split("\r\n", 1)[0], "body": text.split("\r\n\r\n", 1)[-1]}))
        except (ssl.SSLError, OSError) as e:
            print(json.dumps({"result": type(e).__name__, "message": str(e)}))
        """;

    [Theory]
    [MemberData(nameof(PeerVerdicts.AcceptedNames), MemberType = typeof(PeerVerdicts))]
    public async Task Python_reads_the_whole_answer_with_one_recv(string name)
    {
        var endpoint = Endpoint(name);

        var (run, result) = await RunAsync(OneRecvClient, endpoint);

        Assert.True(Text(result, "result") == "ok" && Text(result, "status") == "HTTP/1.1 200 OK",
            $"Python's single recv(65536) on '{name}' should get the status line, but got: {result}\n{run.Describe()}");
        var body = Text(result, "body") ?? "";
        Assert.True(body.TrimEnd().EndsWith("What the server saw of your handshake: GET /handshake.json", StringComparison.Ordinal),
            $"Python's single recv(65536) on '{name}' should get the whole answer, head and body (the lab writes them together); the body it got " +
                $"was:\n{body}\n{run.Describe()}");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.AcceptedNames), MemberType = typeof(PeerVerdicts))]
    public async Task Python_with_strict_verification_accepts_the_good_certificates(string name)
    {
        var endpoint = Endpoint(name);

        var (run, result) = await ConnectAsync(endpoint);

        Assert.True(Text(result, "result") == "ok",
            $"Python's ssl with VERIFY_X509_STRICT should accept '{name}' (lab certificates must be strict-valid), but got: {result}\n{run.Describe()}");
        Assert.Equal("HTTP/1.1 200 OK", Text(result, "status"));
        Assert.StartsWith("TLSv1.", Text(result, "version"), StringComparison.Ordinal);
        Assert.Contains($"tlslab scenario '{name}'", Text(result, "body"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.CertificateRefusalNames), MemberType = typeof(PeerVerdicts))]
    public async Task Python_refuses_a_broken_certificate_with_the_matching_verify_code(string name)
    {
        var endpoint = Endpoint(name);
        var (code, meaning, _, _, _) = PeerVerdicts.Certificate(name);

        var (run, result) = await ConnectAsync(endpoint);

        Assert.True(Text(result, "result") == "verify",
            $"Python's ssl should raise SSLCertVerificationError on '{name}' ({meaning}), but got: {result}\n{run.Describe()}");
        Assert.True(result.GetProperty("code").GetInt32() == code,
            $"Python refused '{name}' with verify_code {result.GetProperty("code")} ('{Text(result, "message")}'); expected {code} ({meaning}).");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.ClientCertificateNames), MemberType = typeof(PeerVerdicts))]
    public async Task Python_with_a_lab_issued_client_certificate_is_served_by_client_cert_required(string name)
    {
        var endpoint = Endpoint(name);

        var (run, result) = await ConnectAsync(endpoint, files.Client.Chain, files.Client.Key);

        Assert.True(Text(result, "result") == "ok" && Text(result, "status") == "HTTP/1.1 200 OK",
            $"Python with load_cert_chain(<lab client certificate>) should be served by '{name}', but got: {result}\n{run.Describe()}");
        Assert.Contains($"CN={LabTrustFiles.ClientName}", Text(result, "body"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.ClientCertificateNames), MemberType = typeof(PeerVerdicts))]
    public async Task Python_without_a_client_certificate_gets_no_answer_from_client_cert_required(string name)
    {
        var endpoint = Endpoint(name);

        var (run, result) = await ConnectAsync(endpoint);

        // The handshake itself may "succeed" (TLS 1.3 finishes the client's side first); the
        // server then closes without answering, which Python reads as an empty reply.
        Assert.True(Text(result, "result") != "ok" || Text(result, "status") != "HTTP/1.1 200 OK",
            $"'{name}' should not answer Python without a client certificate, but got: {result}\n{run.Describe()}");
    }

    private LabEndpoint Endpoint(string name)
    {
        if (PlatformSupport.Problem(ScenarioCatalog.Find(name)!) is { } reason)
        {
            Assert.Skip($"'{name}' is not served on this platform: {reason}");
        }

        return fixture.Lab[name];
    }

    private Task<(ToolRun Run, JsonElement Result)> ConnectAsync(LabEndpoint endpoint, params string[] certificateAndKey) =>
        RunAsync(Client, endpoint, certificateAndKey);

    private async Task<(ToolRun Run, JsonElement Result)> RunAsync(string script, LabEndpoint endpoint, params string[] certificateAndKey)
    {
        var python = await Peers.PythonAsync();
        var run = await ExternalTool.RunAsync(
            python.Path,
            ["-I", "-c", script, files.Root, endpoint.Host, endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. certificateAndKey],
            cancellationToken: TestContext.Current.CancellationToken);
        var line = run.StandardOutput.Trim().Split('\n')[^1];
        Assert.True(run.ExitCode == 0 && line.StartsWith('{'), $"The Python client did not run to the end.\n{run.Describe()}");
        using var document = JsonDocument.Parse(line);
        return (run, document.RootElement.Clone());
    }

    private static string? Text(JsonElement result, string property) =>
        result.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
