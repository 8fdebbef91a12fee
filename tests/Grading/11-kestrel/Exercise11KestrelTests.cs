using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;

namespace TlsLab.Grading;

/// <summary>Exercise 11, exercises/11-kestrel: an ASP.NET Core app's TLS, judged from outside.</summary>
[Trait("exercise", "11")]
public sealed class Exercise11KestrelTests(GradingLab fixture)
{
    [Task(1)]
    [Fact]
    public Task Build_serves_HTTPS_with_the_whole_chain() =>
        KestrelGrader.ServesTheWholeChainAsync(fixture.Lab, KestrelApi.Current, TestContext.Current.CancellationToken);

    [Task(2)]
    [Fact]
    public Task Build_listens_on_loopback_only() =>
        KestrelGrader.ListensOnLoopbackOnlyAsync(fixture.Lab, KestrelApi.Current, TestContext.Current.CancellationToken);

    [Task(3)]
    [Fact]
    public Task Build_speaks_TLS_1_2_and_TLS_1_3() =>
        KestrelGrader.SpeaksTls12And13Async(fixture.Lab, KestrelApi.Current, TestContext.Current.CancellationToken);

    [Task(4)]
    [Fact]
    public Task Build_agrees_only_to_AEAD_suites_over_TLS_1_2() =>
        KestrelGrader.OffersModernSuitesOnlyAsync(fixture.Lab, KestrelApi.Current, TestContext.Current.CancellationToken);

    [Task(5)]
    [Fact]
    public Task Build_serves_clients_without_a_certificate_and_lets_in_the_CA_s_clients() =>
        KestrelGrader.ServesAnonymousAndCaClientsAsync(fixture.Lab, KestrelApi.Current, TestContext.Current.CancellationToken);

    [Task(6)]
    [Fact]
    public Task Build_turns_away_client_certificates_the_CA_does_not_vouch_for() =>
        KestrelGrader.TurnsAwayOtherClientsAsync(fixture.Lab, KestrelApi.Current, TestContext.Current.CancellationToken);

    [Task(7)]
    [Fact]
    public Task Build_sends_HSTS_even_to_localhost() =>
        KestrelGrader.SendsHstsAsync(fixture.Lab, KestrelApi.Current, TestContext.Current.CancellationToken);

    [Task(8)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException()
    {
        var root = fixture.Lab.RootCertificate;
        return NullArgumentCheck.ExpectAsync(new Hint(11, 1),
            new NullArgumentCheck.Case("KestrelApp.Build(null, certificate, chain, clientCa)", "builder",
                () => KestrelApi.Current.Build(null!, root, [], root)),
            new NullArgumentCheck.Case("KestrelApp.Build(builder, null, chain, clientCa)", "certificate",
                () => BuildAndDispose(null!, [], root)),
            new NullArgumentCheck.Case("KestrelApp.Build(builder, certificate, null, clientCa)", "chain",
                () => BuildAndDispose(root, null!, root)),
            new NullArgumentCheck.Case("KestrelApp.Build(builder, certificate, chain, null)", "clientCa",
                () => BuildAndDispose(root, [], null!)));
    }

    // Kestrel reads the certificate, the chain and the CA only when the app starts, so without a guard Build returns an app that
    // fails later, far from the mistake; one that is returned is disposed unstarted.
    private static object? BuildAndDispose(X509Certificate2 certificate, X509Certificate2Collection chain, X509Certificate2 clientCa)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        using var app = KestrelApi.Current.Build(builder, certificate, chain, clientCa);
        return null;
    }
}
