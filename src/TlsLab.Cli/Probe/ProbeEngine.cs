using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>The server does not speak TLS, or nothing answered a ClientHello; the message is one sentence.</summary>
internal sealed class ProbeNotTlsException(string message) : Exception(message);

/// <summary>
/// A small scanner in the manner of testssl.sh and sslyze. It learns what a server accepts by offering
/// one thing at a time in hand-made ClientHellos and reading the first answer: a version per hello; the
/// suites by offering the list minus every suite the server already chose (which also yields the server's
/// order of preference); TLS 1.3 groups one per hello, with no key share, so a HelloRetryRequest names
/// the group. Then one full handshake by <see cref="System.Net.Security.SslStream"/> fetches and judges
/// the certificate chain. Every connection goes through a <see cref="ProbeBudget"/>.
/// </summary>
internal static class ProbeEngine
{
    public static readonly string[] AlpnCandidates = ["h2", "http/1.1"];

    /// <summary>The TLS 1.3 groups asked about one by one: the classic curves, the finite-field groups, the hybrid post-quantum ones.</summary>
    public static readonly ushort[] GroupCandidates =
        [0x001D, 0x0017, 0x0018, 0x0019, 0x001E, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x11EC, 0x11EB];

    /// <summary>Probes <paramref name="settings"/>'s target.</summary>
    /// <exception cref="ProbeConnectException">No TCP connection at all.</exception>
    /// <exception cref="ProbeNotTlsException">Something answers, but not TLS.</exception>
    public static async Task<ProbeResult> RunAsync(ProbeSettings settings, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        using var budget = new ProbeBudget(settings, cancellationToken);
        var result = new ProbeResult
        {
            Target = settings.Target,
            EndPoint = settings.EndPoint,
            ServerName = settings.ServerName,
            TrustSource = settings.TrustLabel ?? (settings.Trust is null ? "the system's trusted roots" : $"{settings.Trust.Count} certificate(s) from --ca"),
        };

        try
        {
            await ProbeAsync(settings, budget, result, time ?? TimeProvider.System).ConfigureAwait(false);
        }
        catch (ProbeBudgetException e)
        {
            result.StoppedEarly = $"The probe stopped early ({e.Message}); what is shown was found before that.";
        }

        result.Attempts = budget.Attempts;
        result.Elapsed = clock.Elapsed;
        return result;
    }

    private static async Task ProbeAsync(ProbeSettings settings, ProbeBudget budget, ProbeResult result, TimeProvider time)
    {
        // First contact with the most widely spoken version: it tells whether anything speaks TLS here at all.
        var first = await budget.SendAsync(Broad(settings, TlsVersion.Tls12)).ConfigureAwait(false);
        if (first.Kind == ServerAnswerKind.NotTls)
        {
            throw new ProbeNotTlsException(first.Error!);
        }

        if (first.TimedOut)
        {
            var host = settings.ServerName ?? settings.EndPoint.Address.ToString();
            var http = await budget.RunAsync(token => HelloExchange.AskHttpAsync(settings.EndPoint, host, settings.Timeout, token)).ConfigureAwait(false);
            if (http is not null)
            {
                throw new ProbeNotTlsException($"It kept silent after a TLS ClientHello, and answered a plain HTTP request with \"{http}\": it is " +
                    "a plaintext HTTP server (try http://, or the server's TLS port).");
            }
        }

        var others = await Task.WhenAll(
            new[] { TlsVersion.Tls13, TlsVersion.Tls11, TlsVersion.Tls10 }.Select(v => budget.SendAsync(Broad(settings, v)))).ConfigureAwait(false);
        var answers = new Dictionary<ushort, ServerAnswer>
        {
            [TlsVersion.Tls12] = first,
            [TlsVersion.Tls13] = others[0],
            [TlsVersion.Tls11] = others[1],
            [TlsVersion.Tls10] = others[2],
        };
        foreach (var (version, answer) in answers)
        {
            result.Protocols[version] = answer.Accepted && answer.Version == version;
        }

        if (answers.Values.All(a => a.Kind is ServerAnswerKind.NoAnswer or ServerAnswerKind.Malformed or ServerAnswerKind.NotTls))
        {
            var why = answers.Values.Select(a => a.Error).FirstOrDefault(e => e is not null);
            throw new ProbeNotTlsException($"Nothing on {settings.EndPoint} answers a TLS ClientHello, for any version from TLS 1.0 to 1.3: {why}");
        }

        foreach (var odd in answers.Values.Where(a => a.Kind == ServerAnswerKind.Malformed).Select(a => a.Error).Distinct())
        {
            result.Notes.Add($"An answer broke the TLS rules: {odd}");
        }

        // What TLS 1.2 and older show in the clear: from the most modern accepted legacy version's flight.
        var legacy = new[] { TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10 }.FirstOrDefault(result.Accepts);
        if (legacy != 0)
        {
            var flight = answers[legacy];
            result.OcspStapled = flight.OcspStapled;
            result.ClientCertRequested = flight.CertificateRequested;
            result.SessionTickets = flight.SessionTicketPromised;
            result.LegacyGroup = flight.KeyExchangeGroup;
            if (!flight.FlightComplete)
            {
                result.Notes.Add($"The {TlsNames.Version(legacy)} flight did not end in ServerHelloDone, so the certificate request and OCSP " +
                    "staple are read from what arrived.");
            }
        }

        var enumerations = result.Protocols.Where(p => p.Value).Select(p => EnumerateSuitesAsync(settings, budget, result, p.Key, answers[p.Key]));
        var groups = result.Accepts(TlsVersion.Tls13) ? ProbeGroupsAsync(settings, budget, result) : Task.CompletedTask;
        var alpn = legacy != 0 ? ProbeAlpnAsync(settings, budget, result, legacy) : Task.CompletedTask;
        var checks = LegacyChecks.RunAsync(settings, budget, result, legacy != 0 ? answers[legacy] : null, Broad);
        await Task.WhenAll([.. enumerations, groups, alpn, checks]).ConfigureAwait(false);

        await InspectChainAsync(settings, budget, result, legacy != 0 ? answers[legacy] : null, time).ConfigureAwait(false);
    }

    /// <summary>Offers the suites minus every one already chosen until the server refuses: the choices in order are its preference.</summary>
    private static async Task EnumerateSuitesAsync(ProbeSettings settings, ProbeBudget budget, ProbeResult result, ushort version, ServerAnswer first)
    {
        var found = new List<ushort>();
        lock (result)
        {
            result.CipherSuites[version] = found;
        }

        var remaining = (version == TlsVersion.Tls13 ? ClientHelloWriter.Tls13Suites : ClientHelloWriter.LegacySuites).ToList();
        var answer = first;
        while (answer.Accepted && answer.Version == version && remaining.Remove(answer.CipherSuite))
        {
            lock (result)
            {
                found.Add(answer.CipherSuite);
                if (KeyExchangeInfo.From(answer) is { } kx)
                {
                    result.KeyExchange[(version, answer.CipherSuite)] = kx;
                }

                // A server that fetches its OCSP answer in the background staples only once it has one: any flight with a staple counts.
                if (answer.OcspStapled)
                {
                    result.OcspStapled = true;
                }
            }

            if (remaining.Count == 0)
            {
                break;
            }

            answer = await budget.SendAsync(Broad(settings, version) with { CipherSuites = remaining }).ConfigureAwait(false);
        }

        if (found.Count < 2)
        {
            return;
        }

        // Offer what was found in reverse: a server with its own order still picks its favourite first.
        var reversed = Enumerable.Reverse(found).ToArray();
        var check = await budget.SendAsync(Broad(settings, version) with { CipherSuites = reversed }).ConfigureAwait(false);
        lock (result)
        {
            result.ServerPreference[version] = !check.Accepted ? null : check.CipherSuite == found[0] ? true :
                check.CipherSuite == reversed[0] ? false : null;
        }
    }

    private static async Task ProbeGroupsAsync(ProbeSettings settings, ProbeBudget budget, ProbeResult result)
    {
        var tls13 = Broad(settings, TlsVersion.Tls13) with { KeyShares = [] };
        var answers = await Task.WhenAll(GroupCandidates.Select(g => budget.SendAsync(tls13 with { Groups = [g] }))).ConfigureAwait(false);
        lock (result)
        {
            for (var i = 0; i < GroupCandidates.Length; i++)
            {
                if (answers[i].Accepted && answers[i].Group == GroupCandidates[i])
                {
                    result.Groups.Add(GroupCandidates[i]);
                }
            }
        }

        var picked = await budget.SendAsync(tls13 with { Groups = GroupCandidates }).ConfigureAwait(false);
        if (picked.Accepted)
        {
            result.GroupPicked = picked.Group;
        }
    }

    private static async Task ProbeAlpnAsync(ProbeSettings settings, ProbeBudget budget, ProbeResult result, ushort version)
    {
        var answers = await Task.WhenAll(AlpnCandidates.Select(p => budget.SendAsync(Broad(settings, version) with { Alpn = [p] }))).ConfigureAwait(false);
        lock (result)
        {
            result.AlpnSeen = true;
            for (var i = 0; i < AlpnCandidates.Length; i++)
            {
                if (answers[i].Accepted && answers[i].Alpn == AlpnCandidates[i])
                {
                    result.Alpn.Add(AlpnCandidates[i]);
                }
            }
        }
    }

    private static async Task InspectChainAsync(ProbeSettings settings, ProbeBudget budget, ProbeResult result, ServerAnswer? legacyFlight, TimeProvider time)
    {
        var view = await ChainInspector.HandshakeAsync(settings, AlpnCandidates, budget).ConfigureAwait(false);
        try
        {
            // TLS 1.2's Certificate message is the exact list and order the server sent; .NET's view is the fallback (TLS 1.3), and
            // so is a TLS 1.2 flight that stopped before its end (a slow server), whose certificate list may be cut short.
            var fromFlight = legacyFlight is { Certificates.Count: > 0 } && (legacyFlight.FlightComplete || view.Sent.Count == 0);
            var certificates = fromFlight ? legacyFlight!.Certificates : view.Sent.DistinctBy(c => c.Thumbprint).Select(c => c.RawData);
            JudgeChain(settings, result, result.Primary, certificates, time);
        }
        finally
        {
            foreach (var certificate in view.Sent)
            {
                certificate.Dispose();
            }
        }

        if (view.Completed)
        {
            result.DotnetHandshake = $"{view.Protocol}, {view.CipherSuite}";
        }
        else if (view.Failure is not null)
        {
            result.Notes.Add($".NET's own client did not finish its handshake ({view.Failure}), so ALPN and HSTS over a finished handshake " +
                "were not checked.");
        }

        // HSTS is read with an HTTP/1.1 request: a connection that agreed on h2 would need HTTP/2 frames, so then the header is asked
        // for on a second connection that offers http/1.1 alone (the first one already asked when the server did not choose h2).
        var http = view;
        if (view.Completed && view.Alpn == "h2")
        {
            http = await ChainInspector.HandshakeAsync(settings, ["http/1.1"], budget).ConfigureAwait(false);
            foreach (var certificate in http.Sent)
            {
                certificate.Dispose();
            }

            // TLS 1.3 hides ALPN from hand-made hellos: whether http/1.1 is agreed shows here.
            if (!result.AlpnSeen && http.Alpn == "http/1.1")
            {
                result.Alpn.Add("http/1.1");
            }
        }
        result.HttpChecked = http.HttpAnswered;
        result.HstsMaxAge = ChainInspector.MaxAge(http.Hsts);

        // TLS 1.3 hides these from hand-made hellos; .NET's handshake shows them when it gets far enough.
        if (!result.AlpnSeen && view.Completed)
        {
            result.AlpnSeen = true;
            if (view.Alpn is { } chosen)
            {
                result.Alpn.Insert(0, chosen);
            }
        }

        if (result.ClientCertRequested is null && (view.Completed || view.Sent.Count > 0))
        {
            result.ClientCertRequested = view.ClientCertificateRequested;
        }

        if (result.Accepts(TlsVersion.Tls12) && legacyFlight is not null)
        {
            await AskEachCertificateFamilyAsync(settings, budget, result, legacyFlight, time).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A server may hold an ECDSA and an RSA certificate and present the one a client can verify. Each family is asked for once, in a
    /// TLS 1.2 hello that offers only that family's suites and signature schemes; a leaf other than the one already judged is judged
    /// on its own. (TLS 1.3 encrypts the certificate, so this is asked in TLS 1.2.)
    /// </summary>
    private static async Task AskEachCertificateFamilyAsync(
        ProbeSettings settings, ProbeBudget budget, ProbeResult result, ServerAnswer first, TimeProvider time)
    {
        var seen = new List<byte[]>();
        if (first.Certificates.Count > 0)
        {
            seen.Add(first.Certificates[0]);
        }

        foreach (var family in CertificateFamilies)
        {
            var suites = ClientHelloWriter.LegacySuites.Where(s => family.Suite(TlsNames.CipherSuite(s))).ToArray();
            var answer = await budget.SendAsync(Broad(settings, TlsVersion.Tls12) with { CipherSuites = suites, SignatureAlgorithms = family.Schemes })
                .ConfigureAwait(false);
            if (!answer.Accepted || answer.Certificates.Count == 0 || seen.Any(s => s.AsSpan().SequenceEqual(answer.Certificates[0])))
            {
                continue;
            }

            seen.Add(answer.Certificates[0]);
            var judged = new CertificateJudgement { Family = family.Name };
            JudgeChain(settings, result, judged, answer.Certificates, time);
            lock (result)
            {
                result.OtherCertificates.Add(judged);
            }
        }
    }

    private static readonly (string Name, Func<string, bool> Suite, ushort[] Schemes)[] CertificateFamilies =
    [
        ("ECDSA", name => name.Contains("_ECDSA_", StringComparison.Ordinal), [0x0403, 0x0503, 0x0603, 0x0203]),
        ("RSA", name => name.StartsWith("TLS_RSA_WITH_", StringComparison.Ordinal) || name.Contains("_ECDHE_RSA_", StringComparison.Ordinal) ||
            name.Contains("_DHE_RSA_", StringComparison.Ordinal), [0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201]),
    ];

    private static void JudgeChain(ProbeSettings settings, ProbeResult result, CertificateJudgement target, IEnumerable<byte[]> certificates, TimeProvider time)
    {
        var sent = new List<X509Certificate2>();
        try
        {
            foreach (var der in certificates)
            {
                try
                {
                    sent.Add(X509CertificateLoader.LoadCertificate(der));
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    lock (result)
                    {
                        result.Notes.Add("The server sent a certificate that cannot be parsed.");
                    }
                }
            }

            ChainInspector.Judge(target, settings.ServerName ?? settings.EndPoint.Address.ToString(), result.TrustSource, sent, settings.Trust, time,
                settings.Timeout);
        }
        finally
        {
            foreach (var certificate in sent)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>A hello offering everything for one version: every suite, the default groups and schemes, ALPN, status_request, tickets.</summary>
    internal static ClientHelloSpec Broad(ProbeSettings settings, ushort version) => new()
    {
        Version = version,
        CipherSuites = version == TlsVersion.Tls13 ? ClientHelloWriter.Tls13Suites : ClientHelloWriter.LegacySuites,
        ServerName = settings.ServerName,
        Alpn = version == TlsVersion.Tls13 ? [] : AlpnCandidates,
    };
}
