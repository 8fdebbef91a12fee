using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Diagnostics;
using TlsLab.Pki;

namespace TlsLab.Zoo;

/// <summary>The zoo: every scenario the lab can serve, in the order lessons meet them.</summary>
internal static class ScenarioCatalog
{
    /// <summary>All scenarios, whether or not this platform can serve them.</summary>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new()
        {
            Name = "plaintext", Tls = false, ShouldConnect = true,
            Teaches = "Plain HTTP: anyone on the path reads and can change every byte, request and answer alike.",
        },
        new()
        {
            Name = "good", ShouldConnect = true,
            Teaches = "A correct server: root -> intermediate -> leaf for the right name, TLS 1.2 and 1.3.",
        },
        new()
        {
            Name = "expired", ShouldConnect = false, Certificate = ServerCertificateKind.Expired,
            Rejection = ExpectedRejection.Chain(TlsProblem.Expired, X509ChainStatusFlags.NotTimeValid, "the certificate expired yesterday"),
            Teaches = "Certificates end: validity is checked against the client's clock.",
        },
        new()
        {
            Name = "not-yet-valid", ShouldConnect = false, Certificate = ServerCertificateKind.NotYetValid,
            Rejection = ExpectedRejection.Chain(TlsProblem.NotYetValid, X509ChainStatusFlags.NotTimeValid, "the certificate only becomes valid next month"),
            Teaches = "Validity has a start too; a wrong clock on either side breaks TLS.",
        },
        new()
        {
            Name = "wrong-host", ShouldConnect = false, Certificate = ServerCertificateKind.WrongHost,
            Rejection = ExpectedRejection.Name("the certificate is valid, but for another host name"),
            Teaches = "A valid certificate for someone else proves nothing: always check the host name.",
        },
        new()
        {
            Name = "self-signed", ShouldConnect = false, Certificate = ServerCertificateKind.SelfSigned,
            Rejection = ExpectedRejection.Chain(TlsProblem.SelfSigned, X509ChainStatusFlags.UntrustedRoot, "the certificate vouches for itself"),
            Teaches = "Anyone can sign their own certificate; trust comes only from a root you chose.",
        },
        new()
        {
            Name = "untrusted-root", ShouldConnect = false, Certificate = ServerCertificateKind.UntrustedRoot,
            Rejection = ExpectedRejection.Chain(TlsProblem.UntrustedRoot, X509ChainStatusFlags.PartialChain, "the chain leads to a root the client " +
                "does not trust"),
            Teaches = "A well-formed chain is worthless if it leads to a root you did not choose.",
        },
        new()
        {
            Name = "incomplete-chain", ShouldConnect = false, Certificate = ServerCertificateKind.IncompleteChain,
            Rejection = ExpectedRejection.Chain(TlsProblem.MissingIntermediate, X509ChainStatusFlags.PartialChain, "the server sends its leaf without " +
                "the intermediate"),
            Teaches = "Servers must send their intermediates; browsers may paper over it, your client will not.",
        },
        new()
        {
            Name = "tls12-only", ShouldConnect = true, Protocols = SslProtocols.Tls12,
            Teaches = "A TLS 1.2-only server: fine for a default client, refused by a client that insists on TLS 1.3.",
        },
        new()
        {
            Name = "tls13-only", ShouldConnect = true, Protocols = SslProtocols.Tls13,
            Teaches = "A TLS 1.3-only server: refused by a client that still caps itself at TLS 1.2.",
        },
        new()
        {
            Name = "cbc-only", ShouldConnect = true, Protocols = SslProtocols.Tls12, CbcOnly = true,
            Teaches = "TLS 1.2 with CBC suites only: a default client still connects; a client with a modern cipher policy refuses.",
        },
        new()
        {
            Name = "client-cert-required", ShouldConnect = false, RequiresClientCertificate = true,
            Rejection = ExpectedRejection.Handshake(TlsProblem.ClientCertificateRequired, "the server demands a client certificate issued under the lab root"),
            Teaches = "Mutual TLS: the server checks the client's certificate too; without one you are turned away.",
        },
        new()
        {
            Name = "good-rsa", ShouldConnect = true, Key = KeyKind.Rsa2048,
            Teaches = "The same good server with an RSA-2048 key, for comparing key types.",
        },
        new()
        {
            Name = "revoked", ShouldConnect = false, Certificate = ServerCertificateKind.Revoked,
            Rejection = ExpectedRejection.Chain(TlsProblem.Revoked, X509ChainStatusFlags.Revoked, "the intermediate has revoked the certificate " +
                "(its CRL and its OCSP responder say so)"),
            Teaches = "A certificate can be withdrawn before it expires: a client that checks revocation (the lab serves the CRL and OCSP " +
                "answers) refuses it; one that does not, never notices.",
        },
        new()
        {
            Name = "client-cert-optional", ShouldConnect = true, RequestsClientCertificate = true,
            Teaches = "The server asks for a client certificate but serves a client without one: requested is not required. " +
                "/handshake.json says whether you sent one and whether it chains to the lab root.",
        },
        new()
        {
            Name = "sni-multi", ShouldConnect = true, Certificate = ServerCertificateKind.PerName,
            AlsoTry = [new(ScenarioCredentials.SniAlternativeName, true, "the server has a second certificate, for this name")],
            Teaches = "One port, many names: the server picks its certificate from the name in the ClientHello (SNI): sni-multi.localhost and " +
                "alt.sni-multi.localhost get different leaves, a hello without SNI gets sni-multi.localhost's. /handshake.json says which and why.",
        },
        new()
        {
            Name = "alpn", ShouldConnect = true, ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            Teaches = "ALPN: the server picks the application protocol from the client's list (it prefers h2, then http/1.1) and refuses a client " +
                "that offers neither. The lab then answers in HTTP/1.1 whatever was chosen: here h2 is only the name agreed on.",
        },
        new()
        {
            Name = "cn-only", ShouldConnect = false, Certificate = ServerCertificateKind.CnOnly,
            Rejection = ExpectedRejection.Name("the host name is only in the certificate's subject CN; it has no subject alternative name"),
            DotNetDiffers = CnOnlyOnDotNet,
            Teaches = "Since RFC 2818 (2000) and the CA/Browser Forum rules (2012), the name belongs in the subject alternative name; browsers " +
                "ignore the CN and refuse this certificate, while OpenSSL (openssl, curl, Python) and .NET on Linux still fall back to it.",
        },
        new()
        {
            Name = "wildcard", ShouldConnect = true, Certificate = ServerCertificateKind.Wildcard, HostName = "one.wildcard.localhost",
            AlsoTry =
            [
                new("two.levels.wildcard.localhost", false, "the star stands for one label, not two"),
                new("wildcard.localhost", false, "the star stands for one label, not none"),
            ],
            Teaches = "A certificate for *.wildcard.localhost: the star stands for exactly one label, so one.wildcard.localhost matches, while " +
                "two.levels.wildcard.localhost and the bare wildcard.localhost do not (same port, same certificate: only the name you check differs).",
        },
        new()
        {
            Name = "ocsp-stapled", ShouldConnect = true, Certificate = ServerCertificateKind.Stapled,
            Teaches = "OCSP stapling: the server fetches its own \"good\" answer from the CA's responder and sends it in the handshake, so the " +
                "client need not ask the CA (openssl s_client -status shows it).",
        },
    ];

    /// <summary>What .NET does with cn-only, where that differs from a browser.</summary>
    internal const string CnOnlyOnDotNet = ".NET on Linux checks the name as OpenSSL does, falling back to the subject CN when the certificate " +
        "has no DNS name in its SAN, so a .NET client there connects (recorded on Linux; not checked on Windows or macOS)";

    /// <summary>The names of all scenarios.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToArray();

    /// <summary>Finds a scenario by name, or returns null.</summary>
    public static Scenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
