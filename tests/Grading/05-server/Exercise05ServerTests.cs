namespace TlsLab.Grading;

/// <summary>Exercise 5, exercises/05-server: load PEM credentials, serve TLS, send the chain, survive bad clients.</summary>
[Trait("exercise", "5")]
public sealed class Exercise05ServerTests(GradingLab fixture)
{
    [Task(1)]
    [Fact]
    public void Load_reads_the_key_the_certificate_and_the_intermediate() =>
        ServerGrader.LoadReadsKeyCertificateAndIntermediates(ServerApi.Current);

    [Task(2)]
    [Fact]
    public void Load_reads_an_RSA_key_as_well_as_an_ECDSA_one() =>
        ServerGrader.LoadReadsAnRsaKey(fixture.Lab, ServerApi.Current);

    [Task(3)]
    [Fact]
    public Task Start_serves_HTTP_over_TLS_on_loopback() =>
        ServerGrader.ServesTlsOnLoopbackAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(4)]
    [Fact]
    public Task The_server_sends_the_full_chain() =>
        ServerGrader.SendsTheFullChainAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(5)]
    [Fact]
    public Task The_server_survives_clients_that_send_garbage() =>
        ServerGrader.SurvivesGarbageAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(6)]
    [Fact]
    public Task The_server_keeps_serving_while_clients_stall_mid_handshake() =>
        ServerGrader.KeepsServingWhileAClientStallsAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(7)]
    [Fact]
    public Task Start_listens_on_the_address_and_port_given_as_listenOn() =>
        ServerGrader.ListensWhereListenOnSaysAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(8)]
    [Fact]
    public Task The_operating_system_sees_the_server_listening_on_loopback_only() =>
        ServerGrader.ListensOnLoopbackOnlyAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(9)]
    [Fact]
    public Task DisposeAsync_frees_the_port_and_closes_every_connection() =>
        ServerGrader.DisposeFreesThePortAndClosesConnectionsAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(10)]
    [Fact]
    public Task Load_and_the_server_leave_no_key_on_disk() =>
        ServerGrader.LeavesNoKeyOnDiskAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(11)]
    [Fact]
    public Task Two_servers_at_once_each_serve_their_own_certificate() =>
        ServerGrader.TwoServersServeTheirOwnCertificatesAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(12)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException() =>
        NullArgumentCheck.ExpectAsync(new Hint(5, 5),
            new NullArgumentCheck.Case("TlsServer.Start(null)", "certificate", () => ServerApi.Current.Start(null!)),
            new NullArgumentCheck.Case("TlsServer.CreateOptions(null)", "certificate", () => ServerApi.Current.CreateOptions(null!)));

    [Task(13)]
    [Fact]
    public Task The_server_answers_a_whole_request_with_the_whole_answer() =>
        ServerGrader.AnswersTheWholeRequestWithTheWholeAnswerAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(14)]
    [Fact]
    public Task The_server_ends_its_answer_with_close_notify() =>
        ServerGrader.EndsTheAnswerWithCloseNotifyAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(15)]
    [Fact]
    public Task The_server_drops_clients_that_stall_past_its_deadlines() =>
        ServerGrader.DropsStalledClientsAsync(ServerApi.Current, TestContext.Current.CancellationToken);

    [Task(16)]
    [Fact]
    public Task The_server_options_allow_TLS_1_2_and_1_3_only() =>
        ServerGrader.OptionsAllowOnlyTls12And13Async(ServerApi.Current, TestContext.Current.CancellationToken);
}
