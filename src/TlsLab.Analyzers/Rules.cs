using Microsoft.CodeAnalysis;

namespace TlsLab.Analyzers;

/// <summary>
/// The kit's rules. Each message names the mistake in one sentence and the lesson that explains it; the help link is
/// that lesson's notebook (see <see cref="Lesson"/>).
/// </summary>
internal static class Rules
{
    public const string Category = "Security";

    // A code fix reads the name that replaces the flagged one from this property.
    public const string Replacement = "Replacement";

    private const string Validation = "notebooks/02-client-default-context.ipynb";
    private const string Protocols = "notebooks/03-protocols.ipynb";
    private const string Hostnames = "notebooks/04-hostname-checks.ipynb";
    private const string Server = "notebooks/05-server.ipynb";
    private const string Ciphers = "notebooks/06-ciphers.ipynb";
    private const string Revocation = "notebooks/08-revocation.ipynb";
    private const string Pinning = "notebooks/09-sni-alpn-pinning.ipynb";

    public static readonly DiagnosticDescriptor RevocationOff = Rule("TLS001", "Revocation is not checked",
        "{0} never asks whether the certificate was revoked, so a stolen certificate still gets in; leave RevocationMode at Online (lesson: {1})",
        Revocation);

    public static readonly DiagnosticDescriptor RevocationSoftFail = Rule("TLS002", "Revocation fails open",
        "{0} turns 'nobody could say whether it was revoked' into 'not revoked', and an attacker can block the answer; drop the flag (lesson: {1})",
        Revocation);

    public static readonly DiagnosticDescriptor RevocationLeafOnly = Rule("TLS003", "Revocation checked for the leaf only",
        "EndCertificateOnly never asks about the intermediate, so a revoked CA still vouches for its certificates; use ExcludeRoot (lesson: {1})",
        Revocation);

    public static readonly DiagnosticDescriptor ForgivingFlags = Rule("TLS004", "Chain errors forgiven",
        "{0} makes the chain accept what it should refuse ({2}); leave VerificationFlags at NoFlag (lesson: {1})",
        Validation);

    public static readonly DiagnosticDescriptor MachineRoots = Rule("TLS005", "Trust reaches the machine's roots",
        "{0}, so any of the machine's roots can vouch for this server, not only the one you chose; use TrustMode = CustomRootTrust with your " +
        "root alone (lesson: {1})",
        Validation);

    public static readonly DiagnosticDescriptor CallbackOverrules = Rule("TLS006", "Validation callback can accept a refused certificate",
        "This validation callback can return true while sslPolicyErrors is not None ({0}); return false unless the errors are None (lesson: {1})",
        Validation);

    public static readonly DiagnosticDescriptor NameMismatchIgnored = Rule("TLS007", "Name mismatch ignored",
        "This callback lets RemoteCertificateNameMismatch through: a valid certificate for another name proves nothing about this server " +
        "(lesson: {1})",
        Hostnames);

    public static readonly DiagnosticDescriptor AcceptAnyCertificate = Rule("TLS008", "Every certificate accepted",
        "DangerousAcceptAnyServerCertificateValidator accepts every certificate, from anyone, for any name; trust your root with a chain policy " +
        "instead (lesson: {1})",
        Validation);

    public static readonly DiagnosticDescriptor PinIgnoresCase = Rule("TLS009", "Pin compared ignoring case",
        "{0} compares a pin without StringComparison.Ordinal: base64 pins differ by case, so two different keys can match; compare ordinally " +
        "(lesson: {1})",
        Pinning);

    public static readonly DiagnosticDescriptor WholeCertificatePin = Rule("TLS010", "Pin of the whole certificate",
        "{0} pins the whole certificate, which changes with every renewal; pin the SHA-256 of its SubjectPublicKeyInfo " +
        "(PublicKey.ExportSubjectPublicKeyInfo()) (lesson: {1})",
        Pinning);

    public static readonly DiagnosticDescriptor WeakSuite = Rule("TLS011", "Weak cipher suite offered",
        "{0} is {2}; offer only ECDHE with AES-GCM or ChaCha20-Poly1305 (and the TLS 1.3 suites), as Mozilla's intermediate profile does " +
        "(lesson: {1})",
        Ciphers);

    public static readonly DiagnosticDescriptor BindsEverywhere = Rule("TLS012", "Server listens on every interface",
        "{0} listens on every network interface, so anyone on the Wi-Fi can reach this lab server; bind to IPAddress.Loopback (lesson: {1})",
        Server);

    public static readonly DiagnosticDescriptor KeyFileReadable = Rule("TLS013", "Private key written readable by others",
        "{0} writes a private key with the default permissions, readable by other users; create the file owner-only " +
        "(UnixCreateMode = UserRead | UserWrite) (lesson: {1})",
        Server);

    /// <summary>The lesson path of a rule (its static help link).</summary>
    public static string LessonOf(DiagnosticDescriptor rule) => rule.HelpLinkUri;

    private static DiagnosticDescriptor Rule(string id, string title, string message, string lesson) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: lesson);
}
