using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Cli.Bench;
using TlsLab.Tests.Robustness;
using TlsLab.Zoo;

namespace TlsLab.Tests.Cli;

/// <summary>
/// tlslab bench and what the compare script relies on. These check that the benchmark counts and
/// summarises correctly, never how fast anything is; they run alone so that their bursts of
/// handshakes do not eat into other tests' deadlines.
/// </summary>
[Collection(LabAloneCollection.Name)]
public sealed class BenchCommandTests(LabFixture fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tlslab-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_engine_reports_handshakes_and_ordered_percentiles_against_the_lab()
    {
        var lab = fixture.Lab;
        var protocol = PlatformSupport.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12;
        var target = new BenchTarget("good", lab["good"].EndPoint, lab["good"].Host, [lab.RootCertificate], protocol);

        // Only handshakes that start and end inside the window count, so the window is long enough for
        // several even when a loaded machine makes each one slow.
        var window = TimeSpan.FromSeconds(3);
        var result = await HandshakeBench.RunAsync(target, new BenchSettings(2, window, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(10)),
            TestContext.Current.CancellationToken);
        LabHealth.Report($"{result.Handshakes} handshakes in {result.Window.TotalSeconds:0.0} s ({result.PerSecond:0}/s), p50 " +
            $"{result.Latency.P50:0.00} ms, p99 {result.Latency.P99:0.00} ms, {result.CipherSuite}");

        Assert.True(result.Errors == 0, $"{result.Errors} handshakes failed against the good endpoint: {result.FirstError}");
        Assert.True(result.Handshakes > 0, $"No handshake was counted in a {window.TotalSeconds:0} s window.");
        Assert.Equal(result.Handshakes, result.Latency.Count);
        Assert.True(result.PerSecond > 0);
        var l = result.Latency;
        Assert.True(l.Min > 0 && l.Min <= l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.Max,
            $"Percentiles out of order: min {l.Min}, p50 {l.P50}, p90 {l.P90}, p99 {l.P99}, max {l.Max}.");
        Assert.True(l.Max < 10_000, $"A counted handshake took {l.Max} ms, longer than the attempt timeout.");
        Assert.NotNull(result.CipherSuite);
    }

    [Fact]
    public async Task The_engine_counts_a_server_it_cannot_trust_as_errors_not_handshakes()
    {
        var lab = fixture.Lab;
        using var stranger = new TlsLab.Pki.WorkshopPki();
        var target = new BenchTarget("good", lab["good"].EndPoint, lab["good"].Host, [stranger.RootCertificate], SslProtocols.Tls12);

        // An attempt counts only if it starts and ends inside the window: long enough for a slow one.
        var window = TimeSpan.FromSeconds(3);
        var result = await HandshakeBench.RunAsync(target, new BenchSettings(1, window, TimeSpan.Zero, TimeSpan.FromSeconds(10)),
            TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Handshakes);
        Assert.True(result.Errors > 0, $"Validation failures were not counted as errors (none counted in a {window.TotalSeconds:0} s window).");
        Assert.NotNull(result.FirstError);
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        var summary = LatencySummary.From(Enumerable.Range(1, 100).Select(i => TimeSpan.FromMilliseconds(i)).Reverse().ToList());

        Assert.Equal((100, 1, 50, 90, 99, 100), (summary.Count, summary.Min, summary.P50, summary.P90, summary.P99, summary.Max));
        Assert.Equal(7, LatencySummary.Percentile([7], 99));
        Assert.Same(LatencySummary.Empty, LatencySummary.From([]));
    }

    [Theory]
    [InlineData("\n\n1315 connections in 3.02s; 435.43 connections/user sec, bytes read 0\n1315 connections in 4 real seconds, 0 bytes read per " +
        "connection\n", 1315)]
    [InlineData("Collecting connection statistics for 3 seconds\n", null)]
    public void The_s_time_count_is_read_from_its_real_seconds_line(string output, int? expected) =>
        Assert.Equal(expected, ServerCostBench.ParseConnections(output));

    [Fact]
    public async Task Bench_against_a_target_prints_one_row_per_version()
    {
        var lab = fixture.Lab;
        var ca = lab.WriteRootCertificate(Path.Combine(_folder, "lab-root.pem"));
        var target = $"127.0.0.1:{lab["good"].Port.ToString(CultureInfo.InvariantCulture)}";

        var (exit, stdout, stderr) = await CliRun.CompleteAsync("bench", target, "--ca", ca, "--host", "good.localhost", "--tls", "1.2",
            "--concurrency", "1", "--duration", "0.5", "--warmup", "0", "--tsv");

        Assert.True(exit == 0, $"tlslab bench exited with {exit}: {stderr}");
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal("target", rows[0].Split('\t')[0]);
        var row = Assert.Single(rows.Skip(1)).Split('\t');
        Assert.Equal(("good.localhost", "1.2", "0"), (row[0], row[1], row[5])); // target, version, errors
        Assert.True(double.Parse(row[6], CultureInfo.InvariantCulture) > 0, $"No handshakes per second in: {string.Join(' ', row)}");
    }

    [Theory]
    [InlineData(new string[0], "--lab")] // nothing to measure: the message lists the choices
    [InlineData(new[] { "127.0.0.1:1" }, "--ca")] // a target but nothing to trust: no accept-all mode
    [InlineData(new[] { "not-a-target", "--ca", "x.pem" }, "HOST:PORT")]
    [InlineData(new[] { "--lab", "--concurrency", "0" }, "--concurrency")]
    [InlineData(new[] { "--startup", "--client", "s_time" }, "--lab")] // the server's own cost needs the server in this process
    public async Task Bench_refuses_what_it_cannot_measure_honestly_with_exit_code_2(string[] args, string hint)
    {
        var (exit, _, stderr) = await CliRun.CompleteAsync(["bench", .. args]);

        Assert.Equal(2, exit);
        Assert.Contains(hint, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_startup_reports_three_lab_sizes_and_both_key_types()
    {
        var (exit, stdout, stderr) = await CliRun.CompleteAsync("bench", "--startup", "--runs", "1", "--tsv");

        Assert.True(exit == 0, $"tlslab bench --startup exited with {exit}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("EcdsaP256\t", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Rsa2048\t", StringComparison.Ordinal));
        var labs = lines.SkipWhile(l => !l.StartsWith("lab\t", StringComparison.Ordinal)).Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.Equal(3, labs.Count);
        Assert.Equal(1, int.Parse(labs[0][1], CultureInfo.InvariantCulture));
        Assert.True(labs.All(l => double.Parse(l[3], CultureInfo.InvariantCulture) > 0), stdout);
    }

    [Fact]
    public async Task Serve_export_dir_writes_the_very_certificate_and_key_the_lab_serves()
    {
        var export = Path.Combine(_folder, "export");
        await using var run = CliRun.Start("serve", "--json", "--out", _folder, "--export-dir", export, "--scenario", "good");
        var manifest = LabManifest.Parse(await run.WaitForJsonAsync(TimeSpan.FromSeconds(60)));
        var good = manifest.Endpoints.Single(e => e.Name == "good");

        using var exported = X509Certificate2.CreateFromPemFile(Path.Combine(export, "good.crt.pem"), Path.Combine(export, "good.key.pem"));
        Assert.True(exported.HasPrivateKey);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(Path.Combine(export, "good.chain.pem"));
        Assert.Equal(2, chain.Count); // leaf and intermediate, never the root

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(good.Address), good.Port), TestContext.Current.CancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = good.Host,
            CertificateChainPolicy = TlsLab.Pki.ChainPolicies.TrustOnly(X509CertificateLoader.LoadCertificateFromFile(manifest.Ca)),
        }, TestContext.Current.CancellationToken);
        Assert.Equal(exported.Thumbprint, tls.RemoteCertificate!.GetCertHashString());
        Assert.Equal(0, await run.StopAsync());
    }
}
