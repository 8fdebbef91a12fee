using System.Text.RegularExpressions;
using TlsLab.Diagnostics;

namespace TlsLab.Zoo;

/// <summary>
/// The server's side of a failed handshake, in one sentence for the connection log (<c>tlslab serve</c>) and the connection's
/// record: why the client or the lab ended it, in the kit's words rather than the TLS library's.
/// </summary>
internal static partial class HandshakeFailureSentence
{
    public static string For(Exception failure, ConnectionRecord record, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(scenario);
        // A server learns why a client gave up only from the TLS library's text: .NET reports the client's alert and OpenSSL's own
        // refusals as messages, not as values. These are OpenSSL's (Linux, macOS with OpenSSL); anything else is passed on as said.
        var said = Explain.Innermost(failure).Message.Trim();
        if (ClientAlertOf(failure) is { } alert)
        {
            return ClientAlert(alert, scenario);
        }

        if (scenario.RequiresClientCertificate && record.ClientCertificateValid is null && failure is System.Security.Authentication.AuthenticationException)
        {
            return "The client sent no client certificate, and this endpoint requires one issued under the lab root (curl --cert, openssl " +
                "s_client -cert, with the client.*.pem files of serve --export-dir; a browser offers one only if one is installed in it).";
        }

        if (record.ClientCertificateValid == false)
        {
            return $"The client's certificate was refused: {record.ClientCertificateProblem ?? "it does not chain to the lab root"}.";
        }

        if (said.Contains("no shared cipher", StringComparison.OrdinalIgnoreCase))
        {
            return "The client offered no cipher suite this endpoint accepts, so there was nothing to agree on.";
        }

        if (said.Contains("unsupported protocol", StringComparison.OrdinalIgnoreCase)
            || said.Contains("no protocols available", StringComparison.OrdinalIgnoreCase)
            || said.Contains("wrong version number", StringComparison.OrdinalIgnoreCase))
        {
            return $"The client and this endpoint share no TLS version (it serves {Versions(scenario)}).";
        }

        if (said.Contains("no application protocol", StringComparison.OrdinalIgnoreCase))
        {
            return "The client offered no application protocol (ALPN) this endpoint speaks, so the lab refused it with the " +
                "no_application_protocol alert.";
        }

        if (said.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase) || failure is IOException && record.ClientHello is null)
        {
            return "The client hung up before the handshake was done, without saying why (no alert): a client that refused the " +
                "certificate silently, or one that only checked the port.";
        }

        return said;
    }

    /// <summary>The TLS alert a client ended a handshake with (e.g. <c>unknown_ca</c>), read from the TLS library's text; null when
    /// the text names none.</summary>
    public static string? ClientAlertOf(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return Alert().Match(Explain.Innermost(failure).Message) is { Success: true } alert ? alert.Groups[1].Value.Trim().Replace(' ', '_') : null;
    }

    /// <summary>A client that finished its handshake and hung up without a request.</summary>
    public static string WentAway(ConnectionRecord record) => record.Protocol == System.Security.Authentication.SslProtocols.Tls13
        // A TLS 1.3 client checks the certificate after its side of the handshake is done, so that is where a refusal shows.
        ? "The client went away after the handshake, before sending a request: a TLS 1.3 client checks the certificate only then, so " +
            "it most likely refused it (does it trust the lab root? does it check the right name?)."
        : "The client went away after the handshake, before sending a request.";

    /// <summary>A client that finished its handshake and closed the connection cleanly without a request.</summary>
    // .NET clients check the certificate once the handshake is done and then close, whatever the TLS version: this is how their
    // refusal looks from the server.
    public static string ClosedAfterHandshake() =>
        "The client closed the connection after the handshake without sending a request: a client that checks the certificate only " +
        "once the handshake is done (.NET does) refused it then (does it trust the lab root? does it check the right name?), or it " +
        "wanted only the handshake.";

    private static string ClientAlert(string alert, Scenario scenario) => alert switch
    {
        "unknown_ca" or "bad_certificate" or "certificate_unknown" or "certificate_expired" or "certificate_revoked" or "unsupported_certificate"
            => !scenario.ShouldConnect && scenario.Rejection is { } rejection
                ? $"The client refused this endpoint's certificate (its alert: {alert}), as a careful client should: {rejection.Summary}."
                : $"The client refused the lab's certificate (its alert: {alert}): it does not trust the lab root. Give it " +
                    ".tlslab/lab-root.pem (curl --cacert, openssl s_client -CAfile, a browser profile that trusts it).",
        "protocol_version" => $"The client and this endpoint share no TLS version (the client's alert: protocol_version; this endpoint " +
            $"serves {Versions(scenario)}).",
        "handshake_failure" => "The client found nothing to agree on in the server's answer (its alert: handshake_failure): a cipher suite, " +
            "group or signature it does not accept.",
        "decrypt_error" => "The client could not verify the server's handshake signature (its alert: decrypt_error).",
        "no_application_protocol" => "The client and this endpoint share no application protocol (ALPN; the client's alert: " +
            "no_application_protocol).",
        _ => $"The client ended the handshake with the alert {alert}.",
    };

    private static string Versions(Scenario scenario) =>
        scenario.Protocols == (System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
            ? "TLS 1.2 and 1.3"
            : scenario.Protocols == System.Security.Authentication.SslProtocols.Tls13 ? "TLS 1.3 only" : "TLS 1.2 only";

    [GeneratedRegex(@"(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Alert();
}
