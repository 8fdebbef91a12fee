using System.Net.Security;
using TlsLab.Cli.Serve;
using TlsLab.Pki;
using TlsLab.Tests.Attack;
using TlsLab.Tests.Robustness;
using TlsLab.Zoo;

namespace TlsLab.Tests.Cli;

/// <summary>serve --attacker's table, its curl lines and its log read whole at 80 columns, and use the width when there is more.</summary>
public sealed class ServeAttackerWidthTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(160)]
    public async Task The_attacker_table_commands_and_log_fit_the_terminal(int width)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var lab = await Lab.StartAsync(cancellationToken: ct);
        // A checkout in a home folder, as an attendee has it: the --cacert path is the longest argument.
        const string ca = "/home/attendee/ssl-all-the-things-dotnet/.tlslab/lab-root.pem";
        var terminal = new Terminal(width);

        await using var attackers = await ServeAttacker.StartAsync(lab, "impostor-ca", ca, terminal.Console, terminal.Console);
        Assert.NotNull(attackers);
        var good = lab.Endpoints.Single(e => e.Name == "good");
        var port = CurlPort(terminal.Text);
        var attacker = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port);
        var (answer, error) = await InterceptedClient.TryGetAsync(attacker,
            // THE WRONG WAY, on purpose: an accept-all client, for the attacker to fool.
            new SslClientAuthenticationOptions { TargetHost = good.Host, RemoteCertificateValidationCallback = (_, _, _, _) => true }, ct);
        var (refused, _) = await InterceptedClient.TryGetAsync(attacker,
            new SslClientAuthenticationOptions
            {
                TargetHost = good.Host,
                CertificateChainPolicy = ChainPolicies.TrustOnly(lab.Pki.Root.PublicCertificate),
            }, ct);
        Assert.True(error is null && answer is not null, $"The accept-all client should get through the attacker: {error}");
        Assert.Null(refused);
        Assert.True(await RawClient.EventuallyAsync(() => Logged(terminal, "read nothing") && Logged(terminal, InterceptedClient.Secret),
                TimeSpan.FromSeconds(30), ct),
            $"The attacker's log should show both clients:\n{terminal.Text}");

        var curls = new[]
        {
            $"curl -k -H \"Authorization: Bearer demo\" --resolve {good.Host}:{port}:127.0.0.1 https://{good.Host}:{port}/",
            $"curl --cacert {ca} -H \"Authorization: Bearer demo\" --resolve {good.Host}:{port}:127.0.0.1 https://{good.Host}:{port}/",
        };
        terminal.AssertReadable("tlslab serve --attacker", lab.Endpoints.Where(e => e.Tls).Select(e => e.Name)
            .Concat(curls.SelectMany(c => c.Split(' ')))
            .Append(InterceptedClient.Secret)
            .Append("impostor-ca"));
    }

    private static bool Logged(Terminal terminal, string text)
    {
        lock (terminal.Console)
        {
            return terminal.Text.Contains(text, StringComparison.Ordinal);
        }
    }

    // The port of the attacker in front of good, from the first curl line (which may be broken between arguments).
    private static int CurlPort(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"--resolve good\.localhost:(?<port>\d+):127\.0\.0\.1");
        Assert.True(match.Success, $"serve --attacker should print a curl line for the attacker in front of good:\n{text}");
        return int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
