namespace TlsLab.Grading;

/// <summary>Exercise 8, exercises/08-revocation: check revocation online, and fail closed.</summary>
[Trait("exercise", "8")]
public sealed class Exercise08RevocationTests(GradingLab fixture)
{
    public static TheoryData<string> Accepted => new(RevocationGrader.AcceptedScenarios);

    public static TheoryData<string> OtherRefusals => new(RevocationGrader.OtherRefusals);

    public static TheoryData<string> IntermediateChains => new(RevocationGrader.IntermediateChains);

    [Task(1)]
    [Theory]
    [MemberData(nameof(Accepted))]
    public Task CreateOptions_accepts_a_good_certificate_nobody_revoked(string scenario) =>
        RevocationGrader.GoodIsAcceptedAsync(fixture.Lab, RevocationApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(2)]
    [Fact]
    public Task CreateOptions_refuses_revoked_because_it_is_revoked() =>
        RevocationGrader.RevokedIsRefusedAsRevokedAsync(RevocationApi.Current, TestContext.Current.CancellationToken);

    [Task(3)]
    [Fact]
    public Task CreateOptions_refuses_a_certificate_whose_status_nobody_can_give() =>
        RevocationGrader.UnanswerableIsRefusedAsync(RevocationApi.Current, TestContext.Current.CancellationToken);

    [Task(4)]
    [Theory]
    [MemberData(nameof(OtherRefusals))]
    public Task CreateOptions_still_refuses_each_broken_endpoint_for_its_own_reason(string scenario) =>
        RevocationGrader.OtherRefusalsStayAsync(fixture.Lab, RevocationApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(5)]
    [Theory]
    [MemberData(nameof(IntermediateChains))]
    public Task CreateOptions_judges_every_certificate_of_the_chain(string chain) =>
        RevocationGrader.EveryCertificateOfTheChainCountsAsync(RevocationApi.Current, chain, TestContext.Current.CancellationToken);

    [Task(6)]
    [Fact]
    public Task CreateOptions_refuses_a_certificate_from_a_root_the_machine_trusts() =>
        RevocationGrader.MachineTrustedRootIsRefusedAsync(fixture.Lab, RevocationApi.Current, TestContext.Current.CancellationToken);

    [Task(7)]
    [Fact]
    public void CreateOptions_returns_options_of_their_own_on_every_call() =>
        RevocationGrader.ReturnsFreshOptions(fixture.Lab, RevocationApi.Current);

    [Task(8)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException() =>
        NullArgumentCheck.ExpectAsync(new Hint(8, 1),
            new NullArgumentCheck.Case("RevocationCheck.CreateOptions(\"good.localhost\", null)", "trustedRoot",
                () => RevocationApi.Current.CreateOptions("good.localhost", null!)));

    [Task(9)]
    [Fact]
    public Task CreateOptions_refuses_a_certificate_whose_OCSP_responder_answers_unknown() =>
        RevocationGrader.OcspUnknownIsRefusedAsync(RevocationApi.Current, TestContext.Current.CancellationToken);
}
