using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Zoo;

namespace TlsLab.Tests.Diagnostics;

/// <summary>Explain's sentences carry the facts a learner acts on (dates, names), for each zoo failure.</summary>
public sealed class ExplainTests(LabFixture fixture)
{
    [Fact]
    public async Task The_expired_sentence_gives_the_date_the_certificate_expired()
    {
        var outcome = await Probe("expired");
        var expiry = outcome.Validation!.Leaf!.NotAfter.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("expired on " + expiry, outcome.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_name_mismatch_sentence_names_both_the_certificate_names_and_the_target()
    {
        var outcome = await Probe("wrong-host");
        Assert.Contains(ScenarioCredentials.WrongHostName, outcome.Explanation, StringComparison.Ordinal);
        Assert.Contains("'wrong-host.localhost'", outcome.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_missing_intermediate_sentence_names_the_missing_issuer()
    {
        var outcome = await Probe("incomplete-chain");
        Assert.Contains("never sent", outcome.Explanation, StringComparison.Ordinal); // the unsent intermediate's name
        Assert.Contains("intermediates", outcome.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_untrusted_root_sentence_names_the_stranger_root()
    {
        var outcome = await Probe("untrusted-root");
        Assert.Contains("Stranger Root CA", outcome.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_is_explained_as_such()
    {
        using var placeholder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        placeholder.Start();
        var endPoint = (System.Net.IPEndPoint)placeholder.LocalEndpoint;
        placeholder.Stop();

        var outcome = await TlsClient.ConnectAsync(endPoint, new() { TargetHost = "nobody.localhost" },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(TlsProblem.ConnectionRefused, outcome.Problem);
        Assert.Contains("Nothing is listening", outcome.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pin_that_refuses_a_valid_certificate_is_the_clients_own_check_not_a_cipher_problem()
    {
        // A pin added to the normal checks, as lesson 09 teaches, pinned to a key the server does not have.
        var options = fixture.Lab.CreateClientOptions("good");
        options.RemoteCertificateValidationCallback = (_, _, _, errors) => errors == System.Net.Security.SslPolicyErrors.None && false;

        var outcome = await TlsClient.ConnectAsync(fixture.Lab["good"].EndPoint, options, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(outcome.Succeeded, "A callback that returned false let the connection through.");
        Assert.Equal(TlsProblem.RefusedByOwnCheck, outcome.Problem);
        Assert.Contains("your own validation callback refused it", outcome.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("cipher suite", outcome.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_that_refuses_a_certificate_the_platform_refused_keeps_the_platforms_reason()
    {
        var options = fixture.Lab.CreateClientOptions("expired");
        options.RemoteCertificateValidationCallback = (_, _, _, errors) => errors == System.Net.Security.SslPolicyErrors.None;

        var outcome = await TlsClient.ConnectAsync(fixture.Lab["expired"].EndPoint, options, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(TlsProblem.Expired, outcome.Problem);
    }

    [Theory]
    [InlineData(System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.NotTimeValid, "validity")]
    [InlineData(System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.PartialChain, "missing")]
    [InlineData(System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.UntrustedRoot, "not trusted")]
    public void Each_chain_status_has_its_own_sentence(System.Security.Cryptography.X509Certificates.X509ChainStatusFlags flag, string expected) =>
        Assert.Contains(expected, Explain.ChainStatus(flag), StringComparison.Ordinal);

    private Task<HandshakeOutcome> Probe(string name) =>
        TlsClient.ConnectAsync(fixture.Lab[name].EndPoint, fixture.Lab.CreateClientOptions(name), cancellationToken: TestContext.Current.CancellationToken);
}
