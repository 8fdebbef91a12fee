namespace TlsLab.Grading;

/// <summary>Exercise 2, exercises/02-validate: validate properly while trusting only the lab root.</summary>
[Trait("exercise", "2")]
public sealed class Exercise02ValidateTests(GradingLab fixture)
{
    public static TheoryData<string> RefusedScenarios => new(ValidateGrader.RefusedScenarios);

    public static TheoryData<string> LookAlikes => new(ValidateGrader.LookAlikeFixtures);

    [Task(1)]
    [Fact]
    public Task CreateOptions_accepts_good_trusting_only_the_lab_root() =>
        ValidateGrader.GoodIsAcceptedAsync(fixture.Lab, ValidateApi.Current, TestContext.Current.CancellationToken);

    [Task(2)]
    [Theory]
    [MemberData(nameof(RefusedScenarios))]
    public Task CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(string scenario) =>
        ValidateGrader.ScenarioIsRefusedForItsReasonAsync(fixture.Lab, ValidateApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(3)]
    [Fact]
    public void CreateOptions_trusts_the_lab_root_and_no_other_root() =>
        ValidateGrader.TrustsTheLabRootAlone(fixture.Lab, ValidateApi.Current);

    [Task(4)]
    [Theory]
    [MemberData(nameof(LookAlikes))]
    public Task CreateOptions_refuses_a_certificate_that_only_looks_right(string certificate) =>
        ValidateGrader.LookAlikeIsRefusedAsync(fixture.Lab, ValidateApi.Current, certificate, TestContext.Current.CancellationToken);

    [Task(5)]
    [Fact]
    public Task CreateOptions_refuses_a_chain_whose_intermediate_is_revoked() =>
        ValidateGrader.RevokedIntermediateIsRefusedAsync(ValidateApi.Current, TestContext.Current.CancellationToken);

    [Task(6)]
    [Fact]
    public Task GetStatusLineAsync_gets_200_OK_over_TLS() =>
        ValidateGrader.GetsOkOverTlsAsync(fixture.Lab, ValidateApi.Current, TestContext.Current.CancellationToken);

    [Task(7)]
    [Fact]
    public Task GetStatusLineAsync_reads_a_whole_line_split_across_TLS_records() =>
        ValidateGrader.ReadsAWholeLineAcrossRecordsAsync(fixture.Lab, ValidateApi.Current, TestContext.Current.CancellationToken);

    [Task(8)]
    [Fact]
    public Task GetStatusLineAsync_lets_a_refused_certificate_surface() =>
        ValidateGrader.LetsARefusalSurfaceAsync(fixture.Lab, ValidateApi.Current, TestContext.Current.CancellationToken);

    [Task(9)]
    [Fact]
    public Task GetStatusLineAsync_makes_one_connection_and_lets_a_reset_surface() =>
        ValidateGrader.LetsAResetSurfaceAsync(fixture.Lab, ValidateApi.Current, TestContext.Current.CancellationToken);

    [Task(10)]
    [Fact]
    public Task GetStatusLineAsync_fails_when_the_server_closes_without_answering() =>
        ValidateGrader.FailsWhenTheServerClosesWithoutAnsweringAsync(fixture.Lab, ValidateApi.Current, TestContext.Current.CancellationToken);

    [Task(11)]
    [Fact]
    public Task CreateOptions_refuses_a_certificate_from_a_root_the_machine_trusts() =>
        ValidateGrader.MachineTrustedRootIsRefusedAsync(fixture.Lab, ValidateApi.Current, TestContext.Current.CancellationToken);

    [Task(12)]
    [Fact]
    public void CreateOptions_returns_options_of_their_own_on_every_call() =>
        ValidateGrader.ReturnsFreshOptions(fixture.Lab, ValidateApi.Current);

    [Task(13)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException() =>
        NullArgumentCheck.ExpectAsync(new Hint(2, 1),
            new("ValidatingClient.CreateOptions(\"good.localhost\", null)", "trustedRoot", () => ValidateApi.Current.CreateOptions("good.localhost", null!)),
            new("ValidatingClient.GetStatusLineAsync(null, options)", "endPoint",
                () => ValidateApi.Current.GetStatusLineAsync(null!, fixture.Lab.CreateClientOptions("good"), TestContext.Current.CancellationToken)),
            new("ValidatingClient.GetStatusLineAsync(good's end point, null)", "options",
                () => ValidateApi.Current.GetStatusLineAsync(fixture.Lab["good"].EndPoint, null!, TestContext.Current.CancellationToken)));

    [Task(14)]
    [Fact]
    public Task CreateOptions_does_not_download_an_intermediate_the_server_left_out() =>
        ValidateGrader.MissingIntermediateIsNotDownloadedAsync(ValidateApi.Current, TestContext.Current.CancellationToken);
}
