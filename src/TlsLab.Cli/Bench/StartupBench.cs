using System.Diagnostics;
using System.Net.Security;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Cli.Bench;

/// <summary>One start-up measurement: a lab of <see cref="Scenarios"/> scenarios, started <see cref="Runs"/> times.</summary>
/// <param name="Label">What was started, e.g. <c>4 scenarios</c>.</param>
/// <param name="Scenarios">How many scenarios the lab served.</param>
/// <param name="Runs">How many times it was started.</param>
/// <param name="Start">Time from <see cref="Lab.StartAsync"/> to every listener bound (PKI and certificates included).</param>
/// <param name="Stop">Time to dispose the lab.</param>
public sealed record StartupResult(string Label, int Scenarios, int Runs, LatencySummary Start, LatencySummary Stop);

/// <summary>Minting one leaf certificate (key pair, signature) and building its server context, per key type.</summary>
/// <param name="Key">The key type.</param>
/// <param name="Runs">How many certificates were minted.</param>
/// <param name="Mint">Key generation plus signing by the intermediate.</param>
/// <param name="Context">Building the <see cref="SslStreamCertificateContext"/> a server hands to SslStream.</param>
public sealed record MintResult(KeyKind Key, int Runs, LatencySummary Mint, LatencySummary Context);

/// <summary>How long the lab takes to start, and what it spends the time on.</summary>
public static class StartupBench
{
    /// <summary>The scenario sets the start-up benchmark compares: one, four, and every scenario in the catalogue.</summary>
    public static IReadOnlyList<(string Label, IReadOnlyList<string>? Scenarios)> Sets { get; } =
    [
        ("1 scenario (good)", ["good"]),
        ("4 scenarios (plaintext, good, expired, not-yet-valid)", [.. ScenarioCatalog.Names.Take(4)]),
        ($"all {ScenarioCatalog.All.Count} scenarios (with good-rsa)", null),
    ];

    /// <summary>Starts and stops a lab <paramref name="runs"/> times for each set.</summary>
    public static async Task<IReadOnlyList<StartupResult>> MeasureStartupAsync(int runs, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);

        // One untimed start first: the JIT and the crypto library's first use are not the lab's start-up.
        await (await Lab.StartAsync(new LabOptions { Scenarios = ["good"] }, cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);

        var results = new List<StartupResult>();
        foreach (var (label, scenarios) in Sets)
        {
            var starts = new List<TimeSpan>();
            var stops = new List<TimeSpan>();
            var served = 0;
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                var lab = await Lab.StartAsync(new LabOptions { Scenarios = scenarios }, cancellationToken).ConfigureAwait(false);
                starts.Add(clock.Elapsed);
                served = lab.Endpoints.Count;
                clock.Restart();
                await lab.DisposeAsync().ConfigureAwait(false);
                stops.Add(clock.Elapsed);
            }

            results.Add(new StartupResult(label, served, runs, LatencySummary.From(starts), LatencySummary.From(stops)));
        }

        return results;
    }

    /// <summary>Mints <paramref name="runs"/> server certificates of each key type under one intermediate.</summary>
    public static IReadOnlyList<MintResult> MeasureMinting(int runs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        using var pki = new WorkshopPki();
        var results = new List<MintResult>();
        foreach (var key in Enum.GetValues<KeyKind>())
        {
            using (pki.IssueServerCertificate("warm-up.localhost", key))
            {
            }

            var mints = new List<TimeSpan>();
            var contexts = new List<TimeSpan>();
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                using var leaf = pki.IssueServerCertificate($"mint-{i}.localhost", key);
                mints.Add(clock.Elapsed);
                clock.Restart();
                _ = ServerCertificates.CreateContext(leaf, [pki.Intermediate.PublicCertificate]);
                contexts.Add(clock.Elapsed);
            }

            results.Add(new MintResult(key, runs, LatencySummary.From(mints), LatencySummary.From(contexts)));
        }

        return results;
    }
}
