using TlsLab.Zoo;

namespace TlsLab.Tests.Interop;

/// <summary>
/// Every scenario of the catalogue is put to openssl, curl and Python by the interop tests, which
/// take their scenarios from <see cref="PeerVerdicts"/>: a scenario none of its groups takes, or a
/// refusal it has no verify code for, fails here (without any peer installed) rather than going untested.
/// </summary>
public sealed class PeerVerdictsTests
{
    public static TheoryData<string> Scenarios => new(ScenarioCatalog.Names);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_scenario_is_judged_by_the_peers(string name)
    {
        var groups = new (string Group, IEnumerable<Scenario> Members)[]
        {
            (nameof(PeerVerdicts.Accepted), PeerVerdicts.Accepted),
            (nameof(PeerVerdicts.CertificateRefusals), PeerVerdicts.CertificateRefusals),
            (nameof(PeerVerdicts.ClientCertificateRequired), PeerVerdicts.ClientCertificateRequired),
            (nameof(PeerVerdicts.Plaintext), PeerVerdicts.Plaintext),
            (nameof(PeerVerdicts.Revoked), PeerVerdicts.Revoked),
            (nameof(PeerVerdicts.CommonNameOnly), PeerVerdicts.CommonNameOnly),
        }.Where(g => g.Members.Any(s => s.Name == name)).Select(g => g.Group).ToList();

        Assert.True(groups.Count > 0,
            $"No interop test puts '{name}' to openssl, curl or Python: none of PeerVerdicts' groups takes it. " +
            "Say in tests/TlsLab.Tests/Interop/PeerVerdicts.cs what the peers should see, and which tests judge it.");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.CertificateRefusalNames), MemberType = typeof(PeerVerdicts))]
    public void Every_certificate_refusal_has_the_verify_code_the_peers_report(string name)
    {
        var verdict = PeerVerdicts.Certificate(name);

        Assert.InRange(verdict.Code, 1, 100);
        Assert.False(string.IsNullOrEmpty(verdict.CurlMentions));
    }

    [Fact]
    public void The_groups_hold_the_scenarios_the_interop_tests_were_written_for()
    {
        // The names the interop tests listed by hand before they read the catalogue: none may drop out.
        Assert.Superset(new HashSet<string> { "good", "good-rsa", "tls12-only", "tls13-only", "cbc-only" }, Names(PeerVerdicts.Accepted));
        Assert.Superset(
            new HashSet<string> { "expired", "not-yet-valid", "wrong-host", "self-signed", "untrusted-root", "incomplete-chain" },
            Names(PeerVerdicts.CertificateRefusals));
        Assert.Superset(new HashSet<string> { "tls12-only", "tls13-only" }, Names(PeerVerdicts.SingleVersion.Select(v => v.Scenario)));
        Assert.Contains("cbc-only", Names(PeerVerdicts.CbcOnly));
        Assert.Contains("client-cert-required", Names(PeerVerdicts.ClientCertificateRequired));
        Assert.Contains("plaintext", Names(PeerVerdicts.Plaintext));
        Assert.Contains("cn-only", Names(PeerVerdicts.CommonNameOnly));
        Assert.Contains("sni-multi", Names(PeerVerdicts.CertificatePerName));
        Assert.Contains("wildcard", Names(PeerVerdicts.Wildcard));
        Assert.Contains("alpn", Names(PeerVerdicts.ApplicationProtocolChoice));
        Assert.Contains("client-cert-optional", Names(PeerVerdicts.ClientCertificateOptional));
        Assert.Contains("ocsp-stapled", Names(PeerVerdicts.Stapled));
    }

    private static HashSet<string> Names(IEnumerable<Scenario> scenarios) => [.. scenarios.Select(s => s.Name)];
}
