using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Diagnostics;

/// <summary>
/// A certificate validation callback that changes nothing: it accepts exactly what .NET's own
/// validation accepted (no policy errors) and records what it saw, so a lesson or a test can
/// explain a rejection from flags rather than from a platform-specific exception message.
/// </summary>
public sealed class ValidationRecorder
{
    private readonly RemoteCertificateValidationCallback? _inner;
    private ValidationRecord? _last;

    /// <summary>Records, then decides exactly as .NET's default validation would.</summary>
    public ValidationRecorder()
    {
    }

    /// <summary>Records, then lets <paramref name="inner"/> decide (for lessons that show a callback's effect).</summary>
    public ValidationRecorder(RemoteCertificateValidationCallback inner) => _inner = inner;

    /// <summary>The most recent validation, or null if validation has not run (e.g. the handshake failed before it).</summary>
    public ValidationRecord? Last => Volatile.Read(ref _last);

    /// <summary>Use as <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = sender is SslStream { TargetHostName: { } name } ? name : string.Empty;
        var record = ValidationRecord.Capture(host, certificate, chain, errors);
        Volatile.Write(ref _last, record);
        if (_inner is null)
        {
            return errors == SslPolicyErrors.None;
        }

        var verdict = _inner(sender, certificate, chain, errors);
        if (!verdict && errors == SslPolicyErrors.None)
        {
            // The platform found nothing wrong and the caller's own rule (a pin, say) said no: that is its own kind of refusal.
            Volatile.Write(ref _last, record with { RefusedByOwnCheck = true });
        }

        return verdict;
    }
}
