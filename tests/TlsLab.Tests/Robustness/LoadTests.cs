using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using TlsLab.Client;
using TlsLab.Zoo;

namespace TlsLab.Tests.Robustness;

/// <summary>
/// The lab under numbers: hundreds of idle connections while careful clients keep being served,
/// and a bounded soak of good and bad clients together. Every loop here is bounded in count and
/// time and stays on loopback. Latencies are printed; the bounds asserted are generous on purpose
/// (a shared two-core machine), since these are correctness tests, not benchmarks.
/// </summary>
[Collection(LabAloneCollection.Name)]
public sealed class LoadTests : IDisposable
{
    private readonly UnobservedTaskExceptions _unobserved = new();

    public void Dispose() => _unobserved.Dispose();

    [Fact]
    public async Task Three_hundred_idle_connections_do_not_keep_careful_clients_waiting()
    {
        const int idleCount = 300;
        const int probeCount = 20;
        // Waiting behind the idle connections would mean waiting for their 30 s deadline; a third of it
        // tells the two apart even on a loaded machine (the speed itself is measured by tlslab bench).
        var generous = TimeSpan.FromSeconds(10);
        var ct = TestContext.Current.CancellationToken;

        // The deadline is far enough away that the idle connections are all still there while the probes run.
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"], HandshakeTimeout = TimeSpan.FromSeconds(30) }, ct);
        var good = lab["good"];
        await TlsClient.ConnectAsync(good.EndPoint, lab.CreateClientOptions("good"), cancellationToken: ct); // warm up
        var before = LabHealth.LiveBytes();

        var idle = new List<Socket>();
        try
        {
            for (var batch = 0; batch < idleCount / 50; batch++)
            {
                idle.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RawClient.ConnectAsync(good.EndPoint, ct))));
            }

            Assert.True(await RawClient.EventuallyAsync(() => lab.OpenConnections >= idleCount, TimeSpan.FromSeconds(20), ct),
                $"The lab accepted only {lab.OpenConnections} of {idleCount} idle connections within 20 s (waited for it to count all of them open).");
            var perIdle = (LabHealth.LiveBytes() - before) / (double)idleCount;

            var took = new List<TimeSpan>();
            for (var i = 0; i < probeCount; i++)
            {
                var clock = Stopwatch.StartNew();
                var outcome = await TlsClient.ConnectAsync(good.EndPoint, lab.CreateClientOptions("good"), timeout: generous * 2, cancellationToken: ct);
                took.Add(clock.Elapsed);
                Assert.True(outcome.Succeeded && outcome.StatusLine == "HTTP/1.1 200 OK", $"Probe {i + 1} with {idleCount} idle connections open was " +
                    $"not served: {outcome}");
            }

            var sorted = took.Order().ToList();
            LabHealth.Report($"{idleCount} idle connections: {perIdle / 1024:0.0} KiB of managed memory each; {probeCount} careful clients: p50 " +
                $"{sorted[probeCount / 2].TotalMilliseconds:0.0} ms, max {sorted[^1].TotalMilliseconds:0.0} ms; load average {LoadAverage()}");
            Assert.True(sorted[^1] < generous,
                $"With {idleCount} idle connections open, a careful client took {sorted[^1].TotalMilliseconds:0} ms (p50 " +
                    $"{sorted[probeCount / 2].TotalMilliseconds:0} ms); expected every one under {generous.TotalSeconds:0} s.");

            // An idle connection costs its socket, its task and a small ClientHello copy, not the 64 KiB it once did.
            Assert.True(perIdle < 48 * 1024, $"Each idle connection holds {perIdle / 1024:0.0} KiB of managed memory; expected well under 48 KiB.");
        }
        finally
        {
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
        }

        await LabHealth.AssertHealthyAsync(lab, _unobserved, new LabOptions().ConnectionHistory, $"After {idleCount} idle clients hung up", ct);
    }

    [Fact]
    public async Task Good_and_bad_clients_together_for_six_seconds_leave_the_lab_as_they_found_it()
    {
        const int history = 200;
        const int maxRoundsPerClient = 1500;

        // Each careful client runs at least this many rounds and each misbehaving one works through at
        // least this many kinds (together, all of them), however slowly a loaded machine runs them.
        const int minRoundsPerClient = 5;
        var soak = TimeSpan.FromSeconds(6);

        // The stalling clients hold a connection for the whole deadline; careful ones are done in milliseconds,
        // but on a loaded machine a handshake can take a second or more, and must not be cut off for it.
        var deadline = TimeSpan.FromSeconds(10);
        var ct = TestContext.Current.CancellationToken;
        await using var lab = await Lab.StartAsync(new LabOptions
        {
            Scenarios = PlatformSupport.Tls13 ? ["good", "tls13-only"] : ["good"],
            HandshakeTimeout = deadline,
            RequestTimeout = deadline,
            ConnectionHistory = history,
        }, ct);
        var good = lab["good"];
        for (var i = 0; i < 5; i++)
        {
            await TlsClient.ConnectAsync(good.EndPoint, lab.CreateClientOptions("good"), cancellationToken: ct); // warm up
        }

        var before = LabHealth.LiveBytes();
        var clock = Stopwatch.StartNew();
        var served = new ConcurrentBag<TimeSpan>();
        var refused = new ConcurrentQueue<string>();
        var done = new ConcurrentDictionary<string, int>();

        var careful = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < maxRoundsPerClient && (clock.Elapsed < soak || i < minRoundsPerClient); i++)
            {
                var started = clock.Elapsed;
                var outcome = await TlsClient.ConnectAsync(good.EndPoint, lab.CreateClientOptions("good"), timeout: deadline * 2, cancellationToken: ct);
                if (outcome.Succeeded && outcome.StatusLine == "HTTP/1.1 200 OK")
                {
                    served.Add(clock.Elapsed - started);
                }
                else
                {
                    refused.Enqueue(outcome.ToString());
                }
            }
        }, ct));

        // Every kind of misbehaviour in turn, plus clients that are merely wrong: no name, no common version.
        var misbehaviours = Enum.GetValues<Attack>().Select(a => a.ToString()).Concat(["no TargetHost", "TLS 1.2 client at tls13-only"]).ToArray();
        var hostile = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < maxRoundsPerClient && (clock.Elapsed < soak || i < minRoundsPerClient); i++)
            {
                var kind = misbehaviours[(worker * 3 + i) % misbehaviours.Length];
                await MisbehaveAsync(lab, kind, ct);
                done.AddOrUpdate(kind, 1, (_, n) => n + 1);
            }
        }, ct));

        await Task.WhenAll(careful.Concat(hostile));
        var soaked = clock.Elapsed;

        var latencies = served.Select(t => t.TotalMilliseconds).Order().ToArray();
        await LabHealth.AssertHealthyAsync(lab, _unobserved, history, $"After a {soak.TotalSeconds:0} s soak", ct);
        var after = LabHealth.LiveBytes();
        LabHealth.Report($"Soak of {soaked.TotalSeconds:0.0} s: {latencies.Length} careful clients served (p50 {Percentile(latencies, 50):0.0} ms, " +
            $"p99 {Percentile(latencies, 99):0.0} ms, max {latencies.LastOrDefault():0.0} ms), "
            + $"{done.Values.Sum()} misbehaving ({string.Join(", ", done.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}); "
            + $"managed memory {before / 1048576.0:0.0} MiB before, {after / 1048576.0:0.0} MiB after; {lab.Connections.Count} connections " +
                $"remembered; load average {LoadAverage()}");

        Assert.True(refused.IsEmpty, $"{refused.Count} careful client(s) were refused during the soak; the first: {refused.FirstOrDefault()}");
        Assert.True(latencies.Length >= 10, $"Only {latencies.Length} careful clients were served in {soaked.TotalSeconds:0.0} s.");
        Assert.True(latencies[^1] < deadline.TotalMilliseconds, $"A careful client waited {latencies[^1]:0} ms during the soak, as long as a stalled " +
            $"client's {deadline.TotalSeconds:0} s deadline; it should never wait for one.");
        Assert.True(misbehaviours.All(done.ContainsKey), $"Not every misbehaviour ran: {string.Join(", ", misbehaviours.Except(done.Keys))}.");
        Assert.True(after - before < Math.Max(before, 32L << 20),
            $"Managed memory grew from {before / 1048576.0:0.0} MiB to {after / 1048576.0:0.0} MiB over the soak; the lab should keep only its " +
                "bounded history.");
    }

    private static async Task MisbehaveAsync(Lab lab, string kind, CancellationToken ct)
    {
        var good = lab["good"];
        if (Enum.TryParse<Attack>(kind, out var attack))
        {
            await RawClient.AttackAsync(attack, good.EndPoint, lab.CreateClientOptions("good"), TimeSpan.FromSeconds(20), ct);
            return;
        }

        string name;
        SslClientAuthenticationOptions options;
        if (kind == "no TargetHost")
        {
            name = "good";
            options = lab.CreateClientOptions(name);
            options.TargetHost = string.Empty;
        }
        else if (lab.Endpoints.Any(e => e.Name == "tls13-only"))
        {
            name = "tls13-only";
            options = lab.CreateClientOptions(name);
            options.EnabledSslProtocols = SslProtocols.Tls12;
        }
        else
        {
            return; // no TLS 1.3 here, so no TLS 1.3-only endpoint to be wrong about
        }

        await TlsClient.ConnectAsync(lab[name].EndPoint, options, timeout: TimeSpan.FromSeconds(20), cancellationToken: ct);
    }

    private static double Percentile(double[] ascending, double p) =>
        ascending.Length == 0 ? 0 : ascending[Math.Clamp((int)Math.Ceiling(p / 100 * ascending.Length), 1, ascending.Length) - 1];

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
