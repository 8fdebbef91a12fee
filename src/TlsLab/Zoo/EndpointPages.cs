using System.Text;

namespace TlsLab.Zoo;

/// <summary>The text an endpoint answers with: short, plain, readable in curl, a browser or a notebook.</summary>
internal static class EndpointPages
{
    /// <summary>What the server made of the client's certificate, in words; null when it did not ask and none came.</summary>
    public static string? ClientCertificate(Scenario scenario, ConnectionRecord record) => record.ClientCertificateSubject switch
    {
        null when scenario.RequestsClientCertificate => "none sent (the server asked, and serves you anyway, as an anonymous client)",
        null => null,
        var subject when record.ClientCertificateValid == false =>
            $"{subject}, which did not validate: {record.ClientCertificateProblem}",
        var subject when record.ClientCertificateValid == true => $"{subject}, which chains to the lab root",
        var subject => subject,
    };

    /// <summary>The certificate the server presented and, when it chose among several, why.</summary>
    public static string? ServerCertificate(ConnectionRecord record) =>
        record.ServerCertificate is null ? null
        : record.ServerCertificateReason is null ? $"for {record.ServerCertificate}"
        : $"for {record.ServerCertificate}: {record.ServerCertificateReason}";

    public static string Home(Scenario scenario, ConnectionRecord record, HttpRequestHead request)
    {
        var text = new StringBuilder()
            .AppendLine($"tlslab scenario '{scenario.Name}'")
            .AppendLine()
            .AppendLine(scenario.Teaches)
            .AppendLine();
        if (record.HandshakeCompleted)
        {
            text.AppendLine($"You connected with {record.Protocol} using {record.CipherSuite}.")
                .AppendLine($"The name you sent (SNI): {record.ServerNameIndication ?? "(none)"}.")
                .AppendLine($"ALPN: {record.Alpn ?? "(none)"}.");
            if (ClientCertificate(scenario, record) is { } client)
            {
                text.AppendLine($"Your client certificate: {client}.");
            }

            if (record.ServerCertificateReason is not null)
            {
                text.AppendLine($"The server's certificate: {ServerCertificate(record)}.");
            }
        }
        else
        {
            text.AppendLine("This is plain HTTP: everything you sent and everything on this page crossed the network readable by anyone on the path.");
        }

        if (request.UsedBareLineFeeds)
        {
            text.AppendLine()
                .AppendLine("Note: your request ended its lines with a bare LF (\\n). HTTP/1.1 wants CRLF (\\r\\n); this server tolerates it, many do not.");
        }

        text.AppendLine()
            .AppendLine("What the server saw of your handshake: GET /handshake.json");
        return text.ToString();
    }

    public const string MissingHost =
        "400 Bad Request: an HTTP/1.1 request must carry a Host header naming the site (e.g. 'Host: good.localhost').\n" +
        "One server address can host many sites; without Host the server cannot tell which one you mean.\n";

    public const string HeadTimedOut =
        "408 Request Timeout: the request head never ended. HTTP/1.1 needs an empty line (CRLF CRLF) after the headers;\n" +
        "until it arrives the server keeps waiting for more headers. (A request of just 'GET / HTTP/1.1\\n' waits forever.)\n";

    public const string NotFound = "404 Not Found. Try GET / or GET /handshake.json.\n";

    public const string MethodNotAllowed = "405 Method Not Allowed. This endpoint answers GET and HEAD.\n";

    public const string TooLarge = "431 Request Header Fields Too Large.\n";

    public const string PlainHttpToTlsPort =
        "400 Bad Request: this port speaks TLS, and you sent plain HTTP. Use https:// (and trust the lab root), or the plaintext endpoint for http://.\n";

    public static string Malformed(string problem) => $"400 Bad Request: {problem}\n";
}
