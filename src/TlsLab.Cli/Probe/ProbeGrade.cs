using System.Globalization;
using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>One thing the probe has to say: an id for scripts, a severity (ok, warn, bad) and one sentence.</summary>
internal sealed record Finding(string Id, string Severity, string Text)
{
    public const string Ok = "ok";
    public const string Warn = "warn";
    public const string Bad = "bad";

    /// <summary>The report section the finding belongs to: the part of the id before the first dot.</summary>
    public string Area => Id.Split('.')[0];
}

/// <summary>A grade with the findings behind it.</summary>
/// <param name="Grade">A+ to F, or T (not trusted) or M (name mismatch), as SSL Labs shows them.</param>
/// <param name="GradeIfTrusted">For T and M: the grade the server would get once its certificate is fixed.</param>
/// <param name="Score">The numeric score (0-100) before caps.</param>
/// <param name="Findings">Every finding, in report order; each cap and deduction is one of them.</param>
internal sealed record ProbeVerdict(string Grade, string? GradeIfTrusted, int Score, IReadOnlyList<Finding> Findings);

/// <summary>
/// Grades a probe the way the published SSL Labs SSL Server Rating Guide does: a score from protocol support
/// (30%), key exchange (30%) and cipher strength (40%), each the average of the best and the worst offered,
/// turned into A (80+), B (65+), C (50+), D (35+), E (20+) or F; then the guide's caps (TLS 1.0/1.1 or an
/// incomplete chain cap at B, no TLS 1.2 at C, 3DES at C, RC4 and no forward secrecy or AEAD at B, anonymous,
/// export and NULL suites fail); A+ for a flawless A with HSTS of at least 180 days; T for a certificate that
/// is not trusted and M for one issued to another name. Only what a probe can see is graded: SSL 2/3,
/// renegotiation and known vulnerabilities are not tested.
/// </summary>
internal static class ProbeGrade
{
    private static readonly string[] Order = ["A+", "A", "A-", "B", "C", "D", "E", "F"];

    public static ProbeVerdict Compute(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var findings = new List<Finding>();
        var caps = new List<(string Grade, Finding Why)>();
        void Cap(string grade, string id, string text)
        {
            var finding = new Finding(id, grade is "F" or "C" ? Finding.Bad : Finding.Warn, text);
            caps.Add((grade, finding));
            findings.Add(finding);
        }

        // Protocols.
        var versions = result.Protocols.Where(p => p.Value).Select(p => p.Key).ToList();
        foreach (var (version, accepted) in result.Protocols)
        {
            var name = TlsNames.Version(version);
            var id = "protocol." + name.Replace("TLS ", "tls", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
            switch (version)
            {
                case TlsVersion.Tls13:
                    findings.Add(accepted
                        ? new Finding(id, Finding.Ok, "TLS 1.3 is accepted: the fastest handshake, and only strong suites exist in it.")
                        : new Finding(id, Finding.Warn, "TLS 1.3 is not accepted; every current client speaks it (SSL Labs does not cap the " +
                            "grade for this yet)."));
                    break;
                case TlsVersion.Tls12:
                    if (accepted)
                    {
                        findings.Add(new Finding(id, Finding.Ok, "TLS 1.2 is accepted, which clients without TLS 1.3 need."));
                    }
                    else
                    {
                        Cap("C", id, "TLS 1.2 is not accepted: the rating guide caps a server without TLS 1.2 at C.");
                    }

                    break;
                default:
                    if (accepted)
                    {
                        Cap("B", id, $"{name} is accepted: it is deprecated (RFC 8996) and the rating guide caps a server that accepts it at B.");
                    }
                    else
                    {
                        findings.Add(new Finding(id, Finding.Ok, $"{name} is refused, as RFC 8996 requires."));
                    }

                    break;
            }
        }

        // Cipher suites.
        var suites = result.CipherSuites.SelectMany(p => p.Value.Select(s => (Version: p.Key, Suite: s))).ToList();
        var names = suites.Select(s => TlsNames.CipherSuite(s.Suite)).Distinct().ToList();
        if (names.Any(n => n.Contains("_anon_", StringComparison.Ordinal)))
        {
            Cap("F", "cipher.anonymous", "An anonymous suite (no certificate, so no authentication) is accepted: the rating guide fails the server.");
        }

        if (names.Any(n => n.Contains("_NULL_", StringComparison.Ordinal) || n.EndsWith("_NULL", StringComparison.Ordinal)))
        {
            Cap("F", "cipher.null", "A NULL suite (no encryption at all) is accepted: the rating guide fails the server.");
        }

        if (names.Any(n => n.Contains("EXPORT", StringComparison.Ordinal)))
        {
            Cap("F", "cipher.export", "An export suite (40- or 56-bit keys, broken since FREAK and Logjam) is accepted: the rating guide fails the server.");
        }

        if (names.Any(n => n.Contains("_RC4_", StringComparison.Ordinal)))
        {
            Cap("B", "cipher.rc4", "An RC4 suite is accepted: RC4's biases leak plaintext (RFC 7465 forbids it), capped at B.");
        }

        if (suites.Any(s => TlsNames.CipherSuite(s.Suite).Contains("3DES", StringComparison.Ordinal) && s.Version >= TlsVersion.Tls11))
        {
            Cap("C", "cipher.3des", "3DES is accepted with TLS 1.1 or newer: its 64-bit blocks are open to Sweet32, capped at C.");
        }

        if (suites.Count > 0)
        {
            if (!suites.Any(s => ForwardSecret(s.Suite)))
            {
                Cap("B", "cipher.forwardSecrecy", "No suite with forward secrecy (ECDHE or DHE) is accepted: a stolen key decrypts every recorded " +
                    "session, capped at B.");
            }
            else
            {
                findings.Add(new Finding("cipher.forwardSecrecy", Finding.Ok, "Forward secrecy: ECDHE/DHE suites are accepted, so a key stolen later " +
                    "does not decrypt recorded sessions."));
            }

            if (!suites.Any(s => TlsNames.IsAead(s.Suite)))
            {
                Cap("B", "cipher.aead", "No AEAD suite (GCM or ChaCha20-Poly1305) is accepted, only CBC with a separate MAC: capped at B.");
            }

            var cbc = suites.Where(s => TlsNames.IsCbc(s.Suite)).Select(s => s.Suite).Distinct().Count();
            if (cbc > 0 && suites.Any(s => TlsNames.IsAead(s.Suite)))
            {
                findings.Add(new Finding("cipher.cbc", Finding.Warn, $"{cbc} CBC suite(s) are still accepted beside the AEAD ones; modern profiles " +
                    "(Mozilla intermediate) drop them (no cap)."));
            }

            foreach (var (version, order) in result.ServerPreference)
            {
                if (order == false)
                {
                    findings.Add(new Finding($"cipher.order.{Short(version)}", Finding.Warn, $"For {TlsNames.Version(version)} the server takes " +
                        "the client's favourite suite instead of its own (no cap, but a weak client gets a weak suite)."));
                }
            }
        }

        // Key exchange: the certificate key, and the TLS 1.3 groups.
        var keyScore = 0;
        if (result.Chain.Count > 0)
        {
            var leaf = result.Chain[0];
            var equivalent = leaf.KeyType == "ECDSA" ? leaf.KeyBits switch { >= 384 => 7680, >= 256 => 3072, >= 224 => 2048, _ => 1024 } : leaf.KeyBits;
            keyScore = equivalent switch { < 512 => 20, < 1024 => 40, < 2048 => 80, < 4096 => 90, _ => 100 };
            if (leaf.KeyType == "RSA" && leaf.KeyBits < 2048)
            {
                Cap("B", "keyExchange.key", $"The certificate's RSA key has only {leaf.KeyBits} bits; below 2048 the rating guide caps at B.");
            }
            else
            {
                findings.Add(new Finding("keyExchange.key", Finding.Ok, $"The certificate key is {leaf.KeyType} {leaf.KeyBits} bits (strength " +
                    $"like RSA {equivalent}): key exchange scores {keyScore}."));
            }
        }

        if (result.Accepts(TlsVersion.Tls13))
        {
            findings.Add(result.Groups.Count > 0
                ? new Finding("keyExchange.groups", Finding.Ok, $"TLS 1.3 groups: {string.Join(", ", result.Groups.Select(TlsNames.Group))}" +
                    (result.GroupPicked is { } g ? $"; it asks for {TlsNames.Group(g)} when a client offers all." : "."))
                : new Finding("keyExchange.groups", Finding.Warn, "No TLS 1.3 group answered a single-group hello; the server may need a key share " +
                    "up front."));
        }

        // Certificate.
        var certificateGrade = CertificateFindings(result, findings, caps);

        // Features that do not change the score.
        FeatureFindings(result, findings);

        // The score.
        var protocolScores = versions.Select(v => v switch { TlsVersion.Tls10 => 90, TlsVersion.Tls11 => 95, _ => 100 }).ToList();
        var protocolScore = protocolScores.Count == 0 ? 0 : (protocolScores.Max() + protocolScores.Min()) / 2;
        var strengths = suites.Select(s => Strength(TlsNames.CipherSuite(s.Suite))).ToList();
        var cipherScores = strengths.Select(b => b switch { 0 => 0, < 128 => 20, < 256 => 80, _ => 100 }).ToList();
        var cipherScore = cipherScores.Count == 0 ? 0 : (cipherScores.Max() + cipherScores.Min()) / 2;
        var score = (int)Math.Round(0.3 * protocolScore + 0.3 * keyScore + 0.4 * cipherScore);
        var grade = score switch { >= 80 => "A", >= 65 => "B", >= 50 => "C", >= 35 => "D", >= 20 => "E", _ => "F" };
        findings.Add(new Finding("grade.score", grade == "A" ? Finding.Ok : Finding.Warn, $"Score {score}: protocols {protocolScore} x 30% + key " +
            $"exchange {keyScore} x 30% + cipher strength {cipherScore} x 40% (best and worst offered, averaged) gives {grade}."));

        foreach (var (capGrade, _) in caps)
        {
            if (Rank(capGrade) > Rank(grade))
            {
                grade = capGrade;
            }
        }

        if (grade == "A")
        {
            if (result.HstsMaxAge is >= 15_552_000 && findings.All(f => f.Severity != Finding.Bad))
            {
                grade = "A+";
                findings.Add(new Finding("grade.hsts", Finding.Ok, $"HSTS with max-age {result.HstsMaxAge} s (180 days or more) and no warnings: A+."));
            }
            else
            {
                findings.Add(new Finding("grade.hsts", Finding.Warn, result.HttpChecked
                    ? result.HstsMaxAge is { } age
                        ? $"HSTS max-age is {age} s, under the 180 days that A+ needs."
                        : "No Strict-Transport-Security header on GET /: A+ needs HSTS for at least 180 days."
                    : "HSTS could not be checked (no validated HTTP answer), so the grade stops at A."));
            }
        }

        if (certificateGrade is not null)
        {
            return new ProbeVerdict(certificateGrade, grade, score, findings);
        }

        return new ProbeVerdict(grade, null, score, findings);
    }

    private static string? CertificateFindings(ProbeResult result, List<Finding> findings, List<(string Grade, Finding Why)> caps)
    {
        if (result.Chain.Count == 0)
        {
            findings.Add(new Finding("certificate.chain", Finding.Bad, "No certificate could be fetched, so trust and name were not checked."));
            return "T";
        }

        string? grade = null;
        var leaf = result.Chain[0];
        if (result.Expired == true)
        {
            findings.Add(new Finding("certificate.validity", Finding.Bad, $"The certificate expired on {Date(leaf.NotAfter)}: every client refuses it."));
        }
        else if (result.NotYetValid == true)
        {
            findings.Add(new Finding("certificate.validity", Finding.Bad, $"The certificate only becomes valid on {Date(leaf.NotBefore)}."));
        }
        else
        {
            var days = (int)(leaf.NotAfter - DateTimeOffset.UtcNow).TotalDays;
            findings.Add(new Finding("certificate.validity", days < 14 ? Finding.Warn : Finding.Ok,
                $"Valid until {Date(leaf.NotAfter)} ({days} day(s) left)."));
        }

        if (result.Trusted == true)
        {
            findings.Add(new Finding("certificate.trust", Finding.Ok, $"The chain validates against {result.TrustSource}."));
        }
        else
        {
            grade = "T";
            var why = leaf.SelfSigned
                ? "the certificate is self-signed: it vouches for itself"
                : result.TrustProblems.Count > 0 ? LowerFirst(string.Join(" ", result.TrustProblems).TrimEnd('.')) : "it does not validate";
            findings.Add(new Finding("certificate.trust", Finding.Bad, $"Not trusted by {result.TrustSource}: {why}. Grade T."));
        }

        if (result.NameMatches == true)
        {
            findings.Add(new Finding("certificate.name", Finding.Ok, $"The certificate is for {result.ServerName ?? result.EndPoint.Address.ToString()} " +
                "(by its SANs)."));
        }
        else
        {
            grade ??= "M";
            var sans = leaf.Sans.Count > 0 ? string.Join(", ", leaf.Sans) : "no SANs at all";
            var cn = result.NameOnlyInCommonName ? "; the name is only in its subject CN, which OpenSSL and .NET still accept but browsers refuse" : "";
            findings.Add(new Finding("certificate.name", Finding.Bad, $"The certificate is not for {result.ServerName ?? result.EndPoint.Address.ToString()}" +
                $" (it names {sans}{cn}): grade M."));
        }

        if (result.ChainComplete == false && !leaf.SelfSigned)
        {
            var finding = new Finding("certificate.complete", Finding.Warn, "The chain is incomplete (or leads to a root not in the trust store): " +
                "the server must send its intermediates; capped at B.");
            caps.Add(("B", finding));
            findings.Add(finding);
        }
        else if (result.ChainComplete == true)
        {
            findings.Add(new Finding("certificate.complete", Finding.Ok, $"The server sends every intermediate ({result.Chain.Count} certificate(s))."));
        }

        if (result.ChainInOrder == false)
        {
            findings.Add(new Finding("certificate.order", Finding.Warn, "The certificates are not in order (each should be issued by the next); " +
                "some clients fail on that."));
        }

        if (leaf.SignatureAlgorithm.Contains("sha1", StringComparison.OrdinalIgnoreCase) ||
            leaf.SignatureAlgorithm.Contains("md5", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new Finding("certificate.signature", Finding.Bad, $"The certificate is signed with {leaf.SignatureAlgorithm}, which is broken."));
        }

        return grade;
    }

    private static void FeatureFindings(ProbeResult result, List<Finding> findings)
    {
        findings.Add(result.AlpnSeen
            ? result.Alpn.Count > 0
                ? new Finding("features.alpn", Finding.Ok, $"ALPN: {string.Join(", ", result.Alpn)}.")
                : new Finding("features.alpn", Finding.Warn, "ALPN: neither h2 nor http/1.1 was agreed.")
            : new Finding("features.alpn", Finding.Warn, "ALPN could not be seen (TLS 1.3 sends it encrypted and .NET's handshake did not finish)."));
        findings.Add(result.OcspStapled switch
        {
            true => new Finding("features.ocsp", Finding.Ok, "OCSP stapling: the server sends its certificate's revocation status itself."),
            false => new Finding("features.ocsp", Finding.Warn, "No OCSP staple: clients must ask the CA themselves (or, mostly, do not check)."),
            null => new Finding("features.ocsp", Finding.Warn, "OCSP stapling could not be seen: TLS 1.3 sends the staple encrypted."),
        });
        findings.Add(result.SessionTickets switch
        {
            true => new Finding("features.tickets", Finding.Ok, "Session tickets: a returning client can resume without a full handshake."),
            false => new Finding("features.tickets", Finding.Ok, "No TLS 1.2 session tickets (resumption, if any, uses session ids)."),
            null => new Finding("features.tickets", Finding.Ok, "Session tickets could not be seen: TLS 1.3 sends them encrypted after the handshake."),
        });
        findings.Add(result.ClientCertRequested switch
        {
            true => new Finding("features.clientCert", Finding.Warn, "The server asks for a client certificate (mutual TLS): clients without one " +
                "may be turned away."),
            false => new Finding("features.clientCert", Finding.Ok, "No client certificate is requested."),
            null => new Finding("features.clientCert", Finding.Warn, "Whether a client certificate is requested could not be seen."),
        });
        if (result.StoppedEarly is { } stopped)
        {
            findings.Add(new Finding("probe.limit", Finding.Warn, stopped));
        }

        foreach (var note in result.Notes)
        {
            findings.Add(new Finding("probe.note", Finding.Warn, note));
        }
    }

    private static bool ForwardSecret(ushort suite) =>
        TlsNames.IsTls13Suite(suite) || TlsNames.CipherSuite(suite) is var n && (n.StartsWith("TLS_ECDHE_", StringComparison.Ordinal) ||
            n.StartsWith("TLS_DHE_", StringComparison.Ordinal));

    /// <summary>The symmetric key strength of a suite, in bits, read from its IANA name.</summary>
    internal static int Strength(string name)
    {
        bool Has(string part) => name.Contains(part, StringComparison.Ordinal);
        return Has("EXPORT") ? 40
            : Has("WITH_NULL") ? 0
            : Has("_DES_") || Has("DES40") ? 56
            : Has("3DES") ? 112
            : Has("_256") || Has("CHACHA20") ? 256
            : 128;
    }

    private static string LowerFirst(string text) => text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    private static int Rank(string grade) => Array.IndexOf(Order, grade);

    private static string Short(ushort version) => TlsNames.Version(version).Replace("TLS ", "tls", StringComparison.Ordinal)
        .Replace(".", "", StringComparison.Ordinal);

    private static string Date(DateTimeOffset time) => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
