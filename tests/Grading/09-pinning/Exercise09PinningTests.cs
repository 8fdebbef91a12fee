namespace TlsLab.Grading;

/// <summary>Exercise 9, exercises/09-pinning: pin the server's public key, as a check added to normal validation.</summary>
[Trait("exercise", "9")]
public sealed class Exercise09PinningTests(GradingLab fixture)
{
    public static TheoryData<string> Matching => new(PinningGrader.MatchingSets);

    public static TheoryData<string> NonMatching => new(PinningGrader.NonMatchingSets);

    public static TheoryData<string> Refused => new(PinningGrader.RefusedScenarios);

    [Task(1)]
    [Fact]
    public void PinOf_is_the_SHA256_of_the_SubjectPublicKeyInfo_in_base64() =>
        PinningGrader.PinOfHashesTheSubjectPublicKeyInfo(fixture.Lab, PinningApi.Current);

    [Task(2)]
    [Fact]
    public Task CreateOptions_accepts_good_when_its_key_is_pinned() =>
        PinningGrader.GoodWithItsPinIsAcceptedAsync(fixture.Lab, PinningApi.Current, TestContext.Current.CancellationToken);

    [Task(3)]
    [Theory]
    [MemberData(nameof(Matching))]
    public Task CreateOptions_accepts_a_match_on_any_pin_of_the_set(string set) =>
        PinningGrader.AnyPinOfTheSetMatchesAsync(fixture.Lab, PinningApi.Current, set, TestContext.Current.CancellationToken);

    [Task(4)]
    [Theory]
    [MemberData(nameof(NonMatching))]
    public Task CreateOptions_refuses_a_valid_certificate_whose_key_is_not_pinned(string set) =>
        PinningGrader.UnpinnedKeyIsRefusedAsync(fixture.Lab, PinningApi.Current, set, TestContext.Current.CancellationToken);

    [Task(5)]
    [Fact]
    public Task CreateOptions_matches_pins_in_the_validated_chain_not_in_what_the_server_sent() =>
        PinningGrader.PinnedKeyOnlySentIsRefusedAsync(fixture.Lab, PinningApi.Current, TestContext.Current.CancellationToken);

    [Task(6)]
    [Fact]
    public Task CreateOptions_accepts_a_renewed_certificate_with_the_same_key() =>
        PinningGrader.RenewedCertificateIsAcceptedAsync(fixture.Lab, PinningApi.Current, TestContext.Current.CancellationToken);

    [Task(7)]
    [Theory]
    [MemberData(nameof(Refused))]
    public Task CreateOptions_keeps_every_normal_check(string scenario) =>
        PinningGrader.NormalChecksStayAsync(fixture.Lab, PinningApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(8)]
    [Fact]
    public Task CreateOptions_refuses_a_pinned_certificate_from_a_root_the_machine_trusts() =>
        PinningGrader.MachineTrustedRootIsRefusedAsync(fixture.Lab, PinningApi.Current, TestContext.Current.CancellationToken);

    [Task(9)]
    [Fact]
    public void CreateOptions_returns_options_of_their_own_on_every_call() =>
        PinningGrader.ReturnsFreshOptions(fixture.Lab, PinningApi.Current);

    [Task(10)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException() =>
        NullArgumentCheck.ExpectAsync(new Hint(9, 1),
            new("PublicKeyPinning.PinOf(null)", "certificate", () => PinningApi.Current.PinOf(null!)),
            new("PublicKeyPinning.CreateOptions(\"good.localhost\", null, pins)", "trustedRoot",
                () => PinningApi.Current.CreateOptions("good.localhost", null!, ["AAAA"])),
            new("PublicKeyPinning.CreateOptions(\"good.localhost\", lab root, null)", "pins",
                () => PinningApi.Current.CreateOptions("good.localhost", fixture.Lab.RootCertificate, null!)));

    [Task(11)]
    [Fact]
    public Task CreateOptions_does_not_download_an_intermediate_the_server_left_out() =>
        PinningGrader.MissingIntermediateIsNotDownloadedAsync(PinningApi.Current, TestContext.Current.CancellationToken);
}
