using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Diagnostics;

/// <summary>
/// Turns what .NET reports about a failed TLS connection into one plain sentence a learner can act
/// on. It reads flags and certificates, never exception message text, which differs by platform.
/// </summary>
public static class Explain
{
    /// <summary>Names the problem a validation result shows.</summary>
    internal static TlsProblem Classify(ValidationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var errors = record.PolicyErrors;
        if (errors == SslPolicyErrors.None)
        {
            return TlsProblem.None;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return TlsProblem.NoCertificate;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            return ClassifyChain(record);
        }

        return errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? TlsProblem.NameMismatch : TlsProblem.Other;
    }

    /// <summary>One sentence on a validation result: what is wrong and what to do.</summary>
    public static string Validation(ValidationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problem = Classify(record);
        var sentence = Describe(problem, record);
        if (problem != TlsProblem.NameMismatch && problem != TlsProblem.None
            && record.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            sentence += " " + Describe(TlsProblem.NameMismatch, record);
        }

        return sentence;
    }

    /// <summary>One sentence on a chain status flag, for tables that list each element's status.</summary>
    internal static string ChainStatus(X509ChainStatusFlags flag) => flag switch
    {
        X509ChainStatusFlags.NoError => "No problem.",
        X509ChainStatusFlags.NotTimeValid => "The certificate is outside its validity period (expired, or not valid yet).",
        X509ChainStatusFlags.UntrustedRoot => "The chain ends at a root certificate that is not trusted.",
        X509ChainStatusFlags.PartialChain => "The chain could not be completed: an issuing certificate is missing, so no trusted root was reached.",
        X509ChainStatusFlags.NotSignatureValid => "A signature in the chain does not verify: the certificate was altered or signed by someone else.",
        X509ChainStatusFlags.NotValidForUsage => "The certificate is not allowed for this purpose (its key usage or extended key usage says otherwise).",
        X509ChainStatusFlags.InvalidBasicConstraints => "A certificate that is not a CA was used to sign another certificate.",
        X509ChainStatusFlags.Revoked => "The certificate has been revoked by its issuer.",
        X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation =>
            "Whether the certificate was revoked could not be checked: the revocation server named in the certificate (its CRL or OCSP " +
            "address) did not answer. For a lab certificate that means the lab that issued it is no longer running.",
        X509ChainStatusFlags.HasNotSupportedCriticalExtension => "The certificate has a critical extension this platform does not understand.",
        X509ChainStatusFlags.InvalidNameConstraints or X509ChainStatusFlags.HasNotPermittedNameConstraint
            or X509ChainStatusFlags.HasExcludedNameConstraint or X509ChainStatusFlags.HasNotDefinedNameConstraint
            or X509ChainStatusFlags.HasNotSupportedNameConstraint => "A CA's name constraints forbid this certificate's names.",
        X509ChainStatusFlags.Cyclic => "The chain loops back on itself.",
        _ => $"Chain status {flag}.",
    };

    /// <summary>
    /// One sentence on a failed connection. Pass the recorder that watched validation when there is
    /// one: a certificate verdict is far more precise than the exception that follows it, and a
    /// recorder that saw nothing proves the handshake failed before any certificate was looked at.
    /// </summary>
    public static string Failure(Exception exception, ValidationRecorder? recorder = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var validation = recorder?.Last;
        return Failure(exception, validation, Classify(exception, validation), validationWatched: recorder is not null);
    }

    /// <summary>
    /// The one sentence for a failure, shared by <see cref="Failure(Exception, ValidationRecorder?)"/>
    /// and the probe, so the same failure reads the same everywhere.
    /// </summary>
    internal static string Failure(Exception exception, ValidationRecord? validation, TlsProblem problem, bool validationWatched) =>
        validation is { Passed: false } ? Validation(validation) : Describe(problem, validation, exception, validationWatched);

    /// <summary>Names the problem behind a failed connection.</summary>
    internal static TlsProblem Classify(Exception exception, ValidationRecord? validation = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (validation is { Passed: false })
        {
            return Classify(validation);
        }

        if (validation is { RefusedByOwnCheck: true })
        {
            return TlsProblem.RefusedByOwnCheck;
        }

        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return TlsProblem.ConnectionRefused;
                case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted }:
                    return TlsProblem.ConnectionClosed;
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                case TimeoutException:
                case OperationCanceledException:
                    return TlsProblem.Timeout;
            }
        }

        return exception switch
        {
            // A handshake that failed after the certificate passed, or before it was seen: the sides
            // agreed on nothing, or the server refused us.
            AuthenticationException => TlsProblem.NoCommonParameters,
            IOException => TlsProblem.ConnectionClosed,
            _ => TlsProblem.Other,
        };
    }

    /// <summary>One sentence for a problem, using what is known about the certificate where it helps.</summary>
    /// <param name="problem">The problem to describe.</param>
    /// <param name="record">What validation saw, if anything.</param>
    /// <param name="exception">The exception, whose innermost message is quoted for the platform's own words.</param>
    /// <param name="validationWatched">True when a recorder watched validation, so a missing record means none took place.</param>
    internal static string Describe(TlsProblem problem, ValidationRecord? record = null, Exception? exception = null, bool validationWatched = false)
    {
        var leaf = record?.Leaf;
        var leafName = leaf is null ? "the server's certificate" : $"the certificate '{leaf.SubjectCommonName}'";
        var platform = exception is null ? string.Empty : $" (the platform said: {Innermost(exception).Message.TrimEnd('.')}.)";
        return problem switch
        {
            TlsProblem.None => "The certificate was accepted: the chain reaches a trusted root and the name matches.",
            TlsProblem.Expired => $"{Capitalize(leafName)} expired on {Format(ExpiredElement(record)?.NotAfter)}; a client must refuse it. The server " +
                "needs a renewed certificate (or this machine's clock is wrong).",
            TlsProblem.NotYetValid => $"{Capitalize(leafName)} is not valid until {Format(leaf?.NotBefore)}; either it was issued for the future or a " +
                "clock is wrong.",
            TlsProblem.NameMismatch => NameMismatch(record),
            TlsProblem.SelfSigned => $"{Capitalize(leafName)} is self-signed: it vouches for itself, and anyone can make one. Trust only certificates " +
                "that chain to a root you chose.",
            TlsProblem.UntrustedRoot => $"The chain leads to '{Top(record)?.IssuerCommonName ?? "an unknown root"}', which is not a root this client " +
                "trusts; the certificate comes from someone else's PKI.",
            TlsProblem.MissingIntermediate => $"The server sent {leafName} without the intermediate that issued it " +
                $"('{leaf?.IssuerCommonName ?? "unknown"}'), so no chain to a trusted root could be built. The server must send leaf first, then its " +
                "intermediates.",
            TlsProblem.Revoked => $"{Capitalize(leafName)} has been revoked by '{leaf?.IssuerCommonName ?? "its issuer"}' (its CRL lists it, or its " +
                "OCSP responder says so): whoever holds its key may not be the server. Never accept a revoked certificate.",
            TlsProblem.RevocationUnknown => $"Whether {leafName} was revoked could not be checked: the revocation server it names (its CRL or OCSP " +
                "address) did not answer. For a lab certificate that means the lab that issued it is no longer running; do not switch the check " +
                "off to get past it.",
            TlsProblem.OtherChainError => $"The chain for {leafName} has a problem: " +
                $"{ChainStatus(FirstFlag(record?.ChainStatus ?? X509ChainStatusFlags.NoError))}",
            TlsProblem.NoCertificate => "The server sent no certificate, so there is nothing to check and nothing to trust.",
            TlsProblem.NoCommonParameters => record is null && !validationWatched
                ? "The handshake failed before any data was sent: no protocol version or cipher suite in common, the server turned the client away, " +
                    $"or the certificate was refused (pass the ValidationRecorder that watched validation to Explain.Failure to know which).{platform}"
                : "The handshake failed before any data was sent: the client and server found no protocol version or cipher suite in common, or the " +
                    $"server turned the client away.{platform}",
            TlsProblem.ClientCertificateRequired => "The server requires a client certificate issued under a CA it trusts, and the client did not present one.",
            TlsProblem.NotTls => "The other side does not speak TLS on this port (it answered like plain HTTP); check the port, or use http:// for a " +
                "plaintext endpoint.",
            // Said in lessons whose lab is running (and whose closed port is the point) as well as to a terminal with no lab: name both.
            TlsProblem.RefusedByOwnCheck => $"{Capitalize(leafName)} passed the platform's checks (chain, dates, name), and your own " +
                "validation callback refused it: a rule of yours, such as a pin, said no. If it should have passed, check that rule (for a pin: " +
                "is this the server's key, or its backup?).",
            TlsProblem.ConnectionRefused => "Nothing is listening on that address and port: check the port, and that the server is running there " +
                "(a lesson's lab runs inside the lesson; from a terminal, start one with dotnet tlslab serve).",
            TlsProblem.Timeout => $"The other side did not answer in time; the server may be waiting for something the client never sent.{platform}",
            TlsProblem.ConnectionClosed => "The connection was closed in the middle of the exchange; the other side gave up on it (often because it " +
                $"refused the handshake).{platform}",
            _ => $"The connection failed.{platform}",
        };
    }

    private static TlsProblem ClassifyChain(ValidationRecord record)
    {
        var status = record.ChainStatus;
        var leaf = record.Leaf;
        if (status.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return leaf is not null && leaf.NotBefore > record.CheckedAt ? TlsProblem.NotYetValid : TlsProblem.Expired;
        }

        if (status.HasFlag(X509ChainStatusFlags.UntrustedRoot))
        {
            return record.Chain.Count == 1 && leaf is { IsSelfIssued: true } ? TlsProblem.SelfSigned : TlsProblem.UntrustedRoot;
        }

        if (status.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            // A client cannot tell "intermediate missing" from "root unknown" by flags: servers never
            // send their root. What differs is where the chain stops: at the leaf itself (the server
            // sent no intermediates) or at a CA certificate the server did send.
            return record.Chain.Count <= 1 ? TlsProblem.MissingIntermediate : TlsProblem.UntrustedRoot;
        }

        if (status.HasFlag(X509ChainStatusFlags.Revoked))
        {
            return TlsProblem.Revoked;
        }

        // Only when nothing worse was found: a chain that is broken anyway often cannot be checked for revocation either.
        if ((status & (X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation)) != 0)
        {
            return TlsProblem.RevocationUnknown;
        }

        return TlsProblem.OtherChainError;
    }

    private static string NameMismatch(ValidationRecord? record)
    {
        var target = string.IsNullOrEmpty(record?.TargetHost) ? "(empty)" : record!.TargetHost;
        var leaf = record?.Leaf;
        var names = leaf is null ? [] : leaf.DnsNames.Concat(leaf.IpAddresses.Select(ip => ip.ToString())).ToList();
        var valid = names.Count == 0 ? "other names (it lists none in its subject alternative names)" : string.Join(", ", names);
        return $"The certificate is valid, but for {valid}, not for '{target}', the name this client asked for (TargetHost); accepting it would let " +
            "anyone holding any valid certificate impersonate the server.";
    }

    private static ChainElementInfo? ExpiredElement(ValidationRecord? record) =>
        record?.Chain.FirstOrDefault(e => e.Status.HasFlag(X509ChainStatusFlags.NotTimeValid)) ?? record?.Leaf;

    private static ChainElementInfo? Top(ValidationRecord? record) => record is { Chain.Count: > 0 } ? record.Chain[^1] : null;

    private static X509ChainStatusFlags FirstFlag(X509ChainStatusFlags flags)
    {
        foreach (X509ChainStatusFlags flag in Enum.GetValues<X509ChainStatusFlags>())
        {
            if (flag != X509ChainStatusFlags.NoError && flags.HasFlag(flag))
            {
                return flag;
            }
        }

        return X509ChainStatusFlags.NoError;
    }

    private static string Format(DateTimeOffset? time) =>
        time is null ? "an unknown date" : time.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The exception at the bottom of the chain: the one whose message is the platform's own words.</summary>
    internal static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
