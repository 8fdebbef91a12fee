namespace TlsLab.Grading;

/// <summary>Exercise 4, exercises/04-hostname: connect to an address, validate a name, explain a refusal.</summary>
[Trait("exercise", "4")]
public sealed class Exercise04HostnameTests(GradingLab fixture)
{
    public static TheoryData<string> ChainProblems => new(HostnameGrader.ChainProblemScenarios);

    public static TheoryData<string> LookAlikes => new(HostnameGrader.LookAlikeNames);

    [Task(1)]
    [Fact]
    public Task Good_at_127_0_0_1_validated_as_good_localhost_connects() =>
        HostnameGrader.GoodByAddressConnectsAsync(fixture.Lab, HostnameApi.Current, TestContext.Current.CancellationToken);

    [Task(2)]
    [Fact]
    public Task Wrong_host_is_refused_as_a_name_mismatch() =>
        HostnameGrader.WrongHostIsANameMismatchAsync(fixture.Lab, HostnameApi.Current, TestContext.Current.CancellationToken);

    [Task(3)]
    [Fact]
    public Task Good_validated_as_another_name_is_refused() =>
        HostnameGrader.GoodAsAnotherNameIsRefusedAsync(fixture.Lab, HostnameApi.Current, TestContext.Current.CancellationToken);

    [Task(4)]
    [Theory]
    [MemberData(nameof(ChainProblems))]
    public Task A_chain_problem_is_reported_with_its_flags_and_a_reason(string scenario) =>
        HostnameGrader.ChainProblemIsReportedAsync(fixture.Lab, HostnameApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(5)]
    [Theory]
    [MemberData(nameof(LookAlikes))]
    public Task A_look_alike_certificate_is_refused_as_a_name_mismatch(string lookAlike) =>
        HostnameGrader.LookAlikeIsANameMismatchAsync(fixture.Lab, HostnameApi.Current, lookAlike, TestContext.Current.CancellationToken);

    [Task(6)]
    [Fact]
    public Task A_certificate_with_three_problems_is_reported_with_all_their_flags() =>
        HostnameGrader.ThreeProblemsAreAllReportedAsync(fixture.Lab, HostnameApi.Current, TestContext.Current.CancellationToken);

    [Task(7)]
    [Fact]
    public Task ConnectAsync_gives_up_on_a_silent_server_when_cancelled() =>
        HostnameGrader.GivesUpWhenCancelledAsync(fixture.Lab, HostnameApi.Current, TestContext.Current.CancellationToken);

    [Task(8)]
    [Fact]
    public Task A_certificate_from_a_root_the_machine_trusts_is_refused() =>
        HostnameGrader.MachineTrustedRootIsRefusedAsync(fixture.Lab, HostnameApi.Current, TestContext.Current.CancellationToken);

    [Task(9)]
    [Fact]
    public Task ConnectAsync_called_at_once_for_three_endpoints_reports_each_its_own_result() =>
        HostnameGrader.ConcurrentCallsKeepTheirOwnResultsAsync(fixture.Lab, HostnameApi.Current, TestContext.Current.CancellationToken);

    [Task(10)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException() =>
        NullArgumentCheck.ExpectAsync(new Hint(4, 1),
            new("HostnameCheck.ConnectAsync(null, \"good.localhost\", lab root)", "address",
                () => HostnameApi.Current.ConnectAsync(null!, "good.localhost", fixture.Lab.RootCertificate, TestContext.Current.CancellationToken)),
            new("HostnameCheck.ConnectAsync(good's end point, \"good.localhost\", null)", "trustedRoot",
                () => HostnameApi.Current.ConnectAsync(fixture.Lab["good"].EndPoint, "good.localhost", null!, TestContext.Current.CancellationToken)));

    [Task(11)]
    [Fact]
    public Task A_certificate_whose_revocation_nobody_answers_for_is_refused() =>
        HostnameGrader.UnansweredRevocationIsRefusedAsync(HostnameApi.Current, TestContext.Current.CancellationToken);

    [Task(12)]
    [Fact]
    public Task An_intermediate_the_server_left_out_is_not_downloaded() =>
        HostnameGrader.MissingIntermediateIsNotDownloadedAsync(HostnameApi.Current, TestContext.Current.CancellationToken);

    [Task(13)]
    [Fact]
    public Task An_IP_literal_named_in_the_certificate_connects() =>
        HostnameGrader.IpLiteralNamedInTheCertificateConnectsAsync(fixture.Lab, HostnameApi.Current, TestContext.Current.CancellationToken);
}
