using System.Globalization;
using System.Text.Json;
using TlsLab.Tests.Attack;
using TlsLab.Zoo;

namespace TlsLab.Tests.Interop;

/// <summary>
/// Real peers through the attacker in the middle (an <see cref="Interceptor"/> in front of <c>good</c>): the switch that turns
/// verification off (<c>curl -k</c>, <c>s_client</c> without <c>-verify_return_error</c>, Python's <c>CERT_NONE</c>) hands the
/// attacker the request's <c>Authorization</c> header; the same peer verifying against the lab root refuses, and the attacker reads
/// nothing. No peer is fooled by the real certificate without its key: the attacker cannot finish a handshake with it.
/// </summary>
public sealed class InterceptorPeerTests(LabFixture fixture, LabTrustFiles files) : IClassFixture<LabTrustFiles>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // THE WRONG WAY in Python, on purpose: no hostname check, no verification. argv: mode cafile host port.
    private const string PythonClient = """
        import json, socket, ssl, sys
        mode, cafile, host, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        ctx = ssl.create_default_context(cafile=cafile)
        if mode == "none":
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                with ctx.wrap_socket(raw, server_hostname=host) as tls:
                    tls.sendall(("GET / HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nConnection: close\r\n\r\n"
                                 % (host, sys.argv[5])).encode("ascii"))
                    data = b""
                    while True:
                        chunk = tls.recv(65536)
                        if not chunk:
                            break
                        data += chunk
            print(json.dumps({"result": "ok", "status": data.decode("utf-8", "replace").split("\r\n", 1)[0]}))
        except ssl.SSLCertVerificationError as e:
            print(json.dumps({"result": "verify", "message": e.verify_message}))
        except (ssl.SSLError, OSError) as e:
            print(json.dumps({"result": type(e).__name__, "message": str(e)}))
        """;

    public static TheoryData<Forgery> Forgeries => new(Enum.GetValues<Forgery>());

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Curl_k_hands_the_attacker_its_Authorization_header(Forgery forgery)
    {
        var curl = await Peers.CurlWithOpenSslAsync();
        var (run, seen) = await ThroughAsync(forgery, attacker => CurlAsync(curl, attacker, ["-k"]));

        if (forgery == Forgery.RealCertificateWithoutKey)
        {
            AssertNobodyFooled(seen, run);
            Assert.True(run.ExitCode == 35, $"curl -k cannot finish a handshake with an attacker who has no key: exit 35 expected.\n{run.Describe()}");
            return;
        }

        Assert.True(run.ExitCode == 0 && run.StandardOutput.Contains("tlslab scenario 'good'", StringComparison.Ordinal),
            $"curl -k should get good's page through the {forgery} attacker, as if nothing happened.\n{run.Describe()}");
        AssertLeaked(seen, run);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Curl_with_the_lab_root_and_without_k_refuses_the_attacker(Forgery forgery)
    {
        var curl = await Peers.CurlWithOpenSslAsync();
        var (run, seen) = await ThroughAsync(forgery, attacker => CurlAsync(curl, attacker, ["--cacert", files.Root]));

        Assert.True(run.ExitCode is 60 or 35, $"curl --cacert <lab root> should refuse the {forgery} attacker (exit 60, or 35 when there is no " +
            $"handshake at all).\n{run.Describe()}");
        AssertNobodyFooled(seen, run);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Openssl_s_client_without_verify_return_error_notes_the_problem_carries_on_and_leaks(Forgery forgery)
    {
        var (run, seen) = await ThroughAsync(forgery, attacker => SClientAsync(attacker, stopOnVerifyError: false));

        if (forgery == Forgery.RealCertificateWithoutKey)
        {
            AssertNobodyFooled(seen, run);
            return;
        }

        Assert.True(run.StandardOutput.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal),
            $"s_client without -verify_return_error only reports the bad certificate and goes on: it should get good's page.\n{run.Describe()}");
        Assert.Contains("erif", run.StandardError, StringComparison.Ordinal); // "Verification error: ..." (it noticed, and carried on)
        AssertLeaked(seen, run);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Openssl_s_client_with_verify_return_error_refuses_the_attacker(Forgery forgery)
    {
        var (run, seen) = await ThroughAsync(forgery, attacker => SClientAsync(attacker, stopOnVerifyError: true));

        Assert.True(run.ExitCode != 0 && !run.StandardOutput.Contains("HTTP/1.1", StringComparison.Ordinal),
            $"s_client -verify_return_error should stop at the {forgery} certificate.\n{run.Describe()}");
        AssertNobodyFooled(seen, run);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Python_with_CERT_NONE_hands_the_attacker_its_Authorization_header(Forgery forgery)
    {
        var (run, seen) = await ThroughAsync(forgery, attacker => PythonAsync("none", attacker));
        var result = Result(run);

        if (forgery == Forgery.RealCertificateWithoutKey)
        {
            AssertNobodyFooled(seen, run);
            return;
        }

        Assert.True(result.GetProperty("result").GetString() == "ok" && result.GetProperty("status").GetString() == "HTTP/1.1 200 OK",
            $"Python with CERT_NONE should get good's page through the {forgery} attacker.\n{run.Describe()}");
        AssertLeaked(seen, run);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Python_with_the_default_context_refuses_the_attacker(Forgery forgery)
    {
        var (run, seen) = await ThroughAsync(forgery, attacker => PythonAsync("default", attacker));
        var result = Result(run);

        Assert.True(result.GetProperty("result").GetString() != "ok",
            $"Python's default context (trusting the lab root) should refuse the {forgery} attacker.\n{run.Describe()}");
        if (forgery != Forgery.RealCertificateWithoutKey)
        {
            Assert.True(result.GetProperty("result").GetString() == "verify", $"The refusal should be a certificate verification error.\n{run.Describe()}");
        }

        AssertNobodyFooled(seen, run);
    }

    private async Task<(ToolRun Run, InterceptedConnection Seen)> ThroughAsync(Forgery forgery, Func<Interceptor, Task<ToolRun>> client)
    {
        await using var attacker = await Interceptor.StartAsync(fixture.Lab, "good", forgery);
        var run = await client(attacker);
        var seen = await attacker.WaitForConnectionAsync(1, Patience, TestContext.Current.CancellationToken);
        return (run, seen);
    }

    private static void AssertLeaked(InterceptedConnection seen, ToolRun run)
    {
        Assert.True(seen.ClientFooled, $"The attacker should have been taken for the server: {seen}\n{run.Describe()}");
        Assert.Equal(InterceptedClient.Secret, seen.Authorization);
        Assert.Equal("HTTP/1.1 200 OK", seen.StatusLine);
    }

    private static void AssertNobodyFooled(InterceptedConnection seen, ToolRun run)
    {
        Assert.True(!seen.ClientFooled && seen.Authorization is null && seen.Request.Length == 0,
            $"The client should not have sent the attacker a byte; the attacker read:\n{seen.Request}\n{run.Describe()}");
        Assert.NotNull(seen.Refusal);
    }

    private static Task<ToolRun> CurlAsync(Peer curl, Interceptor attacker, IEnumerable<string> trust) =>
        ExternalTool.RunAsync(curl.Path,
        [
            "-q", "--silent", "--show-error", "--max-time", "10", "--noproxy", "*", .. trust,
            "-H", $"Authorization: {InterceptedClient.Secret}",
            "--resolve", $"{attacker.Target.Host}:{attacker.EndPoint.Port}:127.0.0.1",
            $"https://{attacker.Target.Host}:{attacker.EndPoint.Port}/",
        ], cancellationToken: TestContext.Current.CancellationToken);

    private async Task<ToolRun> SClientAsync(Interceptor attacker, bool stopOnVerifyError)
    {
        var openssl = await Peers.OpenSslAsync();
        var host = attacker.Target.Host;
        List<string> arguments =
        [
            "s_client", "-connect", $"127.0.0.1:{attacker.EndPoint.Port}", "-servername", host, "-verify_hostname", host,
            "-CAfile", files.Root, "-brief", "-ign_eof", .. stopOnVerifyError ? ["-verify_return_error"] : Array.Empty<string>(),
        ];
        var request = $"GET / HTTP/1.1\r\nHost: {host}\r\nAuthorization: {InterceptedClient.Secret}\r\nConnection: close\r\n\r\n";
        return await ExternalTool.RunAsync(openssl.Path, arguments, request, cancellationToken: TestContext.Current.CancellationToken);
    }

    private async Task<ToolRun> PythonAsync(string mode, Interceptor attacker)
    {
        var python = await Peers.PythonAsync();
        return await ExternalTool.RunAsync(python.Path,
            ["-I", "-c", PythonClient, mode, files.Root, attacker.Target.Host, attacker.EndPoint.Port.ToString(CultureInfo.InvariantCulture),
                InterceptedClient.Secret],
            cancellationToken: TestContext.Current.CancellationToken);
    }

    private static JsonElement Result(ToolRun run)
    {
        var line = run.StandardOutput.Trim().Split('\n')[^1];
        Assert.True(run.ExitCode == 0 && line.StartsWith('{'), $"The Python client did not run to the end.\n{run.Describe()}");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }
}
