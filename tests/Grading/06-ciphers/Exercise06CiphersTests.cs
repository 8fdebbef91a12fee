using System.Security.Authentication;
using TlsLab.Pki;

namespace TlsLab.Grading;

/// <summary>Exercise 6, exercises/06-ciphers: Mozilla's intermediate suites as a CipherSuitesPolicy (skipped on Windows).</summary>
[Trait("exercise", "6")]
public sealed class Exercise06CiphersTests(GradingLab fixture)
{
    [Task(1)]
    [Fact]
    public void MozillaIntermediate_is_the_profile_and_nothing_else() =>
        CiphersGrader.ListIsTheIntermediateProfile(CiphersApi.Current);

    [Task(2)]
    [Fact]
    public Task The_server_refuses_a_client_that_offers_only_CBC() =>
        CiphersGrader.RefusesACbcOnlyClientAsync(fixture.Lab, CiphersApi.Current, TestContext.Current.CancellationToken);

    [Task(3)]
    [Theory]
    [InlineData(KeyKind.EcdsaP256, SslProtocols.Tls13)]
    [InlineData(KeyKind.EcdsaP256, SslProtocols.Tls12)]
    [InlineData(KeyKind.Rsa2048, SslProtocols.Tls12)]
    public Task The_server_negotiates_an_AEAD_suite(KeyKind key, SslProtocols protocol) =>
        CiphersGrader.NegotiatesAnAeadSuiteAsync(fixture.Lab, CiphersApi.Current, key, protocol, TestContext.Current.CancellationToken);

    [Task(4)]
    [Fact]
    public Task CreateServerOptions_allows_exactly_the_list_over_TLS_1_2_and_1_3() =>
        CiphersGrader.OptionsAllowExactlyTheListAsync(fixture.Lab, CiphersApi.Current);

    [Task(5)]
    [Theory]
    [InlineData(KeyKind.EcdsaP256)]
    [InlineData(KeyKind.Rsa2048)]
    public Task The_server_refuses_each_suite_outside_the_profile_offered_alone(KeyKind key) =>
        CiphersGrader.RefusesEachSuiteOutsideTheProfileAsync(fixture.Lab, CiphersApi.Current, key, TestContext.Current.CancellationToken);

    [Task(6)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("CreateServerOptions is not called on Windows, where cipher suites cannot be chosen per connection.");
        }

        return NullArgumentCheck.ExpectAsync(new Hint(6, 2),
            new NullArgumentCheck.Case("ModernCiphers.CreateServerOptions(null)", "certificate", () => CiphersApi.Current.CreateServerOptions(null!)));
    }
}
