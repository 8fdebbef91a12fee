using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using TlsLab.Pki;
using TlsLab.Tests.Attack;
using TlsLab.Tests.Robustness;

namespace TlsLab.Tests.Cli;

/// <summary>tlslab serve --attacker: an interceptor in front of each TLS endpoint, and a log of what it read.</summary>
public sealed partial class ServeAttackerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _out = Directory.CreateTempSubdirectory("tlslab-attacker-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task The_attacker_logs_the_header_an_accepting_client_sent_and_a_checking_client_refuses()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = CliRun.Start("serve", "--out", _out, "--scenario", "good", "--attacker");
        Assert.True(await RawClient.EventuallyAsync(() => run.Stderr.Contains("Ctrl+C", StringComparison.Ordinal) || run.Exit.IsCompleted, Patience, ct),
            $"tlslab serve --attacker did not say it was ready within {Patience.TotalSeconds:0} s. stdout: {run.Stdout} stderr: {run.Stderr}");
        var hint = AttackerCurl().Match(run.Stdout);
        Assert.True(hint.Success, $"serve --attacker should print a curl -k line for the attacker in front of good; it printed:\n{run.Stdout}");
        var attacker = new IPEndPoint(IPAddress.Loopback, int.Parse(hint.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));

        var (answer, error) = await InterceptedClient.TryGetAsync(attacker,
            new() { TargetHost = "good.localhost", RemoteCertificateValidationCallback = (_, _, _, _) => true }, ct); // THE WRONG WAY, on purpose
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_out, "lab-root.pem"));
        var (refusedAnswer, _) = await InterceptedClient.TryGetAsync(attacker,
            new() { TargetHost = "good.localhost", CertificateChainPolicy = ChainPolicies.TrustOnly(root) }, ct);

        Assert.True(error is null, $"The accept-all client should have got through the attacker: {error}");
        Assert.StartsWith("HTTP/1.1 200 OK", answer, StringComparison.Ordinal);
        Assert.Null(refusedAnswer);
        Assert.True(await RawClient.EventuallyAsync(() => run.Stderr.Contains("attacker good read nothing: ", StringComparison.Ordinal), Patience, ct),
            $"The log should show the checking client's refusal. stderr:\n{run.Stderr}");
        Assert.Contains($"Authorization: {InterceptedClient.Secret}", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("read the request and the answer (HTTP/1.1 200 OK)", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await run.StopAsync());
    }

    [Fact]
    public async Task An_unknown_forgery_is_a_one_line_error_that_lists_the_choices()
    {
        var (exit, _, stderr) = await CliRun.CompleteAsync("serve", "--out", _out, "--attacker", "stolen-key");

        Assert.Equal(2, exit);
        Assert.Contains("'stolen-key'", stderr, StringComparison.Ordinal);
        Assert.Contains("self-signed, other-name, impostor-ca, real-certificate", stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"curl -k .*--resolve good\.localhost:(?<port>\d+):127\.0\.0\.1")]
    private static partial Regex AttackerCurl();
}
