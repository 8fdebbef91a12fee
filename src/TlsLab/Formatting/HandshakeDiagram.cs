using System.Security.Authentication;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Zoo;

namespace TlsLab.Formatting;

/// <summary>
/// The messages of one handshake as a sequence diagram, drawn from what the client saw (the outcome) and,
/// when given, what the lab saw (the parsed ClientHello). Message names follow RFC 8446 (TLS 1.3) and
/// RFC 5246 (TLS 1.2); what a message carried comes from the real connection.
/// </summary>
internal static class HandshakeDiagram
{
    /// <summary>Draws the handshake behind <paramref name="outcome"/>; pass it to <c>display(...)</c>.</summary>
    /// <param name="outcome">What the client saw.</param>
    /// <param name="seenByServer">What the lab recorded for the same connection, for the ClientHello details.</param>
    /// <param name="server">The server's name on the diagram; defaults to the name the client asked for.</param>
    public static View From(HandshakeOutcome outcome, ConnectionRecord? seenByServer = null, string? server = null)
    {
        var sequence = Sequence(outcome, seenByServer, server);
        return new View($"Handshake: {sequence.Client} and {sequence.Server}", [sequence]);
    }

    /// <summary>The messages of the handshake behind <paramref name="outcome"/>, in order.</summary>
    internal static SequenceBlock Sequence(HandshakeOutcome outcome, ConnectionRecord? seenByServer = null, string? server = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var target = outcome.Validation?.TargetHost ?? seenByServer?.ServerNameIndication ?? seenByServer?.ClientHello?.ServerName;
        var steps = new List<SequenceStep> { new(Arrow.ToServer, "ClientHello", ClientHelloDetail(seenByServer, target)) };
        var protocol = outcome.Protocol ?? seenByServer?.Protocol;
        var suite = outcome.CipherSuite ?? seenByServer?.CipherSuite;
        var validation = outcome.Validation;

        if (validation is null && !outcome.Succeeded)
        {
            // Nothing was agreed, or the client never saw a certificate.
            steps.Add(new(Arrow.ToClient, "Alert: handshake refused", "no certificate was checked", Tone: Tone.Bad));
            steps.Add(new(Arrow.Note, $"refused: {outcome.Problem}", outcome.Explanation, Tone: Tone.Bad));
            return new SequenceBlock("client", server ?? target ?? "server", steps);
        }

        var leaf = validation?.Leaf;
        var certificate = leaf is null ? null : $"'{leaf.SubjectCommonName}' issued by '{leaf.IssuerCommonName}', {validation!.Chain.Count} in the " +
            "chain as built";
        var tls13 = protocol == SslProtocols.Tls13;
        var chosen = $"picks {Name(protocol)}{(suite is null ? string.Empty : $", {suite}")}";
        if (tls13)
        {
            steps.Add(new(Arrow.ToClient, "ServerHello", chosen + ", key share"));
            steps.Add(new(Arrow.ToClient, "EncryptedExtensions, Certificate, CertificateVerify, Finished", certificate, Encrypted: true));
        }
        else
        {
            steps.Add(new(Arrow.ToClient, "ServerHello", chosen));
            steps.Add(new(Arrow.ToClient, "Certificate, ServerKeyExchange, " +
                "ServerHelloDone", (certificate ?? "the certificate") + " (readable by anyone on the path in TLS 1.2)"));
        }

        if (validation is { Passed: false })
        {
            steps.Add(new(Arrow.Note, $"client refuses the certificate: {Explain.Classify(validation)}", Explain.Validation(validation), Tone: Tone.Bad));
            steps.Add(new(Arrow.ToServer, "Alert, close", "the request is never sent", Tone: Tone.Bad));
            return new SequenceBlock("client", server ?? target ?? "server", steps);
        }

        steps.Add(new(Arrow.Note, "client checks the certificate: trusted chain, right name", $"TargetHost '{target}'", Tone: Tone.Good));
        steps.Add(tls13
            ? new(Arrow.ToServer, "Finished", "keys agreed; everything from here is encrypted", Encrypted: true)
            : new(Arrow.ToServer, "ClientKeyExchange, ChangeCipherSpec, Finished", "keys agreed"));
        if (!tls13)
        {
            steps.Add(new(Arrow.ToClient, "ChangeCipherSpec, Finished", "everything from here is encrypted"));
        }

        if (outcome.Succeeded && outcome.StatusLine is not null)
        {
            steps.Add(new(Arrow.ToServer, "HTTP request", $"GET ... Host: {target}", Encrypted: true));
            steps.Add(new(Arrow.ToClient, "HTTP response", outcome.StatusLine, Encrypted: true));
        }
        else if (!outcome.Succeeded)
        {
            steps.Add(new(Arrow.Note, $"then: {outcome.Problem}", outcome.Explanation, Tone: Tone.Bad));
        }

        return new SequenceBlock("client", server ?? target ?? "server", steps);
    }

    private static string ClientHelloDetail(ConnectionRecord? record, string? target)
    {
        if (record?.ClientHello is not { } hello)
        {
            return $"offers protocol versions and cipher suites; SNI {target ?? "(none)"}";
        }

        var versions = hello.SupportedVersions.Count > 0
            ? string.Join(", ", hello.SupportedVersionNames.Where(n => !n.StartsWith("GREASE", StringComparison.Ordinal)))
            : Wire.TlsNames.Version(hello.LegacyVersion);
        return $"offers {versions}; {hello.CipherSuites.Count} suites; SNI {hello.ServerName ?? "(none)"}";
    }

    private static string Name(SslProtocols? protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        null => "a version",
        _ => protocol.Value.ToString(),
    };
}
