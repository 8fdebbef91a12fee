using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Pki;
using TlsLab.Tests.Robustness;
using TlsLab.Zoo;

namespace TlsLab.Tests.Cli;

/// <summary>tlslab serve: the README's main job.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("tlslab-cli-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task Serve_json_prints_one_manifest_that_a_client_can_use_and_stops_cleanly()
    {
        await using var run = CliRun.Start("serve", "--json", "--out", _out);
        var json = await run.WaitForJsonAsync(TimeSpan.FromSeconds(60));

        var manifest = LabManifest.Parse(json); // throws if stdout holds anything but one JSON document
        Assert.True(File.Exists(manifest.Ca), $"The manifest names {manifest.Ca} as the CA file, but it does not exist.");
        Assert.Equal(
            ScenarioCatalog.All.Where(s => PlatformSupport.Problem(s) is null).Select(s => s.Name).Order(),
            manifest.Endpoints.Select(e => e.Name).Order());
        Assert.All(manifest.Endpoints, e => Assert.Equal("127.0.0.1", e.Address));
        Assert.Equal("reject", manifest.Endpoints.Single(e => e.Name == "expired").Expect);
        Assert.Equal("Expired", manifest.Endpoints.Single(e => e.Name == "expired").Problem);

        // A client that trusts only the CA file from the manifest reaches "good".
        var good = manifest.Endpoints.Single(e => e.Name == "good");
        var root = X509CertificateLoader.LoadCertificateFromFile(manifest.Ca);
        var outcome = await TlsClient.ConnectAsync(
            new IPEndPoint(IPAddress.Parse(good.Address), good.Port),
            new() { TargetHost = good.Host, CertificateChainPolicy = ChainPolicies.TrustOnly(root) },
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, $"A client trusting {manifest.Ca} could not use 'good' from the manifest: {outcome.Explanation}");

        Assert.Equal(0, await run.StopAsync());
        Assert.DoesNotContain("error", run.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Serve_prints_a_table_with_every_endpoint_and_copy_paste_commands()
    {
        await using var run = CliRun.Start("serve", "--out", _out, "--scenario", "good", "expired");
        var patience = TimeSpan.FromSeconds(60);
        Assert.True(await RawClient.EventuallyAsync(() => run.Stderr.Contains("Ctrl+C", StringComparison.Ordinal) || run.Exit.IsCompleted, patience,
            TestContext.Current.CancellationToken),
            $"tlslab serve did not say it was ready (\"Ctrl+C\" on stderr) within {patience.TotalSeconds:0} s. stdout: {run.Stdout} stderr: {run.Stderr}");

        var table = run.Stdout;
        Assert.Contains("https://good.localhost:", table, StringComparison.Ordinal);
        Assert.Contains("https://expired.localhost:", table, StringComparison.Ordinal);
        Assert.Contains("curl --cacert", table, StringComparison.Ordinal);
        Assert.Contains("openssl s_client", table, StringComparison.Ordinal);
        // The reason sits in a table cell, wrapped at words to the output's width (120 columns in a pipe): each word is there whole.
        var words = table.Split([' ', '\n', '\r', '│'], StringSplitOptions.RemoveEmptyEntries);
        Assert.True("refuses: the certificate expired yesterday".Split(' ').All(w => words.Contains(w)),
            $"serve should show why a correct client refuses expired (the certificate expired yesterday):\n{table}");
        Assert.Equal(0, await run.StopAsync());
    }

    [Fact]
    public async Task An_unknown_scenario_is_a_one_line_error_with_exit_code_2()
    {
        var (exit, _, stderr) = await CliRun.CompleteAsync("serve", "--out", _out, "--scenario", "goood");

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'goood'", line, StringComparison.Ordinal);
        Assert.Contains("good", line, StringComparison.Ordinal); // lists the names that exist
    }

    [Fact]
    public async Task A_port_in_use_is_a_one_line_error_that_names_the_port_with_exit_code_2()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var goodIndex = ScenarioCatalog.Names.ToList().IndexOf("good");

        var (exit, _, stderr) = await CliRun.CompleteAsync("serve", "--out", _out, "--scenario", "good", "--base-port",
            (port - goodIndex).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, exit);
        Assert.Contains($"Port {port}", stderr, StringComparison.Ordinal);
        Assert.Contains("--base-port", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unwritable_output_folder_is_a_one_line_error_with_exit_code_2()
    {
        var notAFolder = Path.Combine(_out, "a-file");
        await File.WriteAllTextAsync(notAFolder, "not a folder", TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await CliRun.CompleteAsync("serve", "--out", notAFolder, "--scenario", "good");

        Assert.Equal(2, exit);
        Assert.Contains("--out", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bind_address_that_is_not_an_address_is_refused_with_exit_code_2()
    {
        var (exit, _, stderr) = await CliRun.CompleteAsync("serve", "--bind", "everywhere");

        Assert.Equal(2, exit);
        Assert.Contains("127.0.0.1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_base_port_below_1024_is_refused_like_one_above_the_range_and_a_network_bind_still_warns()
    {
        // As root, --base-port 1 would take over ports 1-20 of every interface; the rule is the one 70000 breaks.
        var (exit, _, stderr) = await CliRun.CompleteAsync("serve", "--bind", "0.0.0.0", "--base-port", "1", "--out", _out);
        var (_, _, high) = await CliRun.CompleteAsync("serve", "--base-port", "70000", "--out", _out);

        Assert.Equal(2, exit);
        Assert.Contains("warning: listening on 0.0.0.0, not loopback", stderr, StringComparison.Ordinal);
        var rule = "Choose a base port from 1024 to";
        Assert.Contains(rule, stderr, StringComparison.Ordinal);
        Assert.Contains(rule, high, StringComparison.Ordinal);
    }
}
