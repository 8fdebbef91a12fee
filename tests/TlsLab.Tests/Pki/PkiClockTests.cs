using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Tests.Pki;

/// <summary>
/// The PKI takes "now" from a <see cref="TimeProvider"/>: at a fixed moment every validity period
/// it mints is known to the second, including the lab's expired and not-yet-valid scenarios.
/// </summary>
public sealed class PkiClockTests
{
    // Whole seconds: certificates carry their validity to the second.
    private static readonly DateTimeOffset Now = new(2031, 5, 17, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_pki_on_a_fixed_clock_dates_its_root_intermediate_and_leaves_from_that_moment()
    {
        using var pki = new WorkshopPki(new FakeTimeProvider(Now));
        using var server = pki.IssueServerCertificate("fixed.localhost");
        using var client = pki.IssueClientCertificate("fixed attendee");

        AssertValidity("the root", pki.Root.Certificate, Now.AddDays(-400), Now.AddDays(400));
        AssertValidity("the root's public certificate", pki.RootCertificate, Now.AddDays(-400), Now.AddDays(400));
        AssertValidity("the intermediate", pki.Intermediate.Certificate, Now.AddDays(-365), Now.AddDays(365));
        AssertValidity("a server leaf", server, Now.AddHours(-1), Now.AddDays(30));
        AssertValidity("a client leaf", client, Now.AddHours(-1), Now.AddDays(30));
        AssertValidity("the stranger root", pki.StrangerRoot.Certificate, Now.AddDays(-400), Now.AddDays(400));
        AssertValidity("the unsent intermediate", pki.UnsentIntermediate.Certificate, Now.AddDays(-365), Now.AddDays(365));
    }

    [Fact]
    public void The_clock_is_read_when_minting_not_when_the_pki_is_made()
    {
        var clock = new FakeTimeProvider(Now);
        using var pki = new WorkshopPki(clock);
        clock.Advance(TimeSpan.FromDays(10));

        using var later = pki.IssueServerCertificate("later.localhost");

        AssertValidity("a leaf minted ten days on", later, Now.AddDays(10).AddHours(-1), Now.AddDays(40));
    }

    [Theory]
    [InlineData("good", -1.0 / 24, 30)]
    [InlineData("expired", -90, -1)]          // ended yesterday
    [InlineData("not-yet-valid", 30, 120)]    // begins next month
    [InlineData("wrong-host", -1.0 / 24, 30)]
    [InlineData("self-signed", -1.0 / 24, 30)]
    [InlineData("untrusted-root", -1.0 / 24, 30)]
    [InlineData("incomplete-chain", -1.0 / 24, 30)]
    public async Task A_lab_on_a_fixed_clock_mints_each_scenario_for_its_period(string scenario, double fromDays, double toDays)
    {
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = [scenario], Time = new FakeTimeProvider(Now) },
            TestContext.Current.CancellationToken);

        var leaf = lab.CredentialsOf(scenario)!.Leaf;

        AssertValidity($"the '{scenario}' leaf", leaf, Now.AddDays(fromDays), Now.AddDays(toDays));
        AssertValidity("the lab root", lab.RootCertificate, Now.AddDays(-400), Now.AddDays(400));
    }

    private static void AssertValidity(string what, X509Certificate2 certificate, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var actualFrom = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var actualTo = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        Assert.True(actualFrom == notBefore && actualTo == notAfter,
            $"With the clock at {Now:u}, {what} should be valid {notBefore:u} to {notAfter:u}; it is valid {actualFrom:u} to {actualTo:u}.");
    }
}
