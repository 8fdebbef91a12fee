namespace TlsLab.Grading;

/// <summary>Exercise 7, exercises/07-mutual-tls: a server that requires client certificates from one CA, and a client that presents one.</summary>
[Trait("exercise", "7")]
public sealed class Exercise07MutualTlsTests(GradingLab fixture)
{
    public static TheoryData<string> Foreign => new(MutualTlsGrader.ForeignCertificates);

    public static TheoryData<string> RefusedServers => new(MutualTlsGrader.RefusedServers);

    [Task(1)]
    [Fact]
    public Task CreateServerOptions_lets_in_a_client_with_a_certificate_from_the_client_CA() =>
        MutualTlsGrader.GoodClientIsLetInAsync(fixture.Lab, MutualTlsApi.Current, TestContext.Current.CancellationToken);

    [Task(2)]
    [Fact]
    public Task CreateServerOptions_turns_away_a_client_without_a_certificate() =>
        MutualTlsGrader.ClientWithoutCertificateIsTurnedAwayAsync(fixture.Lab, MutualTlsApi.Current, TestContext.Current.CancellationToken);

    [Task(3)]
    [Theory]
    [MemberData(nameof(Foreign))]
    public Task CreateServerOptions_turns_away_certificates_the_client_CA_did_not_issue_for_clients(string certificate) =>
        MutualTlsGrader.ForeignCertificateIsTurnedAwayAsync(fixture.Lab, MutualTlsApi.Current, certificate, TestContext.Current.CancellationToken);

    [Task(4)]
    [Fact]
    public Task CreateClientOptions_is_served_by_a_lab_endpoint_that_requires_a_client_certificate() =>
        MutualTlsGrader.ClientIsServedByClientCertRequiredAsync(fixture.Lab, MutualTlsApi.Current, TestContext.Current.CancellationToken);

    [Task(5)]
    [Fact]
    public Task CreateClientOptions_sends_the_intermediate_with_the_certificate() =>
        MutualTlsGrader.ClientSendsItsIntermediateAsync(fixture.Lab, MutualTlsApi.Current, TestContext.Current.CancellationToken);

    [Task(6)]
    [Theory]
    [MemberData(nameof(RefusedServers))]
    public Task CreateClientOptions_still_refuses_a_broken_server_certificate(string scenario) =>
        MutualTlsGrader.ClientStillRefusesBrokenServersAsync(fixture.Lab, MutualTlsApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(7)]
    [Fact]
    public Task CreateClientOptions_refuses_a_server_certificate_from_a_root_the_machine_trusts() =>
        MutualTlsGrader.ClientRefusesAMachineTrustedServerAsync(fixture.Lab, MutualTlsApi.Current, TestContext.Current.CancellationToken);

    [Task(8)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException()
    {
        var certificates = ClientCertificateFixtures.For(fixture.Lab);
        var root = fixture.Lab.RootCertificate;
        return NullArgumentCheck.ExpectAsync(new Hint(7, 1),
            new("MutualTls.CreateServerOptions(null, lab root)", "serverCertificate", () => MutualTlsApi.Current.CreateServerOptions(null!, root)),
            new("MutualTls.CreateServerOptions(server certificate, null)", "clientCa",
                () => MutualTlsApi.Current.CreateServerOptions(certificates.Server, null!)),
            new("MutualTls.CreateClientOptions(\"mtls.localhost\", null, client certificate)", "trustedRoot",
                () => MutualTlsApi.Current.CreateClientOptions("mtls.localhost", null!, certificates.Attendee)),
            new("MutualTls.CreateClientOptions(\"mtls.localhost\", lab root, null)", "clientCertificate",
                () => MutualTlsApi.Current.CreateClientOptions("mtls.localhost", root, null!)));
    }

    [Task(9)]
    [Fact]
    public Task CreateServerOptions_turns_away_a_revoked_client_certificate() =>
        MutualTlsGrader.RevokedClientIsTurnedAwayAsync(fixture.Lab, MutualTlsApi.Current, TestContext.Current.CancellationToken);

    [Task(10)]
    [Fact]
    public Task CreateServerOptions_does_not_download_an_intermediate_the_client_left_out() =>
        MutualTlsGrader.ServerDownloadsNoMissingIntermediateAsync(fixture.Lab, MutualTlsApi.Current, TestContext.Current.CancellationToken);

    [Task(11)]
    [Fact]
    public Task CreateClientOptions_does_not_download_an_intermediate_the_server_left_out() =>
        MutualTlsGrader.ClientDownloadsNoMissingIntermediateAsync(fixture.Lab, MutualTlsApi.Current, TestContext.Current.CancellationToken);
}
