using System.Net;
using TlsLab.Cli.Probe;
using TlsLab.Wire;

namespace TlsLab.Tests.Probe;

// Test strategy: the grade is a pure function of a probe's findings, so each rule of the SSL Labs rating
// guide that the probe applies is checked on a hand-made result that differs from a flawless server in
// exactly that one way: the grade must drop to the rule's cap, and the finding that explains it must be
// there, with its id and one sentence. The zoo's grades end to end are in ProbeCommandTests.

/// <summary>Each deduction and cap of the rating guide, one at a time.</summary>
public sealed class ServerRatingTests
{
    [Fact]
    public void A_flawless_server_gets_A_and_A_plus_with_long_HSTS()
    {
        var plain = ServerRating.Compute(Flawless());
        var hsts = ServerRating.Compute(Flawless(r => r.HstsMaxAge = 31_536_000));

        Assert.Equal("A", plain.Grade);
        Assert.Null(plain.GradeIfTrusted);
        Assert.Contains(plain.Findings, f => f.Id == "grade.hsts" && f.Text.Contains("A+ needs HSTS", StringComparison.Ordinal));
        Assert.Equal("A+", hsts.Grade);
    }

    public static TheoryData<string, string, string> Caps => new()
    {
        { "tls10", "B", "protocol.tls10" },
        { "tls11", "B", "protocol.tls11" },
        { "no-tls12-nor-13", "C", "protocol.tls12" },
        { "3des", "C", "cipher.3des" },
        { "rc4", "B", "cipher.rc4" },
        { "null", "F", "cipher.null" },
        { "anon", "F", "cipher.anonymous" },
        { "export", "F", "cipher.export" },
        { "no-fs", "B", "cipher.forwardSecrecy" },
        { "no-aead", "B", "cipher.aead" },
        { "incomplete", "B", "certificate.complete" },
        { "rsa1024", "B", "keyExchange.weak" },
        { "dh1024", "B", "keyExchange.weak" },
        { "dh768", "F", "keyExchange.weak" },
        { "ssl3", "C", "protocol.ssl3" },
        { "compression", "C", "features.compression" },
        { "rc4-tls12", "C", "cipher.rc4" },
        { "sha1", "T", "certificate.signature" },
        { "rsa-second-expired", "T", "certificate.rsa.validity" },
    };

    [Theory]
    [MemberData(nameof(Caps))]
    public void Each_weakness_caps_the_grade_and_names_why(string weakness, string cap, string id)
    {
        var result = Flawless(r => Weaken(r, weakness));

        var verdict = ServerRating.Compute(result);

        var finding = verdict.Findings.FirstOrDefault(f => f.Id == id);
        Assert.True(finding is not null, $"'{weakness}' should be named by a finding '{id}'; found: {string.Join(", ", verdict.Findings.Select(f => f.Id))}");
        Assert.True(finding.Severity != Finding.Ok, $"'{weakness}': the finding '{finding.Text}' should not be ok.");
        Assert.True(Rank(verdict.Grade) >= Rank(cap), $"'{weakness}' must cap the grade at {cap}; it got {verdict.Grade}: {finding.Text}");
        Assert.EndsWith(".", finding.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_TLS_1_3_only_server_is_not_capped_for_lacking_TLS_1_2()
    {
        // Mozilla's "modern" profile: SSL Labs and testssl.sh give it A/A+; the C cap is for a server with neither TLS 1.2 nor 1.3.
        var verdict = ServerRating.Compute(Flawless(r =>
        {
            r.Protocols[TlsVersion.Tls12] = false;
            r.CipherSuites.Remove(TlsVersion.Tls12);
            r.HstsMaxAge = 63_072_000;
        }));

        Assert.Equal("A+", verdict.Grade);
        Assert.Contains(verdict.Findings, f => f.Id == "protocol.tls12" && f.Severity == Finding.Warn && f.Text.Contains("no cap", StringComparison.Ordinal));
    }

    [Fact]
    public void An_expired_certificate_is_said_once_and_revocation_is_not_mentioned_without_an_address()
    {
        var verdict = ServerRating.Compute(Flawless(r =>
        {
            r.Expired = true;
            r.Trusted = false;
        }));

        Assert.Equal("T", verdict.Grade);
        Assert.Single(verdict.Findings, f => f.Text.Contains("expired", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(verdict.Findings, f => f.Text.Contains("revocation", StringComparison.OrdinalIgnoreCase) ||
            f.Text.Contains("revoked", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_private_root_is_T_for_the_root_and_not_an_incomplete_chain()
    {
        var verdict = ServerRating.Compute(Flawless(r =>
        {
            r.Trusted = false;
            r.Primary.RootNotTrusted = true;
            r.TrustProblems.Add("The chain is complete up to \"CN=Private Root\", which is not one of the trusted roots (the system's trusted roots).");
        }));

        Assert.Equal("T", verdict.Grade);
        Assert.Equal("A", verdict.GradeIfTrusted);
        Assert.DoesNotContain(verdict.Findings, f => f.Id == "certificate.complete" && f.Severity != Finding.Ok);
        Assert.Contains(verdict.Findings, f => f.Id == "certificate.trust" && f.Text.Contains("Private Root", StringComparison.Ordinal));
    }

    [Fact]
    public void Following_the_clients_order_is_fine_in_TLS_1_3_and_a_warning_in_TLS_1_2()
    {
        var verdict = ServerRating.Compute(Flawless(r =>
        {
            r.ServerPreference[TlsVersion.Tls13] = false;
            r.ServerPreference[TlsVersion.Tls12] = false;
        }));

        Assert.Contains(verdict.Findings, f => f.Id == "cipher.order.tls13" && f.Severity == Finding.Ok && !f.Text.Contains("weak", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.Id == "cipher.order.tls12" && f.Severity == Finding.Warn);
    }

    [Fact]
    public void An_untrusted_certificate_is_T_and_a_wrong_name_M_with_the_grade_it_would_have()
    {
        var untrusted = ServerRating.Compute(Flawless(r =>
        {
            r.Trusted = false;
            r.TrustProblems.Add("The chain ends at a root certificate that is not trusted.");
        }));
        var mismatch = ServerRating.Compute(Flawless(r => r.NameMatches = false));

        Assert.Equal("T", untrusted.Grade);
        Assert.Equal("A", untrusted.GradeIfTrusted);
        Assert.Contains(untrusted.Findings, f => f.Id == "certificate.trust" && f.Severity == Finding.Bad &&
            f.Text.Contains("root certificate that is not trusted", StringComparison.Ordinal));
        Assert.Equal("M", mismatch.Grade);
        Assert.Contains(mismatch.Findings, f => f.Id == "certificate.name" && f.Text.Contains("example.test", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_only_in_the_common_name_is_M_and_the_finding_says_who_still_accepts_it()
    {
        var verdict = ServerRating.Compute(Flawless(r =>
        {
            r.NameMatches = false;
            r.NameOnlyInCommonName = true;
        }));

        Assert.Equal("M", verdict.Grade);
        Assert.Contains(verdict.Findings, f => f.Id == "certificate.name" && f.Text.Contains("only in its subject CN", StringComparison.Ordinal) &&
            f.Text.Contains("browsers refuse", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("TLS_AES_128_GCM_SHA256", 128)]
    [InlineData("TLS_AES_256_GCM_SHA384", 256)]
    [InlineData("TLS_CHACHA20_POLY1305_SHA256", 256)]
    [InlineData("TLS_RSA_WITH_3DES_EDE_CBC_SHA", 112)]
    [InlineData("TLS_RSA_WITH_DES_CBC_SHA", 56)]
    [InlineData("TLS_RSA_EXPORT_WITH_RC4_40_MD5", 40)]
    [InlineData("TLS_RSA_WITH_NULL_SHA256", 0)]
    [InlineData("TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", 256)]
    public void Cipher_strength_is_read_from_the_suite_name(string name, int bits)
    {
        Assert.Equal(bits, ServerRating.Strength(name));
    }

    private static void Weaken(ProbeResult r, string weakness)
    {
        switch (weakness)
        {
            case "tls10":
                r.Protocols[TlsVersion.Tls10] = true;
                r.CipherSuites[TlsVersion.Tls10] = [Suite("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")];
                break;
            case "tls11":
                r.Protocols[TlsVersion.Tls11] = true;
                r.CipherSuites[TlsVersion.Tls11] = [Suite("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")];
                break;
            case "no-tls12-nor-13":
                r.Protocols[TlsVersion.Tls12] = false;
                r.Protocols[TlsVersion.Tls13] = false;
                r.Protocols[TlsVersion.Tls11] = true;
                r.CipherSuites.Remove(TlsVersion.Tls12);
                r.CipherSuites.Remove(TlsVersion.Tls13);
                r.CipherSuites[TlsVersion.Tls11] = [Suite("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")];
                break;
            case "dh1024":
            case "dh768":
                var dhe = Suite("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
                r.CipherSuites[TlsVersion.Tls12].Add(dhe);
                r.KeyExchange[(TlsVersion.Tls12, dhe)] = new KeyExchangeInfo("DH", weakness == "dh1024" ? 1024 : 768, null);
                break;
            case "ssl3":
                r.Ssl3 = true;
                break;
            case "compression":
                r.Compression = true;
                break;
            case "rc4-tls12":
                r.CipherSuites[TlsVersion.Tls12].Add(Suite("TLS_ECDHE_RSA_WITH_RC4_128_SHA"));
                break;
            case "sha1":
                r.Chain[0] = r.Chain[0] with { SignatureAlgorithm = "sha1RSA" };
                break;
            case "rsa-second-expired":
                var rsa = new CertificateJudgement
                {
                    Family = "RSA",
                    Trusted = false,
                    Expired = true,
                    NotYetValid = false,
                    NameMatches = true,
                    ChainComplete = true,
                    ChainInOrder = true
                };
                rsa.Chain.Add(new CertificateInfo("CN=example.test", "CN=Issuing CA", DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow.AddDays(-1),
                    "RSA", 2048, "sha256RSA", ["example.test"], false));
                r.OtherCertificates.Add(rsa);
                break;
            case "3des":
                r.CipherSuites[TlsVersion.Tls12].Add(Suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
                break;
            case "rc4":
                r.CipherSuites[TlsVersion.Tls12].Add(Suite("TLS_RSA_WITH_RC4_128_SHA"));
                break;
            case "null":
                r.CipherSuites[TlsVersion.Tls12].Add(Suite("TLS_RSA_WITH_NULL_SHA256"));
                break;
            case "anon":
                r.CipherSuites[TlsVersion.Tls12].Add(Suite("TLS_DH_anon_WITH_AES_128_CBC_SHA"));
                break;
            case "export":
                r.CipherSuites[TlsVersion.Tls12].Add(Suite("TLS_RSA_EXPORT_WITH_RC4_40_MD5"));
                break;
            case "no-fs":
                r.Protocols[TlsVersion.Tls13] = false;
                r.CipherSuites.Remove(TlsVersion.Tls13);
                r.CipherSuites[TlsVersion.Tls12] = [Suite("TLS_RSA_WITH_AES_128_GCM_SHA256")];
                break;
            case "no-aead":
                r.Protocols[TlsVersion.Tls13] = false;
                r.CipherSuites.Remove(TlsVersion.Tls13);
                r.CipherSuites[TlsVersion.Tls12] = [Suite("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256")];
                break;
            case "incomplete":
                r.ChainComplete = false;
                break;
            case "rsa1024":
                r.Chain[0] = r.Chain[0] with { KeyType = "RSA", KeyBits = 1024 };
                break;
        }
    }

    private static ProbeResult Flawless(Action<ProbeResult>? change = null)
    {
        var result = new ProbeResult
        {
            Target = "example.test:443",
            EndPoint = new IPEndPoint(IPAddress.Loopback, 443),
            ServerName = "example.test",
            TrustSource = "the system's trusted roots",
        };
        result.Protocols[TlsVersion.Tls10] = false;
        result.Protocols[TlsVersion.Tls11] = false;
        result.Protocols[TlsVersion.Tls12] = true;
        result.Protocols[TlsVersion.Tls13] = true;
        result.CipherSuites[TlsVersion.Tls13] = [0x1302, 0x1301];
        result.CipherSuites[TlsVersion.Tls12] = [Suite("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), Suite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")];
        result.Groups.Add(0x001D);
        result.Chain.Add(new CertificateInfo("CN=example.test", "CN=Issuing CA", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(60),
            "ECDSA", 256, "sha256ECDSA", ["example.test"], false));
        result.Chain.Add(new CertificateInfo("CN=Issuing CA", "CN=Root", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(600),
            "ECDSA", 384, "sha384ECDSA", [], false));
        result.Trusted = true;
        result.NameMatches = true;
        result.ChainComplete = true;
        result.ChainInOrder = true;
        result.Expired = false;
        result.NotYetValid = false;
        result.AlpnSeen = true;
        result.Alpn.Add("h2");
        result.HttpChecked = true;
        change?.Invoke(result);
        return result;
    }

    private static ushort Suite(string name) =>
        TlsNames.CipherSuiteByName(name) ?? throw new ArgumentException($"'{name}' is not in TlsNames' table.", nameof(name));

    private static int Rank(string grade) => Array.IndexOf(["A+", "A", "A-", "B", "C", "D", "E", "F", "T", "M"], grade);
}
