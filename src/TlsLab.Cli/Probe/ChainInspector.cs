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

    /// <summary>Trust in the --ca anchors only, or the system store.</summary>
    public static X509ChainPolicy Policy(X509Certificate2Collection? trust)
    {
        var policy = new X509ChainPolicy
        {
            // Revocation is asked online, as SSL Labs does: a revoked certificate is not trusted. A CRL or OCSP address the
            // probe cannot reach (an offline laptop) is reported, not held against the server.
            RevocationMode = X509RevocationMode.Online,
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

    /// <summary>Judges the sent chain: each certificate, order, completeness, trust, name, validity.</summary>
    public static void Judge(ProbeResult result, IReadOnlyList<X509Certificate2> sent, X509Certificate2Collection? trust, TimeProvider time)
    {
        if (sent.Count == 0)
        {
            return;
        }

        foreach (var certificate in sent)
        {
            result.Chain.Add(Describe(certificate));
        }

        var leaf = sent[0];
        var now = time.GetUtcNow();
        result.Expired = leaf.NotAfter.ToUniversalTime() < now.UtcDateTime;
        result.NotYetValid = leaf.NotBefore.ToUniversalTime() > now.UtcDateTime;
        result.ChainInOrder = Enumerable.Range(0, sent.Count - 1)
            .All(i => sent[i].IssuerName.RawData.AsSpan().SequenceEqual(sent[i + 1].SubjectName.RawData));

        var name = result.ServerName ?? result.EndPoint.Address.ToString();
        result.NameMatches = leaf.MatchesHostname(name, allowWildcards: true, allowCommonName: false);
        result.NameOnlyInCommonName = result.NameMatches == false && leaf.MatchesHostname(name, allowWildcards: true, allowCommonName: true);

        using var chain = new X509Chain { ChainPolicy = Policy(trust) };
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ExtraStore.AddRange(sent.Skip(1).ToArray());
        var built = chain.Build(leaf);
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        result.Trusted = built;
        foreach (X509ChainStatusFlags flag in Enum.GetValues<X509ChainStatusFlags>())
        {
            if (flag != X509ChainStatusFlags.NoError && flags.HasFlag(flag))
            {
                result.TrustProblems.Add(Explain.ChainStatus(flag));
            }
        }

        // Complete: every certificate between the leaf and the anchor was sent. A chain that reaches no anchor
        // at all is also incomplete as far as any client can tell.
        var partial = flags.HasFlag(X509ChainStatusFlags.PartialChain);
        var sentThumbprints = sent.Select(c => c.Thumbprint).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var needed = chain.ChainElements.Skip(1).Select(e => e.Certificate)
            .Where(c => !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData));
        result.ChainComplete = !partial && needed.All(c => sentThumbprints.Contains(c.Thumbprint));
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }
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
