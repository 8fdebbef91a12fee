namespace TlsLab.Cli.Bench;

/// <summary>How hard and how long to measure.</summary>
/// <param name="Concurrency">Clients connecting at the same time; each makes one connection after another.</param>
/// <param name="Duration">How long to count handshakes, after the warm-up.</param>
/// <param name="Warmup">How long to run before counting (JIT, connection caches, the server's thread pool).</param>
/// <param name="AttemptTimeout">A single connect + handshake that takes longer counts as an error.</param>
public sealed record BenchSettings(int Concurrency, TimeSpan Duration, TimeSpan Warmup, TimeSpan AttemptTimeout)
{
    /// <summary>The command's defaults: 4 clients, 5 s after a 1 s warm-up.</summary>
    public static BenchSettings Default { get; } = new(4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
}
