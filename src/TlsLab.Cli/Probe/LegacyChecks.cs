using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>
/// The checks testssl.sh makes that a hand-made ClientHello can teach, one hello each: SSL 3.0 (POODLE), TLS compression (CRIME),
/// TLS_FALLBACK_SCSV (RFC 7507, downgrade protection) and secure renegotiation (RFC 5746). Each needs only the server's first answer.
/// </summary>
internal static class LegacyChecks
{
    /// <summary>The alert a server sends to a hello with TLS_FALLBACK_SCSV below its best version (RFC 7507, section 2).</summary>
    public const byte InappropriateFallback = 86;

    public static async Task RunAsync(
        ProbeSettings settings, ProbeBudget budget, ProbeResult result, ServerAnswer? legacyFlight, Func<ProbeSettings, ushort, ClientHelloSpec> broad)
    {
        // Secure renegotiation: every hello the probe sends carries an empty renegotiation_info, and a server that implements RFC 5746
        // must answer with one. TLS 1.3 removed renegotiation altogether, so a TLS 1.3-only server has nothing to show.
        result.SecureRenegotiation = legacyFlight?.SecureRenegotiation;

        var ssl3 = budget.SendAsync(broad(settings, TlsVersion.Ssl30) with { Alpn = [] });
        var compression = legacyFlight is not null
            ? budget.SendAsync(broad(settings, legacyFlight.Version) with { CompressionMethods = [1, 0] })
            : Task.FromResult<ServerAnswer?>(null)!;
        var fallback = FallbackAsync(settings, budget, result, broad);
        await Task.WhenAll(ssl3, compression, fallback).ConfigureAwait(false);

        var ssl3Answer = await ssl3.ConfigureAwait(false);
        var compressionAnswer = await compression.ConfigureAwait(false);
        lock (result)
        {
            result.Ssl3 = ssl3Answer.Accepted && ssl3Answer.Version == TlsVersion.Ssl30;
            if (compressionAnswer is { Accepted: true })
            {
                result.Compression = compressionAnswer.Compression != 0;
            }
        }
    }

    /// <summary>
    /// Offers the best version below the server's best, with TLS_FALLBACK_SCSV: the server must refuse with inappropriate_fallback. A
    /// server with one version only has nothing to fall back to, so the check does not apply (null).
    /// </summary>
    private static async Task FallbackAsync(ProbeSettings settings, ProbeBudget budget, ProbeResult result, Func<ProbeSettings, ushort, ClientHelloSpec> broad)
    {
        ushort[] accepted;
        lock (result)
        {
            accepted = [.. result.Protocols.Where(p => p.Value).Select(p => p.Key).OrderDescending()];
        }

        if (accepted.Length < 2)
        {
            return;
        }

        var answer = await budget.SendAsync(broad(settings, accepted[1]) with { FallbackScsv = true }).ConfigureAwait(false);
        lock (result)
        {
            result.FallbackScsv = answer.Kind == ServerAnswerKind.Alert && answer.AlertDescription == InappropriateFallback ? true
                : answer.Accepted ? false
                : null;
        }
    }
}
