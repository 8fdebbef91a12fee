using System.Net.Security;

namespace TlsLab.Cli.Bench;

/// <summary>What one benchmark run measured.</summary>
/// <param name="Target">What was measured.</param>
/// <param name="Settings">How.</param>
/// <param name="Handshakes">Full handshakes completed inside the counting window.</param>
/// <param name="Errors">Attempts that failed (connect, handshake or timeout) inside the counting window.</param>
/// <param name="FirstError">The first failure, in one line, or null.</param>
/// <param name="Window">The counting window's length.</param>
/// <param name="Latency">Connect + handshake times of the counted handshakes.</param>
/// <param name="CipherSuite">The suite the last counted handshake negotiated.</param>
public sealed record BenchResult(
    BenchTarget Target,
    BenchSettings Settings,
    int Handshakes,
    int Errors,
    string? FirstError,
    TimeSpan Window,
    LatencySummary Latency,
    TlsCipherSuite? CipherSuite)
{
    /// <summary>Full handshakes per second over the counting window.</summary>
    public double PerSecond => Window > TimeSpan.Zero ? Handshakes / Window.TotalSeconds : 0;
}
