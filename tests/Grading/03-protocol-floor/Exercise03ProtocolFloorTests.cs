namespace TlsLab.Grading;

/// <summary>Exercise 3, exercises/03-protocol-floor: offer TLS 1.2 and 1.3 only, then TLS 1.3 only.</summary>
[Trait("exercise", "3")]
public sealed class Exercise03ProtocolFloorTests(GradingLab fixture)
{
    public static TheoryData<string> Reachable => new(ProtocolFloorGrader.ReachableWithTls12AndUp);

    public static TheoryData<string> Methods => new(ProtocolFloorGrader.Methods);

    [Task(1)]
    [Fact]
    public Task AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older() =>
        ProtocolFloorGrader.AtLeastTls12OffersOnlyModernVersionsAsync(fixture.Lab, ProtocolFloorApi.Current, TestContext.Current.CancellationToken);

    [Task(2)]
    [Theory]
    [MemberData(nameof(Reachable))]
    public Task AtLeastTls12_still_reaches(string scenario) =>
        ProtocolFloorGrader.AtLeastTls12ReachesAsync(fixture.Lab, ProtocolFloorApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(3)]
    [Fact]
    public Task AtLeastTls12_keeps_TargetHost_and_trust() =>
        ProtocolFloorGrader.AtLeastTls12KeepsTheOtherOptionsAsync(fixture.Lab, ProtocolFloorApi.Current, TestContext.Current.CancellationToken);

    [Task(4)]
    [Theory]
    [MemberData(nameof(Methods))]
    public Task Changes_only_the_protocols_and_keeps_every_other_setting(string method) =>
        ProtocolFloorGrader.ChangesOnlyTheProtocolsAsync(fixture.Lab, ProtocolFloorApi.Current, method, TestContext.Current.CancellationToken);

    [Task(5)]
    [Fact]
    public Task OnlyTls13_offers_TLS_1_3_alone() =>
        ProtocolFloorGrader.OnlyTls13OffersOnlyTls13Async(fixture.Lab, ProtocolFloorApi.Current, TestContext.Current.CancellationToken);

    [Task(6)]
    [Theory]
    [InlineData("tls12-only")]
    [InlineData("tls13-only")]
    public Task OnlyTls13_is_refused_by_tls12_only_and_reaches_tls13_only(string scenario) =>
        ProtocolFloorGrader.OnlyTls13MeetsTheVersionOnlyServersAsync(fixture.Lab, ProtocolFloorApi.Current, scenario, TestContext.Current.CancellationToken);

    [Task(7)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException() =>
        NullArgumentCheck.ExpectAsync(new Hint(3, 1),
            new("ProtocolFloor.AtLeastTls12(null)", "options", () => ProtocolFloorApi.Current.AtLeastTls12(null!)),
            new("ProtocolFloor.OnlyTls13(null)", "options", () => ProtocolFloorApi.Current.OnlyTls13(null!)));
}
