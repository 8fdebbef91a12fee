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
        await Task.WhenAll([.. enumerations, groups, alpn]).ConfigureAwait(false);

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
        var sent = new List<X509Certificate2>();
        try
        {
            // TLS 1.2's Certificate message is the exact list and order the server sent; .NET's view is the fallback (TLS 1.3).
            if (legacyFlight is { Certificates.Count: > 0 })
            {
                foreach (var der in legacyFlight.Certificates)
                {
                    try
                    {
                        sent.Add(X509CertificateLoader.LoadCertificate(der));
                    }
                    catch (System.Security.Cryptography.CryptographicException)
                    {
                        result.Notes.Add("The server sent a certificate that cannot be parsed.");
                    }
                }
            }
            else
            {
                sent.AddRange(view.Sent.DistinctBy(c => c.Thumbprint));
            }

            ChainInspector.Judge(result, sent, settings.Trust, time);
        }
        finally
        {
            foreach (var certificate in sent.Concat(view.Sent))
            {
                certificate.Dispose();
            }
        }

        // HSTS is read with an HTTP/1.1 request, which is the wrong language on a connection where the server chose h2 (Kestrel,
        // nginx with http2): then it is read on a second connection that offers http/1.1 only.
        var http11 = view.Completed && view.Alpn == "h2"
            ? await ChainInspector.HandshakeAsync(settings, ["http/1.1"], budget).ConfigureAwait(false)
            : null;
        foreach (var certificate in http11?.Sent ?? [])
        {
            certificate.Dispose();
        }

        if (view.Completed)
        {
            result.DotnetHandshake = $"{view.Protocol}, {view.CipherSuite}";
            var answered = http11 ?? view;
            result.HttpChecked = answered.HttpAnswered;
            result.HstsMaxAge = ChainInspector.MaxAge(answered.Hsts);
        }
        else if (view.Failure is not null)
        {
            result.Notes.Add($".NET's own client did not finish its handshake ({view.Failure}), so ALPN and HSTS over a finished handshake " +
                "were not checked.");
        }

        // TLS 1.3 hides these from hand-made hellos; .NET's handshake shows them when it gets far enough.
        if (!result.AlpnSeen && view.Completed)
        {
            result.AlpnSeen = true;
            if (view.Alpn is { } chosen)
            {
                result.Alpn.Add(chosen);
                if (chosen == "h2" && http11?.Alpn == "http/1.1")
                {
                    result.Alpn.Add("http/1.1");
                }
            }
        }

        if (result.ClientCertRequested is null && (view.Completed || view.Sent.Count > 0))
        {
            result.ClientCertRequested = view.ClientCertificateRequested;
        }
    }

    /// <summary>A hello offering everything for one version: every suite, the default groups and schemes, ALPN, status_request, tickets.</summary>
    private static ClientHelloSpec Broad(ProbeSettings settings, ushort version) => new()
    {
        Version = version,
        CipherSuites = version == TlsVersion.Tls13 ? ClientHelloWriter.Tls13Suites : ClientHelloWriter.LegacySuites,
        ServerName = settings.ServerName,
        Alpn = version == TlsVersion.Tls13 ? [] : AlpnCandidates,
    };
}
