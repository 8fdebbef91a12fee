using System.Security.Authentication;
using TlsLab.Diagnostics;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Tests.Interop;

/// <summary>
/// Which scenarios openssl, curl and Python are put to, and what each must do, read from
/// <see cref="ScenarioCatalog"/>: a new scenario is judged by all three peers without editing
/// their tests. The few places where a peer legitimately sees a scenario differently from .NET
/// are the named exceptions at the end of this file, each with its reason.
/// </summary>
public static class PeerVerdicts
{
    /// <summary>Served over TLS, and a client that trusts the lab root (and nothing else) is served.</summary>
    public static IEnumerable<Scenario> Accepted =>
        ScenarioCatalog.All.Where(s => s.Tls && s.ShouldConnect && !s.RequiresClientCertificate);

    /// <summary>Refused for the certificate it presents (the chain or the name), so a peer's verify step fails.</summary>
    public static IEnumerable<Scenario> CertificateRefusals =>
        ScenarioCatalog.All.Where(s => !s.ShouldConnect && s.Rejection is { HandshakeFails: false } && !ChecksRevocationOnlyWhenTold(s)
            && !FallsBackToTheCommonName(s));

    /// <summary>
    /// Refused by a correct modern client because the name is only in the subject CN, but OpenSSL's host check (openssl s_client
    /// <c>-verify_hostname</c>, curl, Python's ssl) still falls back to the CN when a certificate has no DNS name in its SAN, so at their
    /// defaults all three connect. Python refuses it once told to (<c>hostname_checks_common_name = False</c>).
    /// </summary>
    public static IEnumerable<Scenario> CommonNameOnly => ScenarioCatalog.All.Where(FallsBackToTheCommonName);

    public static TheoryData<string> CommonNameOnlyNames => Names(CommonNameOnly);

    /// <summary>Accepted scenarios whose server also answers to other names (or none), with the certificate it sends for each.</summary>
    public static IEnumerable<Scenario> CertificatePerName => Accepted.Where(s => s.Certificate == ServerCertificateKind.PerName);

    public static TheoryData<string> CertificatePerNameNames => Names(CertificatePerName);

    /// <summary>Accepted scenarios with a wildcard certificate: the names one label off the star are refused (X509_V_ERR 62).</summary>
    public static IEnumerable<Scenario> Wildcard => Accepted.Where(s => s.Certificate == ServerCertificateKind.Wildcard);

    /// <summary>The names a wildcard scenario's certificate does not cover, though they look close: two labels for the star, and none.</summary>
    public static TheoryData<string, string> WildcardMisses => new(Wildcard.SelectMany(s =>
        s.AlsoTry.Where(a => !a.Accepted).Select(a => (s.Name, a.Host))));

    /// <summary>Accepted scenarios whose server negotiates ALPN from a list it prefers in order (h2 first).</summary>
    public static IEnumerable<Scenario> ApplicationProtocolChoice => Accepted.Where(s => s.ApplicationProtocols is not null);

    public static TheoryData<string> ApplicationProtocolChoiceNames => Names(ApplicationProtocolChoice);

    /// <summary>Accepted scenarios that ask for a client certificate and serve a client without one.</summary>
    public static IEnumerable<Scenario> ClientCertificateOptional => Accepted.Where(s => s.RequestsClientCertificate);

    public static TheoryData<string> ClientCertificateOptionalNames => Names(ClientCertificateOptional);

    /// <summary>Accepted scenarios whose handshake carries a stapled OCSP response.</summary>
    public static IEnumerable<Scenario> Stapled => Accepted.Where(s => s.Certificate == ServerCertificateKind.Stapled);

    public static TheoryData<string> StapledNames => Names(Stapled);

    /// <summary>
    /// Refused because its issuer revoked it: .NET checks revocation by default, OpenSSL-based peers (openssl s_client, curl,
    /// Python's ssl) only when told to (a CRL to load or download), so at their defaults they connect.
    /// </summary>
    public static IEnumerable<Scenario> Revoked => ScenarioCatalog.All.Where(ChecksRevocationOnlyWhenTold);

    public static TheoryData<string> RevokedNames => Names(Revoked);

    /// <summary>Refused without a client certificate issued under the lab root, served with one.</summary>
    public static IEnumerable<Scenario> ClientCertificateRequired =>
        ScenarioCatalog.All.Where(s => s.Tls && s.RequiresClientCertificate);

    /// <summary>Accepted scenarios that speak one protocol version only: a peer limited to another gets protocol_version.</summary>
    public static IEnumerable<(Scenario Scenario, SslProtocols Other)> SingleVersion =>
        Accepted.Where(s => s.Protocols is SslProtocols.Tls12 or SslProtocols.Tls13)
            .Select(s => (s, s.Protocols == SslProtocols.Tls12 ? SslProtocols.Tls13 : SslProtocols.Tls12));

    /// <summary>Accepted scenarios whose server takes CBC suites only.</summary>
    public static IEnumerable<Scenario> CbcOnly => Accepted.Where(s => s.CbcOnly);

    /// <summary>Plain HTTP.</summary>
    public static IEnumerable<Scenario> Plaintext => ScenarioCatalog.All.Where(s => !s.Tls);

    public static TheoryData<string> AcceptedNames => Names(Accepted);

    public static TheoryData<string> CertificateRefusalNames => Names(CertificateRefusals);

    public static TheoryData<string> ClientCertificateNames => Names(ClientCertificateRequired);

    public static TheoryData<string> CbcOnlyNames => Names(CbcOnly);

    public static TheoryData<string> PlaintextNames => Names(Plaintext);

    /// <summary>
    /// The protocol version a single-version scenario speaks, as the lab's handshake report names it
    /// (<c>Tls12</c>, <c>Tls13</c>); null when it speaks both.
    /// </summary>
    public static string? OnlyProtocol(Scenario scenario) =>
        scenario.Protocols is SslProtocols.Tls12 or SslProtocols.Tls13 ? scenario.Protocols.ToString() : null;

    /// <summary>An OpenSSL name of an AEAD (GCM) suite for the scenario's key type, which a CBC-only server does not share.</summary>
    public static string AeadSuite(Scenario scenario) =>
        scenario.Key == KeyKind.Rsa2048 ? "ECDHE-RSA-AES128-GCM-SHA256" : "ECDHE-ECDSA-AES128-GCM-SHA256";

    /// <summary>What OpenSSL's verify step (openssl s_client, curl with OpenSSL, Python's ssl) says about a refused certificate.</summary>
    public static CertificateVerdict Certificate(string name)
    {
        var scenario = ScenarioCatalog.Find(name) ?? throw new ArgumentException($"No scenario '{name}'.", nameof(name));
        var problem = scenario.Rejection?.Problem
            ?? throw new ArgumentException($"'{name}' is not refused for its certificate.", nameof(name));

        // X509_V_ERR codes, which do not change between OpenSSL versions (their texts sometimes do).
        var (code, meaning) = problem switch
        {
            TlsProblem.Expired => (10, "certificate has expired"),
            TlsProblem.NotYetValid => (9, "certificate is not yet valid"),
            TlsProblem.NameMismatch => (62, "hostname mismatch"),
            TlsProblem.SelfSigned => (18, "self signed certificate"), // OpenSSL 3 writes "self-signed"
            TlsProblem.UntrustedRoot or TlsProblem.MissingIntermediate => (20, "unable to get local issuer certificate"),
            TlsProblem.Revoked => (23, "certificate revoked"),
            _ => throw new InvalidOperationException(
                $"'{name}' is refused as {problem}, which PeerVerdicts.Certificate does not know: add the X509_V_ERR code OpenSSL reports for it."),
        };

        return new CertificateVerdict(
            code,
            meaning,
            SentIntermediateHasNoKnownIssuer(problem) ? 1 : 0,
            CurlChecksTheNameItself(problem) ? null : code,
            CurlChecksTheNameItself(problem) ? scenario.Host : CurlSpellingOf(problem) ?? meaning);
    }

    // The named exceptions: where a peer sees a scenario differently, and why.

    /// <summary>OpenSSL's X509_check_host falls back to the subject CN when there is no DNS SAN; browsers stopped in 2017 (Chrome 58).</summary>
    private static bool FallsBackToTheCommonName(Scenario scenario) => scenario.Certificate == ServerCertificateKind.CnOnly;

    /// <summary>OpenSSL checks revocation only with <c>-crl_check</c> and a CRL (loaded, or fetched with <c>-crl_download</c>).</summary>
    private static bool ChecksRevocationOnlyWhenTold(Scenario scenario) => scenario.Rejection?.Problem == TlsProblem.Revoked;

    /// <summary>
    /// An untrusted root's server sends leaf and stranger intermediate but (like every .NET server)
    /// never the root, so OpenSSL gets to depth 1 before it finds no issuer; a missing
    /// intermediate stops it at depth 0. Same code 20: the depth tells them apart.
    /// </summary>
    private static bool SentIntermediateHasNoKnownIssuer(TlsProblem problem) => problem == TlsProblem.UntrustedRoot;

    /// <summary>
    /// curl checks the host name itself, after OpenSSL accepted the chain: exit code 60 as for a
    /// chain error, but <c>%{ssl_verify_result}</c> is not 62, and the message names the host.
    /// </summary>
    private static bool CurlChecksTheNameItself(TlsProblem problem) => problem == TlsProblem.NameMismatch;

    /// <summary>
    /// OpenSSL 1.1.1 writes "self signed certificate", OpenSSL 3 "self-signed certificate"; curl
    /// passes on whichever it was built with, so only the common part is required.
    /// </summary>
    private static string? CurlSpellingOf(TlsProblem problem) => problem == TlsProblem.SelfSigned ? "self" : null;

    private static TheoryData<string> Names(IEnumerable<Scenario> scenarios) => new(scenarios.Select(s => s.Name));
}

/// <summary>What OpenSSL-based peers report for a refused certificate.</summary>
/// <param name="Code">The X509_V_ERR code (openssl's <c>verify error:num=</c>, Python's <c>verify_code</c>).</param>
/// <param name="Meaning">OpenSSL's words for it, for messages.</param>
/// <param name="Depth">The chain depth openssl s_client reports the error at.</param>
/// <param name="CurlVerifyResult">curl's <c>%{ssl_verify_result}</c>, when it is the code.</param>
/// <param name="CurlMentions">What curl's error message must contain.</param>
public sealed record CertificateVerdict(int Code, string Meaning, int Depth, int? CurlVerifyResult, string CurlMentions);
