using System.Net.Security;
using System.Security.Authentication;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Zoo;

namespace TlsLab.Tests.Scenarios;

/// <summary>Every scenario does what its manifest promises to a careful .NET client, for the right reason.</summary>
public sealed class ScenarioExpectationTests(LabFixture fixture)
{
    public static TheoryData<string> TlsScenarios => new(ScenarioCatalog.All.Where(s => s.Tls).Select(s => s.Name));

    [Theory]
    [MemberData(nameof(TlsScenarios))]
    public async Task A_careful_client_meets_the_scenarios_expectation_for_the_right_reason(string name)
    {
        var lab = fixture.Lab;
        var scenario = ScenarioCatalog.Find(name)!;
        if (PlatformSupport.Problem(scenario) is { } reason)
        {
            Assert.Skip($"'{name}' is not served on this platform: {reason}");
        }

        var endpoint = lab[name];
        var outcome = await TlsClient.ConnectAsync(endpoint.EndPoint, lab.CreateClientOptions(name), cancellationToken: TestContext.Current.CancellationToken);

        if (scenario.DotNetDiffers is { } differs)
        {
            // The expectation is what a correct modern client does; .NET here is a named exception, asserted as recorded.
            Assert.SkipUnless(OperatingSystem.IsLinux(), $"'{name}': what .NET does was recorded on Linux only: {differs}.");
            Assert.True(outcome.Succeeded, $"'{name}' is documented as accepted by .NET on Linux ({differs}), but: {outcome.Explanation}");
            return;
        }

        if (scenario.ShouldConnect)
        {
            Assert.True(outcome.Succeeded, $"'{name}' should accept a client that trusts only the lab root, but: {outcome.Explanation}");
            Assert.Equal("HTTP/1.1 200 OK", outcome.StatusLine);
            return;
        }

        var expected = scenario.Rejection!;
        Assert.False(outcome.Succeeded, $"'{name}' should be refused ({expected.Summary}), but the client connected with {outcome.Protocol}.");
        Assert.True(expected.Problem == outcome.Problem, $"'{name}' was refused as {outcome.Problem}, expected {expected.Problem}: {outcome.Explanation}");
        if (!expected.HandshakeFails)
        {
            var validation = outcome.Validation;
            Assert.NotNull(validation);
            Assert.True(validation.PolicyErrors == expected.PolicyErrors,
                $"'{name}': policy errors were {validation.PolicyErrors}, expected exactly {expected.PolicyErrors}.");
            Assert.True(validation.ChainStatus.HasFlag(expected.ChainStatus),
                $"'{name}': chain status was {validation.ChainStatus}, expected it to include {expected.ChainStatus}.");
        }
    }

    [Fact]
    public async Task The_client_cert_endpoint_accepts_a_certificate_minted_by_the_lab()
    {
        var lab = fixture.Lab;
        using var certificate = lab.Pki.IssueClientCertificate("test attendee");
        var options = lab.CreateClientOptions("client-cert-required");
        options.ClientCertificates = [certificate];

        var outcome = await TlsClient.ConnectAsync(lab["client-cert-required"].EndPoint, options, "/handshake.json",
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, $"Mutual TLS with a lab-issued client certificate failed: {outcome.Explanation}");
        var report = HandshakeReport.Parse(outcome.Body!);
        Assert.Contains("test attendee", report.ClientCertificate, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tls12-only", SslProtocols.Tls13)]
    [InlineData("tls13-only", SslProtocols.Tls12)]
    public async Task A_version_only_server_refuses_a_client_that_offers_only_the_other_version(string name, SslProtocols clientOffers)
    {
        var lab = fixture.Lab;
        if (PlatformSupport.Problem(ScenarioCatalog.Find(name)!) is { } reason)
        {
            Assert.Skip(reason);
        }

        var options = lab.CreateClientOptions(name);
        options.EnabledSslProtocols = clientOffers;

        var outcome = await TlsClient.ConnectAsync(lab[name].EndPoint, options, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(outcome.Succeeded, $"'{name}' accepted a client offering only {clientOffers}; it should have refused.");
        Assert.Equal(TlsProblem.NoCommonParameters, outcome.Problem);
        Assert.Null(outcome.Validation); // refused before any certificate was looked at
    }

    [Fact]
    public async Task Handshake_json_reports_what_the_server_saw()
    {
        var lab = fixture.Lab;
        var options = lab.CreateClientOptions("good");
        options.ApplicationProtocols = [SslApplicationProtocol.Http11];

        var outcome = await TlsClient.ConnectAsync(lab["good"].EndPoint, options, "/handshake.json", cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(outcome.Succeeded, outcome.Explanation);
        var report = HandshakeReport.Parse(outcome.Body!);
        Assert.Equal("good", report.Scenario);
        Assert.Equal(outcome.Protocol.ToString(), report.Protocol);
        Assert.Equal(outcome.CipherSuite.ToString(), report.CipherSuite);
        Assert.Equal("good.localhost", report.Sni);
        Assert.Equal("http/1.1", report.Alpn);
        Assert.NotNull(report.ClientHello);
        Assert.Equal("good.localhost", report.ClientHello.Sni);
        Assert.Contains("http/1.1", report.ClientHello.Alpn);
        Assert.NotEmpty(report.ClientHello.CipherSuites);
        Assert.NotEmpty(report.ClientHello.Groups);
    }
}
