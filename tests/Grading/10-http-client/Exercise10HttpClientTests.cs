namespace TlsLab.Grading;

/// <summary>Exercise 10, exercises/10-http-client: the handler behind an HttpClient, graded through HttpClient.</summary>
[Trait("exercise", "10")]
public sealed class Exercise10HttpClientTests(GradingLab fixture)
{
    public static TheoryData<string> Good => new(HttpClientGrader.GoodScenarios);

    public static TheoryData<string> Broken => new(HttpClientGrader.BrokenScenarios);

    public static TheoryData<string> Chains => new(HttpClientGrader.ChainScenarios);

    [Task(1)]
    [Theory]
    [MemberData(nameof(Good))]
    public Task Create_gets_an_answer_from_good_endpoints_trusting_the_given_root(string scenario) =>
        HttpClientGrader.GoodIsReachedAsync(fixture.Lab, HttpClientApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(2)]
    [Theory]
    [MemberData(nameof(Broken))]
    public Task Create_refuses_each_broken_endpoint_for_its_own_reason(string scenario) =>
        HttpClientGrader.BrokenIsRefusedAsync(fixture.Lab, HttpClientApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(3)]
    [Fact]
    public Task Create_refuses_a_certificate_from_a_root_the_machine_trusts() =>
        HttpClientGrader.MachineTrustedRootIsRefusedAsync(fixture.Lab, HttpClientApi.Current, TestContext.Current.CancellationToken);

    [Task(4)]
    [Theory]
    [MemberData(nameof(Chains))]
    public Task Create_judges_every_certificate_of_the_chain_and_fails_closed(string chain) =>
        HttpClientGrader.EveryCertificateOfTheChainCountsAsync(HttpClientApi.Current, chain, TestContext.Current.CancellationToken);

    [Task(5)]
    [Fact]
    public Task A_reset_connection_reaches_the_caller_as_an_HttpRequestException() =>
        HttpClientGrader.ResetSurfacesAsync(fixture.Lab, HttpClientApi.Current, TestContext.Current.CancellationToken);

    [Task(6)]
    [Fact]
    public Task Create_presents_the_client_certificate_only_when_given_one() =>
        HttpClientGrader.ClientCertificateOnlyWhenGivenAsync(fixture.Lab, HttpClientApi.Current, TestContext.Current.CancellationToken);

    [Task(7)]
    [Fact]
    public Task Create_makes_a_handler_of_its_own_on_every_call() =>
        HttpClientGrader.EachHandlerHasItsOwnTrustAsync(fixture.Lab, HttpClientApi.Current, TestContext.Current.CancellationToken);

    [Task(8)]
    [Fact]
    public Task Create_checks_the_name_in_the_URI_as_names_are_compared() =>
        HttpClientGrader.TheNameInTheUriIsCheckedAsync(fixture.Lab, HttpClientApi.Current, TestContext.Current.CancellationToken);

    [Task(9)]
    [Fact]
    public Task Create_leaves_no_key_on_disk_and_nothing_in_the_certificate_stores() =>
        HttpClientGrader.LeavesNothingBehindAsync(fixture.Lab, HttpClientApi.Current, TestContext.Current.CancellationToken);

    [Task(10)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException() =>
        NullArgumentCheck.ExpectAsync(new Hint(10, 1),
            new NullArgumentCheck.Case("SecureHandler.Create(null, null)", "trustedRoot", () => HttpClientApi.Current.Create(null!, null)));
}
