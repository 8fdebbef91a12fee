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
/// Grades a probe the way the published Qualys SSL Labs "SSL Server Rating Guide" (version 2009q) does, with the grading changes SSL
/// Labs announced since (January 2017, March 2018, January 2020): a score from protocol support (30%), key exchange (30%) and cipher
/// strength (40%), turned into A (80+), B (65+), C (50+), D (35+), E (20+) or F; then the caps, each cited where it is applied; A+ for a
/// flawless A with HSTS of at least 180 days; T for a certificate that is not trusted and M for one issued to another name. Only what a
/// probe can see is graded: Heartbleed, ROBOT and the other implementation bugs are not tested.
/// </summary>
internal static class ServerRating
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

        ProtocolFindings(result, findings, Cap);
        var suites = result.CipherSuites.SelectMany(p => p.Value.Select(s => (Version: p.Key, Suite: s))).ToList();
        CipherFindings(result, suites, findings, Cap);
        var keyScore = KeyExchangeFindings(result, findings, Cap);
        var certificateGrade = CertificateFindings(result, result.Primary, "certificate", "The certificate", findings, caps);
        foreach (var other in result.OtherCertificates)
        {
            var otherGrade = CertificateFindings(result, other, $"certificate.{other.Family.ToLowerInvariant()}",
                $"The {other.Family} certificate (shown to clients that ask for {other.Family})", findings, caps);
            certificateGrade ??= otherGrade;
        }

        FeatureFindings(result, findings, Cap);

        // Rating guide, "Protocol support" (Table 2): SSL 3.0 80, TLS 1.0 90, TLS 1.1 95, TLS 1.2 and 1.3 100; the category is the
        // average of the best and the worst protocol offered.
        var versions = result.Protocols.Where(p => p.Value).Select(p => p.Key).ToList();
        var protocolScores = versions.Select(v => v switch { TlsVersion.Tls10 => 90, TlsVersion.Tls11 => 95, _ => 100 }).ToList();
        if (result.Ssl3 == true)
        {
            protocolScores.Add(80);
        }

        var protocolScore = protocolScores.Count == 0 ? 0 : (protocolScores.Max() + protocolScores.Min()) / 2;

        // Rating guide, "Cipher strength" (Table 4): 0 bits 0, under 128 bits 20, under 256 bits 80, 256 bits 100; best and worst averaged.
        var strengths = suites.Select(s => Strength(TlsNames.CipherSuite(s.Suite))).ToList();
        var cipherScores = strengths.Select(b => b switch { 0 => 0, < 128 => 20, < 256 => 80, _ => 100 }).ToList();
        var cipherScore = cipherScores.Count == 0 ? 0 : (cipherScores.Max() + cipherScores.Min()) / 2;

        // Rating guide, "Methodology overview": 30% protocols, 30% key exchange, 40% cipher strength; "Score to grade" (Table 5).
        var score = (int)Math.Round(0.3 * protocolScore + 0.3 * keyScore + 0.4 * cipherScore);
        var grade = score switch { >= 80 => "A", >= 65 => "B", >= 50 => "C", >= 35 => "D", >= 20 => "E", _ => "F" };
        findings.Add(new Finding("grade.score", grade == "A" ? Finding.Ok : Finding.Warn, $"Score {score}: protocols {protocolScore} x 30% + key " +
            $"exchange {keyScore} x 30% + cipher strength {cipherScore} x 40% (best and worst offered, averaged) gives {grade}."));

        var fromScore = grade;
        foreach (var (capGrade, _) in caps)
        {
            if (Rank(capGrade) > Rank(grade))
            {
                grade = capGrade;
            }
        }

        if (grade != fromScore)
        {
            // Said here too, or the section that explains the grade would end on the score's letter, not the one in the header.
            var capping = caps.Count(c => c.Grade == grade);
            findings.Add(new Finding("grade.cap", Finding.Warn, $"The score gives {fromScore}, but {capping} finding{(capping == 1 ? string.Empty : "s")} " +
                $"above cap{(capping == 1 ? "s" : string.Empty)} it at {grade}: the grade is {grade}."));
        }

        if (grade == "A")
        {
            // SSL Labs awards A+ to an A with no warnings and HSTS whose max-age is at least 180 days (15,552,000 s).
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

        return certificateGrade is not null
            ? new ProbeVerdict(certificateGrade, grade, score, findings)
            : new ProbeVerdict(grade, null, score, findings);
    }

    private static void ProtocolFindings(ProbeResult result, List<Finding> findings, Action<string, string, string> cap)
    {
        foreach (var (version, accepted) in result.Protocols)
        {
            var name = TlsNames.Version(version);
            var id = "protocol." + Short(version);
            switch (version)
            {
                case TlsVersion.Tls13:
                    // No cap: SSL Labs (and testssl.sh) only warn about a missing TLS 1.3.
                    findings.Add(accepted
                        ? new Finding(id, Finding.Ok, "TLS 1.3 is accepted: the fastest handshake, and only strong suites exist in it.")
                        : new Finding(id, Finding.Warn, "TLS 1.3 is not accepted; every current client speaks it (SSL Labs does not cap the " +
                            "grade for this yet)."));
                    break;
                case TlsVersion.Tls12 when accepted:
                    findings.Add(new Finding(id, Finding.Ok, "TLS 1.2 is accepted, which clients without TLS 1.3 need."));
                    break;
                case TlsVersion.Tls12 when result.Accepts(TlsVersion.Tls13):
                    // SSL Labs grading changes of January 2017: "the same penalty (C) to servers that don't support TLS 1.2" means neither
                    // TLS 1.2 nor anything newer; a TLS 1.3-only server (Mozilla "modern") gets A/A+ from SSL Labs and testssl.sh.
                    findings.Add(new Finding(id, Finding.Warn, "TLS 1.2 is not accepted, only TLS 1.3: clients without TLS 1.3 (older Android, " +
                        "Java 8, Windows before 11) cannot connect, but nothing weak is offered, so no cap."));
                    break;
                case TlsVersion.Tls12:
                    // SSL Labs grading changes, January 2017: no TLS 1.2 (and no TLS 1.3) caps at C.
                    cap("C", id, "Neither TLS 1.2 nor TLS 1.3 is accepted: the rating guide caps such a server at C.");
                    break;
                default:
                    if (accepted)
                    {
                        // SSL Labs grading change of January 2020 (TLS 1.0 and 1.1 deprecated, RFC 8996): capped at B.
                        cap("B", id, $"{name} is accepted: it is deprecated (RFC 8996) and the rating guide caps a server that accepts it at B.");
                    }
                    else
                    {
                        findings.Add(new Finding(id, Finding.Ok, $"{name} is refused, as RFC 8996 requires."));
                    }

                    break;
            }
        }

        switch (result.Ssl3)
        {
            case true:
                // SSL Labs' POODLE change (October 2014): SSL 3.0 caps at C; every SSL 3.0 suite is CBC (POODLE) or RC4.
                cap("C", "protocol.ssl3", "SSL 3.0 is accepted: its CBC padding is not checked, so POODLE recovers a cookie byte by byte " +
                    "(RFC 7568 forbids SSL 3.0); capped at C.");
                break;
            case false:
                findings.Add(new Finding("protocol.ssl3", Finding.Ok, "SSL 3.0 is refused, so POODLE (a padding oracle in SSL 3.0's CBC) " +
                    "cannot be used."));
                break;
        }
    }

    private static void CipherFindings(
        ProbeResult result, List<(ushort Version, ushort Suite)> suites, List<Finding> findings, Action<string, string, string> cap)
    {
        var names = suites.Select(s => TlsNames.CipherSuite(s.Suite)).Distinct().ToList();

        // Rating guide, "Key exchange" (Table 3): anonymous key exchange scores 0, which fails the server.
        if (names.Any(n => n.Contains("_anon_", StringComparison.Ordinal)))
        {
            cap("F", "cipher.anonymous", "An anonymous suite (no certificate, so no authentication) is accepted: anyone in the middle can pose " +
                "as the server; the rating guide fails the server.");
        }

        // Rating guide, "Cipher strength" (Table 4): no encryption scores 0, which fails the server.
        if (names.Any(n => n.Contains("_NULL_", StringComparison.Ordinal) || n.EndsWith("_NULL", StringComparison.Ordinal)))
        {
            cap("F", "cipher.null", "A NULL suite (no encryption at all, only a MAC) is accepted: the traffic crosses the wire in the clear; " +
                "the rating guide fails the server.");
        }

        // Rating guide 2009j (FREAK, Logjam): export suites fail the server.
        if (names.Any(n => n.Contains("EXPORT", StringComparison.Ordinal)))
        {
            cap("F", "cipher.export", "An export suite (40- or 56-bit keys, broken since FREAK and Logjam) is accepted: the rating guide fails the server.");
        }

        // SSL Labs RC4 changes (2015, RFC 7465): RC4 caps at B, and at C with TLS 1.1 or newer.
        if (suites.Any(s => TlsNames.CipherSuite(s.Suite).Contains("_RC4_", StringComparison.Ordinal) && s.Version >= TlsVersion.Tls11))
        {
            cap("C", "cipher.rc4", "An RC4 suite is accepted with TLS 1.1 or newer: RC4's biases leak plaintext (RFC 7465 forbids it), capped at C.");
        }
        else if (names.Any(n => n.Contains("_RC4_", StringComparison.Ordinal)))
        {
            cap("B", "cipher.rc4", "An RC4 suite is accepted: RC4's biases leak plaintext (RFC 7465 forbids it), capped at B.");
        }

        // SSL Labs grading changes, January 2017 (Sweet32): a 64-bit block cipher with TLS 1.1 or newer caps at C.
        if (suites.Any(s => TlsNames.CipherSuite(s.Suite) is var n && (n.Contains("3DES", StringComparison.Ordinal) ||
            n.Contains("_IDEA_", StringComparison.Ordinal) || n.Contains("_RC2_", StringComparison.Ordinal)) && s.Version >= TlsVersion.Tls11))
        {
            cap("C", "cipher.3des", "3DES (or another 64-bit block cipher) is accepted with TLS 1.1 or newer: its 64-bit blocks are open to " +
                "Sweet32, capped at C.");
        }

        if (suites.Count == 0)
        {
            return;
        }

        // SSL Labs grading update of March 2018: no forward secrecy caps at B, and so does no AEAD suite.
        if (!suites.Any(s => ForwardSecret(s.Suite)))
        {
            cap("B", "cipher.forwardSecrecy", "No suite with forward secrecy (ECDHE or DHE) is accepted: a stolen key decrypts every recorded " +
                "session, capped at B.");
        }
        else
        {
            findings.Add(new Finding("cipher.forwardSecrecy", Finding.Ok, "Forward secrecy: ECDHE/DHE suites are accepted, so a key stolen later " +
                "does not decrypt recorded sessions."));
        }

        if (!suites.Any(s => TlsNames.IsAead(s.Suite)))
        {
            cap("B", "cipher.aead", "No AEAD suite (GCM or ChaCha20-Poly1305) is accepted, only CBC with a separate MAC: capped at B.");
        }

        var cbc = suites.Where(s => TlsNames.IsCbc(s.Suite)).Select(s => s.Suite).Distinct().Count();
        if (cbc > 0 && suites.Any(s => TlsNames.IsAead(s.Suite)))
        {
            findings.Add(new Finding("cipher.cbc", Finding.Warn, $"{cbc} CBC suite(s) are still accepted beside the AEAD ones; modern profiles " +
                "(Mozilla intermediate) drop them (no cap)."));
        }

        foreach (var (version, order) in result.ServerPreference)
        {
            if (order != false)
            {
                continue;
            }

            // In TLS 1.3 every suite is an AEAD with forward secrecy, so following the client's order costs nothing (RFC 8446, 9.1
            // lets either side decide); in TLS 1.2 and older it lets a client talk the server into its weakest suite.
            findings.Add(version == TlsVersion.Tls13
                ? new Finding("cipher.order.tls13", Finding.Ok, "For TLS 1.3 the server takes the client's favourite suite; every TLS 1.3 suite " +
                    "is strong, so that is a fine choice (a phone without AES hardware gets ChaCha20).")
                : new Finding($"cipher.order.{Short(version)}", Finding.Warn, $"For {TlsNames.Version(version)} the server takes the client's " +
                    "favourite suite instead of its own, so a client that lists a weak suite first gets it (no cap)."));
        }
    }

    /// <summary>
    /// Rating guide, "Key exchange" (Table 3), as testssl.sh applies it: the weakest key of the exchange decides. RSA and DH keys: under
    /// 512 bits 20, under 1024 40, under 2048 80, under 4096 90, else 100; elliptic curves by their size: under 110 bits 20, under 123 40,
    /// under 163 80, under 225 90, else 100. A score of 40 or less fails the server, 80 caps it at B (weak DH: Logjam, SSL Labs 2015).
    /// </summary>
    private static int KeyExchangeFindings(ProbeResult result, List<Finding> findings, Action<string, string, string> cap)
    {
        var scores = new List<(int Score, string What)>();
        foreach (var judged in new[] { result.Primary }.Concat(result.OtherCertificates).Where(j => j.Chain.Count > 0))
        {
            var leaf = judged.Chain[0];
            var what = $"the {leaf.KeyType} {leaf.KeyBits}-bit certificate key";
            var score = leaf.KeyType == "ECDSA" ? EcScore(leaf.KeyBits) : RsaScore(leaf.KeyBits);
            scores.Add((score, what));
            findings.Add(new Finding(judged == result.Primary ? "keyExchange.key" : $"keyExchange.key.{judged.Family.ToLowerInvariant()}",
                score > 80 ? Finding.Ok : Finding.Bad, $"The certificate key is {leaf.KeyType} {leaf.KeyBits} bits: key exchange scores {score}" +
                (score > 80 ? "." : " (an RSA key needs 2048 bits).")));
        }

        var dh = result.KeyExchange.Values.Where(k => k.Kind == "DH").Distinct().OrderBy(k => k.Bits).ToList();
        foreach (var group in dh)
        {
            scores.Add((RsaScore(group.Bits), $"a {group.Bits}-bit DH group"));
        }

        if (dh.Count > 0)
        {
            var weakest = dh[0];
            findings.Add(weakest.Bits < 2048
                ? new Finding("keyExchange.dh", Finding.Bad, $"DHE uses {weakest.Describe()}: under 2048 bits a well-funded attacker can " +
                    "precompute the group (Logjam), and a default OpenSSL 3 client refuses it (\"dh key too small\").")
                : new Finding("keyExchange.dh", Finding.Ok, $"DHE uses {string.Join(", ", dh.Select(d => d.Describe()))}."));
        }

        var curves = result.KeyExchange.Values.Where(k => k.Kind == "ECDH").Distinct().OrderBy(k => k.Bits).ToList();
        foreach (var curve in curves.Where(c => c.Bits > 0))
        {
            scores.Add((EcScore(curve.Bits), $"the {curve.Group} curve"));
        }

        if (curves.Count > 0)
        {
            findings.Add(new Finding("keyExchange.ecdhe", curves.Any(c => c.Bits is > 0 and < 224) ? Finding.Warn : Finding.Ok,
                $"TLS 1.2 ECDHE uses {string.Join(", ", curves.Select(c => c.Group))}."));
        }

        if (result.Accepts(TlsVersion.Tls13))
        {
            findings.Add(result.Groups.Count > 0
                ? new Finding("keyExchange.groups", Finding.Ok, $"TLS 1.3 groups: {string.Join(", ", result.Groups.Select(TlsNames.Group))}" +
                    (result.GroupPicked is { } g ? $"; it asks for {TlsNames.Group(g)} when a client offers all." : "."))
                : new Finding("keyExchange.groups", Finding.Warn, "No TLS 1.3 group answered a single-group hello; the server may need a key share " +
                    "up front."));
        }

        if (scores.Count == 0)
        {
            return 0;
        }

        var worst = scores.MinBy(s => s.Score);
        if (worst.Score <= 40)
        {
            cap("F", "keyExchange.weak", $"The key exchange rests on {worst.What}, which scores {worst.Score}: the rating guide fails the server.");
        }
        else if (worst.Score <= 80)
        {
            cap("B", "keyExchange.weak", $"The key exchange rests on {worst.What}, which scores {worst.Score} (under 2048 bits): capped at B.");
        }

        return worst.Score;
    }

    private static int RsaScore(int bits) => bits switch { < 512 => 20, < 1024 => 40, < 2048 => 80, < 4096 => 90, _ => 100 };

    private static int EcScore(int bits) => bits switch { < 110 => 20, < 123 => 40, < 163 => 80, < 225 => 90, _ => 100 };

    /// <summary>Findings for one presented certificate; returns T or M when it earns one (rating guide, "Certificate inspection").</summary>
    private static string? CertificateFindings(
        ProbeResult result, CertificateJudgement judged, string id, string label, List<Finding> findings, List<(string Grade, Finding Why)> caps)
    {
        if (judged.Chain.Count == 0)
        {
            findings.Add(new Finding($"{id}.chain", Finding.Bad, "No certificate could be fetched, so trust and name were not checked."));
            return "T";
        }

        string? grade = null;
        var leaf = judged.Chain[0];
        var primary = judged == result.Primary;
        if (!primary)
        {
            findings.Add(new Finding($"{id}.presented", Finding.Ok, $"{label}: {leaf.Subject}, {leaf.KeyType} {leaf.KeyBits} bits, issued by " +
                $"{leaf.Issuer}."));
        }

        // Rating guide, "Certificate inspection": an expired or not yet valid certificate is not trusted (T).
        if (judged.Expired == true)
        {
            grade = "T";
            findings.Add(new Finding($"{id}.validity", Finding.Bad, $"{label} expired on {Date(leaf.NotAfter)}: every client refuses it. Grade T."));
        }
        else if (judged.NotYetValid == true)
        {
            grade = "T";
            findings.Add(new Finding($"{id}.validity", Finding.Bad, $"{label} only becomes valid on {Date(leaf.NotBefore)}: every client refuses " +
                "it until then. Grade T."));
        }
        else
        {
            var days = (int)(leaf.NotAfter - DateTimeOffset.UtcNow).TotalDays;
            findings.Add(new Finding($"{id}.validity", days < 14 ? Finding.Warn : Finding.Ok, $"Valid until {Date(leaf.NotAfter)} ({days} day(s) left)."));
        }

        if (judged.Trusted == true)
        {
            findings.Add(new Finding($"{id}.trust", Finding.Ok, $"The chain validates against {result.TrustSource}."));
        }
        else if (judged.TrustProblems.Count == 0 && !leaf.SelfSigned && grade is null)
        {
            grade = "T";
            findings.Add(new Finding($"{id}.trust", Finding.Bad, $"Not trusted by {result.TrustSource}: the chain does not validate. Grade T."));
        }
        else if (judged.TrustProblems.Count > 0 || leaf.SelfSigned)
        {
            // Rating guide, "Certificate inspection": a chain that does not lead to a trusted root is grade T. The dates, when they are the
            // only problem, were said above.
            grade = "T";
            var why = leaf.SelfSigned
                ? "the certificate is self-signed: it vouches for itself"
                : LowerFirst(string.Join(" ", judged.TrustProblems).TrimEnd('.'));
            findings.Add(new Finding($"{id}.trust", Finding.Bad, $"Not trusted by {result.TrustSource}: {why}. Grade T."));
        }

        if (judged.RevocationUnknown is { } unknown)
        {
            findings.Add(new Finding($"{id}.revocation", Finding.Warn, unknown));
        }
        else if (judged.Revoked == false)
        {
            findings.Add(new Finding($"{id}.revocation", Finding.Ok, "Not revoked, says the CRL or OCSP service the certificate names."));
        }

        if (judged.NameMatches == true)
        {
            findings.Add(new Finding($"{id}.name", Finding.Ok, $"{label} is for {result.ServerName ?? result.EndPoint.Address.ToString()} (by its SANs)."));
        }
        else
        {
            // Rating guide, "Certificate inspection": a certificate for another name is grade M (mismatch).
            grade ??= "M";
            var sans = leaf.Sans.Count > 0 ? string.Join(", ", leaf.Sans) : "no SANs at all";
            var cn = judged.NameOnlyInCommonName ? "; the name is only in its subject CN, which OpenSSL and .NET still accept but browsers refuse" : "";
            findings.Add(new Finding($"{id}.name", Finding.Bad, $"{label} is not for {result.ServerName ?? result.EndPoint.Address.ToString()}" +
                $" (it names {sans}{cn}): grade M."));
        }

        if (judged.ChainComplete == false && !leaf.SelfSigned)
        {
            // Rating guide, "Certificate inspection" (chain issues): a missing intermediate caps at B.
            var finding = new Finding($"{id}.complete", Finding.Warn, "The chain is incomplete: the server must send its intermediates; capped at B.");
            caps.Add(("B", finding));
            findings.Add(finding);
        }
        else if (judged.ChainComplete == true && !judged.RootNotTrusted)
        {
            findings.Add(new Finding($"{id}.complete", Finding.Ok, $"The server sends every intermediate ({judged.Chain.Count} certificate(s))."));
        }

        if (judged.ChainInOrder == false)
        {
            findings.Add(new Finding($"{id}.order", Finding.Warn, "The certificates are not in order (each should be issued by the next); " +
                "some clients fail on that."));
        }

        if (leaf.SignatureAlgorithm.Contains("sha1", StringComparison.OrdinalIgnoreCase) ||
            leaf.SignatureAlgorithm.Contains("md5", StringComparison.OrdinalIgnoreCase))
        {
            // SSL Labs (2017) and testssl.sh: a SHA-1 (or MD5) signed leaf is not trusted.
            grade ??= "T";
            findings.Add(new Finding($"{id}.signature", Finding.Bad, $"{label} is signed with {leaf.SignatureAlgorithm}, which is broken: grade T."));
        }

        return grade;
    }

    private static void FeatureFindings(ProbeResult result, List<Finding> findings, Action<string, string, string> cap)
    {
        findings.Add(result.FallbackScsv switch
        {
            true => new Finding("features.fallbackScsv", Finding.Ok, "TLS_FALLBACK_SCSV: a hello that says \"I fell back to a lower version\" is " +
                "refused while a higher one exists, so an attacker who breaks the first handshake cannot push a client down (RFC 7507)."),
            false => new Finding("features.fallbackScsv", Finding.Warn, "TLS_FALLBACK_SCSV is ignored: a client that retries with a lower version " +
                "after a failed handshake can be pushed down by an attacker (RFC 7507)."),
            null => new Finding("features.fallbackScsv", Finding.Ok, "TLS_FALLBACK_SCSV does not apply: the server accepts one version only, so " +
                "there is nothing lower to fall back to."),
        });
        findings.Add(result.SecureRenegotiation switch
        {
            true => new Finding("features.renegotiation", Finding.Ok, "Secure renegotiation (RFC 5746): a renegotiation is bound to the handshake " +
                "before it, so an attacker cannot splice their own request in front of the client's."),
            false => new Finding("features.renegotiation", Finding.Warn, "No secure renegotiation (RFC 5746): an attacker in the middle can prefix " +
                "the client's request with their own (the 2009 renegotiation attack); testssl.sh and SSL Labs warn."),
            null => new Finding("features.renegotiation", Finding.Ok, "Renegotiation does not apply: TLS 1.3 removed it."),
        });
        if (result.Compression == true)
        {
            // SSL Labs and testssl.sh: TLS compression (CRIME) caps at C.
            cap("C", "features.compression", "TLS compression is accepted: the compressed size of each record leaks secrets such as cookies " +
                "(CRIME); capped at C.");
        }
        else if (result.Compression == false)
        {
            findings.Add(new Finding("features.compression", Finding.Ok, "TLS compression is refused, so CRIME (secrets guessed from the size of " +
                "compressed records) cannot work."));
        }

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
