using NotebookTwins;

namespace TlsLab.Notebooks.Tests;

/// <summary>The lesson notebooks, and what each must visibly teach when it runs.</summary>
internal static class Lessons
{
    public static string Root { get; } = NotebookFiles.FindRepositoryRoot(AppContext.BaseDirectory);

    // TLSLAB_LESSONS=02,12 runs only those lessons' rows (theory rows cannot be filtered one by one); unset, every lesson.
    public static IReadOnlyList<string> AllNames { get; } =
        NotebookFiles.Notebooks(Root).Select(p => Path.GetFileNameWithoutExtension(p)!).ToArray();

    public static IReadOnlyList<string> Names { get; } = AllNames.Where(Chosen).ToArray();

    private static bool Chosen(string name) =>
        Environment.GetEnvironmentVariable("TLSLAB_LESSONS") is not { Length: > 0 } only
        || only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    public static string NotebookPath(string name) => Path.Combine(Root, "notebooks", name + ".ipynb");

    public static string TwinPath(string name) => Path.Combine(Root, "notebooks", name + ".cs");

    /// <summary>
    /// Text each lesson's outputs must contain: the teaching point made visible (a refusal explained, a
    /// negotiated protocol printed), so a lesson that silently stops showing it fails.
    /// </summary>
    public static IReadOnlyList<string> ExpectedOutputs(string name) => name switch
    {
        // On Linux .NET accepts cn-only (it falls back to the CN, as OpenSSL does): the zoo table shows that as a known platform
        // difference with its reason, not as a failure a newcomer would take for a broken set-up.
        "00-welcome" when OperatingSystem.IsLinux() =>
        [
            "TLS library", "The lab: ", "Handshake with good.localhost: connected", "Protocol", "AuthenticationException: The certificate " +
                "'expired.localhost' expired",
            "NotTimeValid", "One careful client against the zoo", "known platform difference, not a fault",
        ],
        "00-welcome" =>
        [
            "TLS library", "The lab: ", "Handshake with good.localhost: connected", "Protocol", "AuthenticationException: The certificate " +
                "'expired.localhost' expired",
            "NotTimeValid", "One careful client against the zoo",
        ],
        "01-sockets" =>
        [
            "HTTP/1.1 200 OK", "sent GET / HTTP/1.1\\n\nanswer after", "408 Request Timeout", "400 Bad Request", "Host header",
            "SocketException (ConnectionRefused), as intended", "closed on purpose", "What an eavesdropper reads, client -> server",
            "Host: plaintext.localhost",
        ],
        "02-client-default-context" =>
        [
            "not a root this client trusts", "Connected to good.localhost with Tls1", "RemoteCertificateChainErrors", "NotTimeValid",
            "RemoteCertificateNameMismatch", "The wrong way \"worked\"", "Errors ignored", "Readable request line on the wire? False",
            "The attacker in the middle read everything", "Bearer s3cr3t-api-token", "The correct client refused: The certificate 'good.localhost' is " +
                "self-signed", "(nothing: no request was sent)", "Who is fooled", "FOOLED",
        ],
        "03-protocols" =>
        [
            "EnabledSslProtocols and the ClientHello", "TLS 1.3, TLS 1.2", "Negotiated with good", "Certificate checked? no",
            "NoCommonParameters", "HandshakeFailed",
        ],
        "04-hostname-checks" =>
        [
            "The lab received SNI 'good.localhost'", "somewhere-else.localhost", "SAN versus CN", "Wildcard matching",
            "TargetHost = 127.0.0.1", "SNI the lab received: (none)", "NameMismatch",
        ],
        "05-server" =>
        [
            "Intermediates sent with every handshake: TlsLab Workshop Intermediate CA", "Hello 127.0.0.1, you speak Tls1",
            "handshake failed from", "client 4 (good again): connected", "MissingIntermediate", "are free",
        ],
        "06-ciphers" when OperatingSystem.IsWindows() => ["Cipher-suite policy", "Skipped"],
        "06-ciphers" =>
        [
            "NegotiatedCipherSuite with default settings", "Mozilla profiles", "Profiles against the lab", "refused: NoCommonParameters",
            "CBC? True", "Intermediate-profile client: AuthenticationException", "server: Tls1",
        ],
        "07-mutual-tls" =>
        [
            "TLS Web Client Authentication", "Requested versus required", "(anonymous client)", "ClientCertificateRequired",
            "which chains to the lab root", "Same issuer name?", "The impostor at client-cert-optional: refused",
            "let in O=TlsLab Workshop", "Resumption on client-cert-optional",
        ],
        "08-revocation" =>
        [
            "The default client (RevocationMode = Online)", "has been revoked by 'TlsLab Workshop Intermediate CA'", "CRL distribution point",
            "OCSP responder (AIA)", "Listed?", "The lab's OCSP responder, asked by hand", "RevocationMode against good and revoked",
            "refused: Revoked", "status_request in its ClientHello): True", "The responder is down",
            "refused: RevocationStatusUnknown, OfflineRevocation", "valid, ignoring RevocationStatusUnknown",
        ],
        "09-sni-alpn-pinning" =>
        [
            "One port, four names", "the ClientHello carried no SNI", "NameMismatch", "*.wildcard.localhost", "connected: h2",
            "NegotiatedApplicationProtocol: h2", "Thumbprint pin versus SPKI pin", "renewed, same key", "the pin instead of validation (WRONG WAY)",
            "refused (Expired)", "refused (RefusedByOwnCheck)", "The lab is stopped.",
        ],
        "10-every-byte" =>
        [
            "Key logging for this process", "The first bytes of the ClientHello", "client_hello", "opened with SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "The server's certificates, decrypted", "CN=good.localhost", "The request, decrypted", "GET / HTTP/1.1", "Capture written",
            "this lesson's secrets are deleted",
        ],
        "11-how-a-scanner-works" =>
        [
            "The hello for one suite, as sent", "16 03 01", "One suite per hello: what each server says", "refused (alert handshake_failure)",
            "dotnet tlslab probe good", "Grade A", "The chain validates against the lab root",
        ],
        "12-httpclient" =>
        [
            "SNI the lab received", "The zoo through HttpClient", "HttpRequestException", "AuthenticationException",
            "'expired.localhost'", "self-signed", "CN=ada attendee", "HTTP_1_1_REQUIRED", "200, over HTTP/1.1",
            "DangerousAcceptAnyServerCertificateValidator (WRONG WAY)", "A callback returning true, against expired: 200",
            "HttpClientHandler versus SocketsHttpHandler", "A new client per request: 20 handshakes for 20 requests; one client: 1.",
            "the mTLS handler, shared (WRONG WAY)", "(anonymous client)", "IHttpClientFactory", "The lab is stopped.",
        ],
        "13-kestrel" =>
        [
            "ConfigureHttpsDefaults, one certificate", "Hello (anonymous client): app.localhost", "max-age=31536000; includeSubDomains",
            "RemoteCertificateNameMismatch", "ServerCertificateSelector", "PartialChain",
            "Hello O=TlsLab Workshop, CN=ada attendee", "The impostor, same names, another key: refused",
            "Hello from api.localhost", "Cipher-suite policy", "tlslab probe 127.0.0.1:", "Grade A+",
            "The server sends every intermediate", "HSTS with max-age 31536000",
            "The apps and the lab are stopped.",
        ],
        _ => [],
    };

    public static TheoryData<string> All => new(Names);
}
