using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Cli.Bench;

/// <summary>What to measure: where to connect, which name to validate, what to trust, which TLS version.</summary>
/// <param name="Label">A short name for the results table, e.g. <c>good</c>.</param>
/// <param name="EndPoint">The address and port to connect to.</param>
/// <param name="Host">The name to validate (TargetHost; also sent as SNI unless it is an IP address).</param>
/// <param name="Trust">The roots to trust; nothing else is trusted and there is no accept-all escape hatch.</param>
/// <param name="Protocol">Exactly one version, so that a row means one version.</param>
public sealed record BenchTarget(string Label, IPEndPoint EndPoint, string Host, X509Certificate2Collection Trust, SslProtocols Protocol)
{
    /// <summary>"1.2" or "1.3", for tables.</summary>
    public string Version => Protocol switch
    {
        SslProtocols.Tls12 => "1.2",
        SslProtocols.Tls13 => "1.3",
        _ => Protocol.ToString(),
    };
}
