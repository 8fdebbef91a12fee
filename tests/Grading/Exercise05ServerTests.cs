namespace TlsLab.Grading;

/// <summary>Exercise 5, exercises/05-server: load PEM credentials, serve TLS, send the chain, survive bad clients.</summary>
[Trait("exercise", "5")]
public sealed class Exercise05ServerTests(GradingLab fixture)
{
    [Fact]
    public void Load_reads_the_key_the_certificate_and_the_intermediate() =>
        ServerGrader.LoadReadsKeyCertificateAndIntermediates(Attendee.Server);

    [Fact]
    public void Load_reads_an_RSA_key_as_well_as_an_ECDSA_one() =>
        ServerGrader.LoadReadsAnRsaKey(fixture.Lab, Attendee.Server);

    [Fact]
    public Task Load_and_the_server_leave_no_key_on_disk() =>
        ServerGrader.LeavesNoKeyOnDiskAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task Start_serves_HTTP_over_TLS_on_loopback() =>
        ServerGrader.ServesTlsOnLoopbackAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task Two_servers_at_once_each_serve_their_own_certificate() =>
        ServerGrader.TwoServersServeTheirOwnCertificatesAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task The_server_answers_a_whole_request_with_the_whole_answer() =>
        ServerGrader.AnswersTheWholeRequestWithTheWholeAnswerAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task The_server_sends_the_full_chain() =>
        ServerGrader.SendsTheFullChainAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task The_server_survives_clients_that_send_garbage() =>
        ServerGrader.SurvivesGarbageAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task The_server_keeps_serving_while_clients_stall_mid_handshake() =>
        ServerGrader.KeepsServingWhileAClientStallsAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task Start_listens_on_the_address_and_port_given_as_listenOn() =>
        ServerGrader.ListensWhereListenOnSaysAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task The_operating_system_sees_the_server_listening_on_loopback_only() =>
        ServerGrader.ListensOnLoopbackOnlyAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task The_server_drops_clients_that_stall_past_its_deadlines() =>
        ServerGrader.DropsStalledClientsAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task The_server_ends_its_answer_with_close_notify() =>
        ServerGrader.EndsTheAnswerWithCloseNotifyAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task DisposeAsync_frees_the_port_and_closes_every_connection() =>
        ServerGrader.DisposeFreesThePortAndClosesConnectionsAsync(Attendee.Server, TestContext.Current.CancellationToken);

    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException() =>
        NullArgumentCheck.ExpectAsync(new Hint(5, 5),
            new NullArgumentCheck.Case("TlsServer.Start(null)", "certificate", () => Attendee.Server.Start(null!)),
            new NullArgumentCheck.Case("TlsServer.CreateOptions(null)", "certificate", () => Attendee.Server.CreateOptions(null!)));

    [Fact]
    public Task The_server_options_allow_TLS_1_2_and_1_3_only() =>
        ServerGrader.OptionsAllowOnlyTls12And13Async(Attendee.Server, TestContext.Current.CancellationToken);
}
