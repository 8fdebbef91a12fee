using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// Exercise 7: mutual TLS. The server half is judged by handshakes between the attendee's server options and the
/// kit's own client (presenting a good certificate, none, or one that must be turned away); the client half by the
/// lab's <c>client-cert-required</c> endpoint, a kit server that knows only the lab root, and the lab's broken
/// endpoints.
/// </summary>
public static class MutualTlsGrader
{
    private const int Exercise = 7;

    /// <summary>Client certificates the server must turn away: see <see cref="ClientCertificateFixtures"/>.</summary>
    public static IReadOnlyList<string> ForeignCertificates => ClientCertificateFixtures.Names;

    /// <summary>Lab endpoints the client must still refuse, while it presents a certificate.</summary>
    public static IReadOnlyList<string> RefusedServers { get; } = ["expired", "wrong-host", "untrusted-root"];

    /// <summary>Property: a server with CreateServerOptions(server certificate, lab root) lets in a client that presents a client certificate
    /// from the lab's intermediate, and sees that certificate.</summary>
    public static async Task GoodClientIsLetInAsync(Lab lab, MutualTlsApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var certificates = ClientCertificateFixtures.For(lab);
        var (options, call) = CreateServerOptions(api, certificates, lab);
        var tried = $"{call}, then the kit's client connects to that server presenting a client certificate for " +
            $"'CN={ClientCertificateFixtures.AttendeeName}' from the lab's intermediate, with the intermediate";
        var result = await MutualTlsHandshake.RunAsync(options, KitClient(lab, certificates.Attendee), cancellationToken);
        if (!result.ServerAccepted)
        {
            var (cause, hint) = WhyServerRefused(result, options, lab.RootCertificate);
            throw new GradingFailure(
                $"Your server turned away a client whose certificate comes from the client CA: {cause}.",
                tried,
                $"the server's handshake failed: {Attempt.OneLine(result.ServerError!)}",
                "the handshake succeeds, and the server's SslStream.RemoteCertificate is the client's certificate",
                new Hint(Exercise, hint));
        }

        // The same client comes back, as clients do: it may resume the first connection's TLS session.
        var again = await MutualTlsHandshake.RunAsync(options, KitClient(lab, certificates.Attendee), cancellationToken);
        if (!again.ServerAccepted)
        {
            // What the grader sees is "in once, out the second time" with resumption allowed: exactly hint 4's symptom, whichever
            // message the refusal carries (PartialChain from .NET, or a callback that refused the chain a resumed session brings).
            var resumed = options.AllowTlsResume;
            throw new GradingFailure(
                resumed
                    ? "Your server let a good client in once and turned it away when it came back, with resumption allowed (AllowTlsResume is " +
                        "true): the second connection can resume the first's TLS session, and a resumed session brings the client's certificate " +
                        "without its intermediate."
                    : $"Your server let a good client in once and turned it away when it came back: " +
                        $"{WhyServerRefused(again, options, lab.RootCertificate).Cause}.",
                $"{tried}; then the same client connects a second time",
                $"the first handshake succeeded; the second failed: {Attempt.OneLine(again.ServerError!)}",
                "both handshakes succeed: every connection of the client proves who it is (AllowTlsResume = false: no resumed sessions)",
                new Hint(Exercise, resumed ? 4 : WhyServerRefused(again, options, lab.RootCertificate).Hint));
        }

        if (result.ClientSubject is null)
        {
            throw new GradingFailure(
                "Your server let the client in without its certificate: it never asked for one.",
                tried,
                "the handshake succeeded and SslStream.RemoteCertificate is null on the server: no CertificateRequest was sent, so the " +
                    "client sent nothing",
                "RemoteCertificate is the client's certificate: ClientCertificateRequired = true makes the server ask",
                new Hint(Exercise, 2));
        }

        if (result.ClientError is { } clientError)
        {
            throw new GradingFailure(
                "The kit's client refused your server's certificate.",
                tried,
                $"the server let the client in, but the client failed: {Attempt.OneLine(clientError)}",
                $"the server presents the serverCertificate it was given (a certificate for {ClientCertificateFixtures.ServerHost}, with the lab " +
                    "intermediate): ServerCertificateContext = serverCertificate",
                new Hint(Exercise, 1));
        }
    }

    /// <summary>Property: a server with CreateServerOptions turns away a client that presents no certificate.</summary>
    public static async Task ClientWithoutCertificateIsTurnedAwayAsync(Lab lab, MutualTlsApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var certificates = ClientCertificateFixtures.For(lab);
        var (options, call) = CreateServerOptions(api, certificates, lab);
        var result = await MutualTlsHandshake.RunAsync(options, KitClient(lab, clientCertificate: null), cancellationToken);
        if (result.ServerAccepted)
        {
            var why = !options.ClientCertificateRequired
                ? "ClientCertificateRequired is false, so the server never asked"
                : options.RemoteCertificateValidationCallback is not null
                    ? "the server asked (ClientCertificateRequired = true), and then your RemoteCertificateValidationCallback accepted the answer " +
                        "\"no certificate\": the certificate is requested, not required"
                    : "the server accepted a client without a certificate";
            throw new GradingFailure(
                $"Your server let in a client that presented no certificate: {why}.",
                $"{call}, then the kit's client connects presenting no certificate at all",
                "the server's handshake succeeded; SslStream.RemoteCertificate is null",
                "the server's handshake fails (.NET reports RemoteCertificateNotAvailable): a client with no certificate is turned away",
                new Hint(Exercise, 2));
        }
    }

    /// <summary>Property: a server with CreateServerOptions turns away a client certificate that the client CA did not issue for clients.</summary>
    public static async Task ForeignCertificateIsTurnedAwayAsync(Lab lab, MutualTlsApi api, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var certificates = ClientCertificateFixtures.For(lab);
        var foreign = certificates[name];
        SslServerAuthenticationOptions options;
        string call;
        MutualTlsResult result;

        // Options are made inside the window too: code that copies the machine's roots does it when it makes them.
        using (foreign.MachineTrusted ? MachineTrustedRoot.Instance.Trust() : null)
        {
            (options, call) = CreateServerOptions(api, certificates, lab);
            result = await MutualTlsHandshake.RunAsync(options, KitClient(lab, foreign.Context), cancellationToken);
        }

        if (!result.ServerAccepted)
        {
            return;
        }

        var policy = options.CertificateChainPolicy;
        var systemTrust = policy is null || policy.TrustMode == X509ChainTrustMode.System;
        var why = foreign.MachineTrusted && options.RemoteCertificateValidationCallback is not null && systemTrust
            ? "the machine's trust store vouched for it (no CertificateChainPolicy, or TrustMode System), and your RemoteCertificateValidationCallback " +
                "took .NET's \"no errors\" as a yes; only a chain to the client CA may count"
            : options.RemoteCertificateValidationCallback is not null
            ? "your RemoteCertificateValidationCallback accepted it; a callback replaces .NET's verdict, so it must build the chain against the client " +
                "CA itself, by key (CustomRootTrust), never by comparing names"
            : policy is not null && policy.VerificationFlags != X509VerificationFlags.NoFlag
                ? $"VerificationFlags {policy.VerificationFlags} forgive the error .NET found"
                : policy is null || policy.TrustMode == X509ChainTrustMode.System
                    ? "the chain is judged against the machine's trust store, not the client CA alone"
                    : $"the chain policy trusts more than the client CA ({policy.CustomTrustStore.Count} certificate(s) in CustomTrustStore)";
        throw new GradingFailure(
            $"Your server let in {foreign.Teaches}: {why}.",
            $"{call}, then the kit's client connects presenting {foreign.Teaches}",
            $"the server's handshake succeeded, with RemoteCertificate '{result.ClientSubject}'",
            "the server's handshake fails: only a certificate for client use that chains, by signature, to the client CA gets in",
            new Hint(Exercise, 3));
    }

    /// <summary>Property: revocation is checked for clients too: a client certificate from the client CA that its intermediate has revoked is
    /// turned away.</summary>
    public static async Task RevokedClientIsTurnedAwayAsync(Lab lab, MutualTlsApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var chains = RevocationChains.Instance;
        var (leaf, intermediate) = chains.RevokedClient("revoked attendee");
        using (intermediate)
        {
            var (options, call) = CreateServerOptions(api, ClientCertificateFixtures.For(lab), chains.Root, "the test chain's root");
            var presented = SslStreamCertificateContext.Create(leaf, [intermediate], offline: true);
            var result = await MutualTlsHandshake.RunAsync(options, KitClient(lab, presented), cancellationToken);
            if (!result.ServerAccepted)
            {
                return;
            }

            var policy = options.CertificateChainPolicy;
            var why = options.RemoteCertificateValidationCallback is not null
                ? "your RemoteCertificateValidationCallback accepted it where .NET had found it revoked"
                : policy is null ? "no CertificateChainPolicy"
                : policy.RevocationMode == X509RevocationMode.NoCheck ? "RevocationMode is NoCheck, so nobody was asked"
                : policy.RevocationMode == X509RevocationMode.Offline ? "RevocationMode is Offline: only what an earlier check cached was consulted"
                : $"RevocationMode {policy.RevocationMode}, RevocationFlag {policy.RevocationFlag}, VerificationFlags {policy.VerificationFlags}";
            throw new GradingFailure(
                $"Your server let in a client certificate that has been revoked: {why}.",
                $"{call}, then the kit's client connects presenting a client certificate from that root's intermediate, with the intermediate; the " +
                    "intermediate's CRL, served on loopback, lists the certificate as revoked (key compromise)",
                $"the server's handshake succeeded, with RemoteCertificate '{result.ClientSubject}'",
                "the server's handshake fails with chain status Revoked: leave RevocationMode at Online (the default), as for a server's certificate",
                new Hint(Exercise, 3));
        }
    }

    /// <summary>Property: the server fetches nothing: a client that leaves out its intermediate is turned away, although its certificate
    /// names a loopback address where the intermediate can be downloaded (AIA).</summary>
    public static async Task ServerDownloadsNoMissingIntermediateAsync(Lab lab, MutualTlsApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var chains = RevocationChains.Instance;
        var (leaf, intermediate, file) = chains.Downloadable("aia attendee", forClients: true);
        try
        {
            var (options, call) = CreateServerOptions(api, ClientCertificateFixtures.For(lab), chains.Root, "the test chain's root");
            var presented = SslStreamCertificateContext.Create(leaf, [], offline: true);
            var result = await MutualTlsHandshake.RunAsync(options, KitClient(lab, presented), cancellationToken);
            if (!result.ServerAccepted)
            {
                return;
            }

            var fetched = chains.Fetches(file);
            throw new GradingFailure(
                fetched > 0
                    ? $"Your server let in a client that did not send its intermediate: it downloaded the intermediate from the address in the " +
                        $"client's certificate ({fetched} time(s))" +
                        $"{(options.CertificateChainPolicy is { DisableCertificateDownloads: false } ? "; DisableCertificateDownloads is false" : "")}."
                    : "Your server let in a client that did not send its intermediate.",
                $"{call}, then the kit's client connects presenting {DownloadableIntermediateCheck.Presents}",
                $"the server's handshake succeeded, with RemoteCertificate '{result.ClientSubject}'",
                "the server's handshake fails (PartialChain): a client must send its intermediates; DisableCertificateDownloads = true",
                new Hint(Exercise, 3));
        }
        finally
        {
            DownloadableIntermediateCheck.Forget(intermediate);
        }
    }

    /// <summary>Property: a client with CreateClientOptions(host, lab root, its certificate) is served by the lab's client-cert-required endpoint,
    /// which sees that certificate.</summary>
    public static async Task ClientIsServedByClientCertRequiredAsync(Lab lab, MutualTlsApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var endpoint = lab["client-cert-required"];
        var certificates = ClientCertificateFixtures.For(lab);
        var (options, call) = CreateClientOptions(api, endpoint.Host, lab, certificates.Attendee);
        var outcome = await TlsClient.ConnectAsync(endpoint.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (outcome.Succeeded && outcome.StatusLine == "HTTP/1.1 200 OK")
        {
            await AttackerInTheMiddle.ReadsNothingFromAsync(lab, call, host => CreateClientOptions(api, host, lab, certificates.Attendee).Options,
                (new Hint(Exercise, 6), new Hint(Exercise, 6)), cancellationToken);
            return;
        }

        var record = outcome.LocalPort > 0 ? await TryRecordAsync(lab, outcome.LocalPort) : null;
        var (cause, hint) = outcome.Validation is { Passed: false } validation
            ? ($"your client refused the lab's certificate ({validation.PolicyErrors}, chain status {validation.ChainStatus}): trust the lab root as " +
                "in exercise 2", 6)
            : record is { ClientCertificateSubject: null }
                ? ("the lab asked for a client certificate and received none: set ClientCertificateContext to the clientCertificate argument", 5)
                : ($"the lab received '{record?.ClientCertificateSubject ?? "?"}' and did not serve you", 5);
        throw new GradingFailure(
            $"The lab's client-cert-required endpoint did not serve your client: {cause}.",
            $"{call} with a client certificate for 'CN={ClientCertificateFixtures.AttendeeName}' from the lab's intermediate, then GET / from " +
                $"'client-cert-required' at {endpoint.EndPoint}",
            outcome.Succeeded ? $"the handshake succeeded and the answer was '{outcome.StatusLine}'" : Describe.Outcome(outcome),
            "HTTP/1.1 200 OK from a server that requires a client certificate from the lab",
            new Hint(Exercise, hint));
    }

    /// <summary>Property: a client with CreateClientOptions sends its certificate's intermediate, so a server that knows only the root can build
    /// the chain.</summary>
    public static async Task ClientSendsItsIntermediateAsync(Lab lab, MutualTlsApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var certificates = ClientCertificateFixtures.For(lab);
        var (options, call) = CreateClientOptions(api, ClientCertificateFixtures.ServerHost, lab, certificates.Attendee);
        var server = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificates.Server,
            ClientCertificateRequired = true,
            CertificateChainPolicy = ChainPolicies.TrustOnly(lab.RootCertificate),
            AllowTlsResume = false,
        };
        var result = await MutualTlsHandshake.RunAsync(server, options, cancellationToken);
        if (result.ServerAccepted && result.ClientError is null)
        {
            return;
        }

        var tried = $"{call} with a client certificate from the lab's intermediate, then a handshake with a kit server that requires a client " +
            "certificate and knows the lab root alone (as most servers do: they are given their client CA's root)";
        if (result.ServerAccepted)
        {
            throw new GradingFailure(
                "Your client refused the kit's server, whose certificate is good.",
                tried,
                $"the server let the client in; the client failed: {Attempt.OneLine(result.ClientError!)}",
                "the client accepts the server (its certificate is for the targetHost and chains to the lab root) and stays",
                new Hint(Exercise, 6));
        }

        var error = result.ServerError!;
        var partial = error.Message.Contains("PartialChain", StringComparison.Ordinal);
        throw new GradingFailure(
            partial
                ? "Your client sent its certificate without the intermediate that signed it, so a server that knows only the root cannot build the chain."
                : $"The kit's server turned your client away: {Attempt.OneLine(error)}.",
            tried,
            $"the server's handshake failed: {Attempt.OneLine(error)}",
            "the server builds the chain client certificate, lab intermediate, lab root: the client sends its intermediate, which " +
                "ClientCertificateContext does (ClientCertificates with the leaf sends the leaf alone)",
            new Hint(Exercise, 5));
    }

    /// <summary>Property: CreateClientOptions still refuses a broken server certificate, for its own reason.</summary>
    public static async Task ClientStillRefusesBrokenServersAsync(Lab lab, MutualTlsApi api, string scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var endpoint = lab[scenario];
        var expected = endpoint.Scenario.Rejection ?? throw new ArgumentException($"'{scenario}' is not refused by a careful client.", nameof(scenario));
        var (options, call) = CreateClientOptions(api, endpoint.Host, lab, ClientCertificateFixtures.For(lab).Attendee);
        var outcome = await TlsClient.ConnectAsync(endpoint.EndPoint, options, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (Refusal.IsForItsOwnReason(outcome, expected))
        {
            return;
        }

        var why = outcome.Succeeded && options.RemoteCertificateValidationCallback is not null
            ? ": your RemoteCertificateValidationCallback accepted it; presenting a certificate is no reason to stop checking the server's"
            : outcome.Succeeded ? $" ({Describe.Trust(options)})" : string.Empty;
        throw new GradingFailure(
            outcome.Succeeded
                ? $"Your client connected to '{scenario}', which it must refuse ({expected.Summary}){why}."
                : $"Your client refused '{scenario}', but not for its own reason ({expected.Summary}).",
            $"{call}, then a TLS handshake with '{scenario}' at {endpoint.EndPoint} ({Describe.Trust(options)})",
            Describe.Outcome(outcome),
            Describe.Refusal(expected),
            new Hint(Exercise, 6));
    }

    /// <summary>Property: presenting a certificate does not widen the client's trust: a server certificate from a root the machine trusts is
    /// refused as an untrusted chain.</summary>
    public static async Task ClientRefusesAMachineTrustedServerAsync(Lab lab, MutualTlsApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        var certificates = ClientCertificateFixtures.For(lab);
        const string host = "machine-trusted.localhost";
        await MachineTrustCheck.ExpectRefusedAsync(host, () => CreateClientOptions(api, host, lab, certificates.Attendee), new Hint(Exercise, 6),
            cancellationToken);
    }

    private static SslClientAuthenticationOptions KitClient(Lab lab, SslStreamCertificateContext? clientCertificate) => new()
    {
        TargetHost = ClientCertificateFixtures.ServerHost,
        CertificateChainPolicy = ChainPolicies.TrustOnly(lab.RootCertificate),
        ClientCertificateContext = clientCertificate,
    };

    private static (string Cause, int Hint) WhyServerRefused(MutualTlsResult result, SslServerAuthenticationOptions options, X509Certificate2 clientCa)
    {
        var message = result.ServerError?.Message ?? string.Empty;
        if (result.ServerError is ArgumentException or NotSupportedException or InvalidOperationException
            || (options.ServerCertificateContext is null && options.ServerCertificate is null && options.ServerCertificateSelectionCallback is null))
        {
            return ("the server could not start its handshake: give it the server certificate (ServerCertificateContext = serverCertificate)", 1);
        }

        if (!options.ClientCertificateRequired)
        {
            return ("the server never asked for a client certificate (ClientCertificateRequired is false), so the client sent none" +
                (options.RemoteCertificateValidationCallback is not null
                    ? ", and then your RemoteCertificateValidationCallback refused a client without one"
                    : string.Empty), 2);
        }

        if (message.Contains("UntrustedRoot", StringComparison.Ordinal) || message.Contains("PartialChain", StringComparison.Ordinal))
        {
            var policy = options.CertificateChainPolicy;
            var trustsClientCa = policy is { TrustMode: X509ChainTrustMode.CustomRootTrust }
                && policy.CustomTrustStore.Cast<X509Certificate2>().Any(c => c.RawData.AsSpan().SequenceEqual(clientCa.RawData));
            if (trustsClientCa && options.AllowTlsResume)
            {
                // The kit's client always sends its intermediate, and the policy trusts the client CA: what is left is a resumed
                // session (an earlier check's, even), which brings the leaf alone.
                return ("the chain did not build (PartialChain) although the client sent its intermediate and CustomTrustStore holds the client " +
                    "CA: with AllowTlsResume true this connection can resume an earlier TLS session, which brings the client's certificate without " +
                    "its intermediate", 4);
            }

            return (policy is null || policy.TrustMode == X509ChainTrustMode.System
                ? "the client's chain was judged against the machine's trust store, which does not hold the client CA: give the options a " +
                    "CertificateChainPolicy with TrustMode CustomRootTrust and clientCa in CustomTrustStore"
                : "the client's chain does not reach a root in CustomTrustStore: put clientCa there", 3);
        }

        if (options.RemoteCertificateValidationCallback is not null)
        {
            var policy = options.CertificateChainPolicy;
            var trustsClientCa = policy is { TrustMode: X509ChainTrustMode.CustomRootTrust }
                && policy.CustomTrustStore.Cast<X509Certificate2>().Any(c => c.RawData.AsSpan().SequenceEqual(clientCa.RawData));
            return trustsClientCa && options.AllowTlsResume
                ? ("your RemoteCertificateValidationCallback refused it; with the client CA trusted, the errors it saw most likely come from a " +
                    "resumed session (AllowTlsResume is true), which brings the client's certificate without its intermediate", 4)
                : ("your RemoteCertificateValidationCallback refused it", 3);
        }

        return ($"{Attempt.OneLine(result.ServerError!)}", 3);
    }

    private static async Task<ConnectionRecord?> TryRecordAsync(Lab lab, int localPort)
    {
        try
        {
            return await lab.WaitForConnectionAsync(localPort, TimeSpan.FromSeconds(3));
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private static (SslServerAuthenticationOptions Options, string Call) CreateServerOptions(MutualTlsApi api, ClientCertificateFixtures certificates,
        Lab lab) => CreateServerOptions(api, certificates, lab.RootCertificate, "lab root");

    private static (SslServerAuthenticationOptions Options, string Call) CreateServerOptions(MutualTlsApi api, ClientCertificateFixtures certificates,
        X509Certificate2 clientCa, string clientCaName)
    {
        var call = $"MutualTls.CreateServerOptions(certificate for {ClientCertificateFixtures.ServerHost}, {clientCaName})";
        var options = Attempt.Call(call, new Hint(Exercise, 1), () => api.CreateServerOptions(certificates.Server, clientCa));
        return (options ?? throw new GradingFailure("CreateServerOptions returned null.", call, "it returned null",
            "a new SslServerAuthenticationOptions", new Hint(Exercise, 1)), call);
    }

    /// <summary>Property: the client fetches nothing: a server that leaves out its intermediate is refused as PartialChain, although its
    /// leaf names a loopback address where the intermediate can be downloaded (AIA).</summary>
    public static Task ClientDownloadsNoMissingIntermediateAsync(Lab lab, MutualTlsApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(api);
        const string host = "aia.localhost";
        var chains = RevocationChains.Instance;
        var call = $"MutualTls.CreateClientOptions(\"{host}\", the test chain's root, client certificate)";
        var options = Attempt.Call(call, new Hint(Exercise, 5),
            () => api.CreateClientOptions(host, chains.Root, ClientCertificateFixtures.For(lab).Attendee))
            ?? throw new GradingFailure("CreateClientOptions returned null.", call, "it returned null", "a new SslClientAuthenticationOptions",
                new Hint(Exercise, 5));
        return DownloadableIntermediateCheck.ExpectRefusedAsync(host, call, options, new Hint(Exercise, 6), cancellationToken);
    }

    private static (SslClientAuthenticationOptions Options, string Call) CreateClientOptions(MutualTlsApi api, string host, Lab lab,
        SslStreamCertificateContext certificate)
    {
        var call = $"MutualTls.CreateClientOptions(\"{host}\", lab root, client certificate)";
        var options = Attempt.Call(call, new Hint(Exercise, 5), () => api.CreateClientOptions(host, lab.RootCertificate, certificate));
        return (options ?? throw new GradingFailure("CreateClientOptions returned null.", call, "it returned null",
            "a new SslClientAuthenticationOptions", new Hint(Exercise, 5)), call);
    }
}
