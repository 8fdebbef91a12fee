namespace TlsLab.Grading;

/// <summary>Exercise 2, exercises/02-validate: validate properly while trusting only the lab root.</summary>
[Trait("exercise", "2")]
public sealed class Exercise02ValidateTests(GradingLab fixture)
{
    public static TheoryData<string> RefusedScenarios => new(ValidationGrader.RefusedScenarios);

    [Fact]
    public Task CreateOptions_accepts_good_trusting_only_the_lab_root() =>
        ValidationGrader.GoodIsAcceptedAsync(fixture.Lab, Attendee.Validation, TestContext.Current.CancellationToken);

    [Theory]
    [MemberData(nameof(RefusedScenarios))]
    public Task CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(string scenario) =>
        ValidationGrader.ScenarioIsRefusedForItsReasonAsync(fixture.Lab, Attendee.Validation, scenario, TestContext.Current.CancellationToken);

    [Fact]
    public Task GetStatusLineAsync_gets_200_OK_over_TLS() =>
        ValidationGrader.GetsOkOverTlsAsync(fixture.Lab, Attendee.Validation, TestContext.Current.CancellationToken);

    [Fact]
    public Task GetStatusLineAsync_lets_a_refused_certificate_surface() =>
        ValidationGrader.LetsARefusalSurfaceAsync(fixture.Lab, Attendee.Validation, TestContext.Current.CancellationToken);
}
