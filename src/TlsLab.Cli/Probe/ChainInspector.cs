using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TlsLab.Diagnostics;

namespace TlsLab.Cli.Probe;

/// <summary>What one full handshake by .NET's own client saw.</summary>
internal sealed class SslStreamView
{
    /// <summary>The certificates the server sent, leaf first (as the platform handed them over).</summary>
    public List<X509Certificate2> Sent { get; } = [];

    public string? Alpn { get; set; }

    /// <summary>True when the server asked for a client certificate (the platform called the selection callback with the server's CA list).</summary>
    public bool ClientCertificateRequested { get; set; }

    public bool Completed { get; set; }

    public SslProtocols Protocol { get; set; }

    public TlsCipherSuite CipherSuite { get; set; }

    public string? Failure { get; set; }

    /// <summary>What .NET's validation said about the certificate, when it got that far.</summary>
    public SslPolicyErrors? PolicyErrors { get; set; }

    /// <summary>The Strict-Transport-Security header of GET /, when the connection validated and the server answered.</summary>
    public string? Hsts { get; set; }

    public bool HttpAnswered { get; set; }
}

/// <summary>
/// The one full handshake of a probe, by <see cref="SslStream"/>: it fetches the certificates (TLS 1.3 sends
/// them encrypted, so hand-made hellos never see them), the ALPN choice and whether a client certificate is
/// requested. Validation is the platform's, with the probe's trust anchors; the callback records and never
/// overrides it. The chain is then judged again, step by step, by <see cref="Judge"/>.
/// </summary>
internal static class ChainInspector
{
    public static async Task<SslStreamView> HandshakeAsync(ProbeSettings settings, IReadOnlyList<string> alpn, ProbeBudget budget)
    {
        return await budget.RunAsync(async token =>
        {
            var view = new SslStreamView();
            using var socket = await HelloExchange.ConnectAsync(settings.EndPoint, settings.Timeout, token).ConfigureAwait(false);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(settings.Timeout);
            await using var tls = new SslStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: false));
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = settings.ServerName ?? settings.EndPoint.Address.ToString(),
                ApplicationProtocols = alpn.Select(p => new SslApplicationProtocol(p)).ToList(),
                CertificateChainPolicy = Policy(settings.Trust),
                RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                {
                    if (certificate is not null)
                    {
                        view.Sent.Clear();
                        view.Sent.Add(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                        foreach (var extra in chain?.ChainPolicy.ExtraStore ?? [])
                        {
                            view.Sent.Add(X509CertificateLoader.LoadCertificate(extra.RawData));
                        }
                    }

                    view.PolicyErrors = errors;
                    var stream = (SslStream)sender;
                    view.Alpn = stream.NegotiatedApplicationProtocol == default ? null : stream.NegotiatedApplicationProtocol.ToString();
                    // Records .NET's verdict and keeps it: this callback never turns a failure into a success.
                    return errors == SslPolicyErrors.None;
                },
                LocalCertificateSelectionCallback = (_, _, _, remote, issuers) =>
                {
                    if (remote is not null)
                    {
                        view.ClientCertificateRequested = true;
                    }

                    return null!;
                },
            };
            try
            {
                await tls.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
                view.Completed = true;
                view.Protocol = tls.SslProtocol;
                view.CipherSuite = tls.NegotiatedCipherSuite;
                view.Alpn = tls.NegotiatedApplicationProtocol == default ? view.Alpn : tls.NegotiatedApplicationProtocol.ToString();
                if (view.Alpn != "h2")
                {
                    // An HTTP/1.1 request on a connection that agreed on h2 is a protocol error the server answers with nothing useful.
                    await ReadHstsAsync(tls, options.TargetHost!, view, deadline.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
            {
                if (e is OperationCanceledException && token.IsCancellationRequested)
                {
                    throw;
                }

                view.Failure = view.PolicyErrors is { } refused && refused != SslPolicyErrors.None
                    ? $"it refused the certificate ({refused}), as a careful client must"
                    : Explain.Failure(e);
            }

            return view;
        }).ConfigureAwait(false);
    }

    /// <summary>GET / and the HSTS header, read from the first few kilobytes of the answer.</summary>
    private static async Task ReadHstsAsync(SslStream tls, string host, SslStreamView view, CancellationToken token)
    {
        try
        {
            var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nUser-Agent: tlslab-probe\r\n\r\n");
            await tls.WriteAsync(request, token).ConfigureAwait(false);
            var buffer = new byte[8192];
            var received = 0;
            while (received < buffer.Length)
            {
                var n = await tls.ReadAsync(buffer.AsMemory(received), token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                received += n;
                if (buffer.AsSpan(0, received).IndexOf("\r\n\r\n"u8) >= 0)
                {
                    break;
                }
            }

            var head = Encoding.ASCII.GetString(buffer, 0, received);
            view.HttpAnswered = head.StartsWith("HTTP/", StringComparison.Ordinal);
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Strict-Transport-Security:", StringComparison.OrdinalIgnoreCase))
                {
                    view.Hsts = line["Strict-Transport-Security:".Length..].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or AuthenticationException)
        {
            // HSTS is a bonus: a server that does not speak HTTP simply has none to show.
        }
    }

    /// <summary>The max-age of an HSTS header value, or null.</summary>
    public static long? MaxAge(string? hsts)
    {
        if (hsts is null)
        {
            return null;
        }

        foreach (var part in hsts.Split(';'))
        {
            var kv = part.Trim();
            if (kv.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase) &&
                long.TryParse(kv["max-age=".Length..].Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }
        }

        return null;
    }

    /// <summary>Trust in the --ca anchors only, or the system store; revocation as <paramref name="revocation"/> says.</summary>
    public static X509ChainPolicy Policy(X509Certificate2Collection? trust, X509RevocationMode revocation = X509RevocationMode.NoCheck)
    {
        var policy = new X509ChainPolicy
        {
            RevocationMode = revocation,
            VerificationFlags = X509VerificationFlags.IgnoreEndRevocationUnknown | X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown
                | X509VerificationFlags.IgnoreRootRevocationUnknown,
            // A chain the server did not send completely must show as incomplete, not be repaired from the network.
            DisableCertificateDownloads = true,
        };
        policy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        if (trust is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(trust);
        }

        return policy;
    }

    /// <summary>
    /// Judges one sent chain into <paramref name="target"/>: each certificate, order, completeness, trust, name, validity, revocation.
    /// Trust is decided with no network at all (path, signatures, usage, dates), so the same chain gets the same verdict on every run;
    /// revocation is asked afterwards, online, and only a definite "revoked" answer can turn the verdict: an answer that does not come
    /// within <paramref name="revocationTimeout"/> is reported as unknown and changes nothing.
    /// </summary>
    public static void Judge(
        CertificateJudgement target, string name, string trustLabel, IReadOnlyList<X509Certificate2> sent, X509Certificate2Collection? trust,
        TimeProvider time, TimeSpan revocationTimeout)
    {
        if (sent.Count == 0)
        {
            return;
        }

        foreach (var certificate in sent)
        {
            target.Chain.Add(Describe(certificate));
        }

        var leaf = sent[0];
        var now = time.GetUtcNow();
        target.Expired = leaf.NotAfter.ToUniversalTime() < now.UtcDateTime;
        target.NotYetValid = leaf.NotBefore.ToUniversalTime() > now.UtcDateTime;
        target.ChainInOrder = Enumerable.Range(0, sent.Count - 1)
            .All(i => sent[i].IssuerName.RawData.AsSpan().SequenceEqual(sent[i + 1].SubjectName.RawData));
        target.NameMatches = leaf.MatchesHostname(name, allowWildcards: true, allowCommonName: false);
        target.NameOnlyInCommonName = target.NameMatches == false && leaf.MatchesHostname(name, allowWildcards: true, allowCommonName: true);
        target.NamesRevocationService = NamesRevocationService(leaf);

        using var chain = new X509Chain { ChainPolicy = Policy(trust) };
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ExtraStore.AddRange(sent.Skip(1).ToArray());
        var built = chain.Build(leaf);
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        target.Trusted = built;
        try
        {
            // A chain that stops short of an anchor is either missing an intermediate (it stops at the leaf, whose issuer was not
            // sent) or complete up to a root the trust store does not hold (it stops at a CA certificate the server did send): the
            // first is the server's fault (capped at B), the second is a private or unknown CA (grade T), as SSL Labs tells them apart.
            var partial = flags.HasFlag(X509ChainStatusFlags.PartialChain);
            var top = chain.ChainElements[^1].Certificate;
            var sentThumbprints = sent.Select(c => c.Thumbprint).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (partial && chain.ChainElements.Count > 1 && sentThumbprints.Contains(top.Thumbprint))
            {
                target.RootNotTrusted = true;
                target.ChainComplete = true;
                target.TrustProblems.Add($"The chain is complete up to \"{top.Issuer}\", which is not one of the trusted roots ({trustLabel}): " +
                    "a private or unknown CA (give its root with --ca if you trust it).");
            }
            else if (partial)
            {
                target.ChainComplete = false;
                target.TrustProblems.Add($"An issuing certificate is missing: \"{top.Issuer}\" issued \"{top.Subject}\", and the server did not " +
                    "send it, so no trusted root was reached.");
            }
            else
            {
                var needed = chain.ChainElements.Skip(1).Select(e => e.Certificate)
                    .Where(c => !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData));
                target.ChainComplete = needed.All(c => sentThumbprints.Contains(c.Thumbprint));
            }
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }

        foreach (var flag in Enum.GetValues<X509ChainStatusFlags>())
        {
            // The dates have their own finding (certificate.validity) and a missing issuer its sentence above: said once, not twice.
            if (flag is X509ChainStatusFlags.NoError or X509ChainStatusFlags.NotTimeValid or X509ChainStatusFlags.PartialChain || !flags.HasFlag(flag))
            {
                continue;
            }

            target.TrustProblems.Add(Explain.ChainStatus(flag));
        }

        if (built && target.NamesRevocationService)
        {
            CheckRevocation(target, leaf, sent, trust, now, revocationTimeout);
        }
    }

    /// <summary>Asks the CRL or OCSP service the certificates name; only a definite "revoked" answer turns a trusted chain untrusted.</summary>
    private static void CheckRevocation(
        CertificateJudgement target, X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent, X509Certificate2Collection? trust,
        DateTimeOffset now, TimeSpan timeout)
    {
        using var online = new X509Chain { ChainPolicy = Policy(trust, X509RevocationMode.Online) };
        online.ChainPolicy.VerificationTime = now.UtcDateTime;
        online.ChainPolicy.UrlRetrievalTimeout = timeout;
        online.ChainPolicy.ExtraStore.AddRange(sent.Skip(1).ToArray());
        online.Build(leaf);
        var flags = online.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        foreach (var element in online.ChainElements)
        {
            element.Certificate.Dispose();
        }

        if (flags.HasFlag(X509ChainStatusFlags.Revoked))
        {
            target.Revoked = true;
            target.Trusted = false;
            target.TrustProblems.Add(Explain.ChainStatus(X509ChainStatusFlags.Revoked));
        }
        else if ((flags & (X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation)) != 0)
        {
            target.RevocationUnknown = $"The CRL or OCSP service the certificate names gave no usable answer within {timeout.TotalSeconds:0.#} s, so " +
                "revocation is not confirmed either way (trust is judged without it).";
        }
        else
        {
            target.Revoked = false;
        }
    }

    /// <summary>True when the certificate names a CRL distribution point or an OCSP responder: without one there is nothing to ask.</summary>
    internal static bool NamesRevocationService(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == "2.5.29.31")
            {
                return true;
            }

            if (extension is X509AuthorityInformationAccessExtension aia && aia.EnumerateOcspUris().Any())
            {
                return true;
            }
        }

        return false;
    }

    private static CertificateInfo Describe(X509Certificate2 certificate)
    {
        var sans = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                sans.AddRange(san.EnumerateDnsNames());
                sans.AddRange(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
            }
        }

        var (type, bits) = KeyOf(certificate);
        return new CertificateInfo(
            certificate.Subject,
            certificate.Issuer,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            type,
            bits,
            certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "unknown",
            sans,
            certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData));
    }

    private static (string Type, int Bits) KeyOf(X509Certificate2 certificate)
    {
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return ("RSA", rsa.KeySize);
            }
        }

        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                return ("ECDSA", ecdsa.KeySize);
            }
        }

        return (certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown", 0);
    }
}
