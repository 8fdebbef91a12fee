using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Cli.Bench;

/// <summary>
/// Measures full TLS handshakes: every attempt is a new TCP connection and a new handshake with
/// resumption switched off, validated the way a careful client validates (the target's roots
/// only, the host name checked). The client closes right after its handshake and sends no request,
/// so what is counted is connection set-up, which is where a TLS server spends its public-key work.
/// </summary>
public static class HandshakeBench
{
    /// <summary>Runs <paramref name="settings"/>.Concurrency clients against <paramref name="target"/> for the warm-up plus the duration.</summary>
    public static async Task<BenchResult> RunAsync(BenchTarget target, BenchSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Concurrency, 1);

        var clock = Stopwatch.StartNew();
        var countFrom = settings.Warmup;
        var countUntil = settings.Warmup + settings.Duration;
        var workers = Enumerable.Range(0, settings.Concurrency)
            .Select(_ => Task.Run(() => WorkAsync(target, settings, clock, countFrom, countUntil, cancellationToken), cancellationToken))
            .ToArray();
        var tallies = await Task.WhenAll(workers).ConfigureAwait(false);

        var latencies = tallies.SelectMany(t => t.Latencies).ToList();
        return new BenchResult(
            target,
            settings,
            latencies.Count,
            tallies.Sum(t => t.Errors),
            tallies.Select(t => t.FirstError).FirstOrDefault(e => e is not null),
            settings.Duration,
            LatencySummary.From(latencies),
            tallies.Select(t => t.CipherSuite).LastOrDefault(c => c is not null));
    }

    /// <summary>One connect + handshake + close, as the benchmark does it; returns the suite negotiated.</summary>
    public static async Task<TlsCipherSuite> HandshakeOnceAsync(BenchTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var socket = new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.EndPoint, cancellationToken).ConfigureAwait(false);
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await using (tls.ConfigureAwait(false))
            {
                await tls.AuthenticateAsClientAsync(ClientOptions(target), cancellationToken).ConfigureAwait(false);
                return tls.NegotiatedCipherSuite;
            }
        }
        finally
        {
            socket.Dispose();
        }
    }

    // A fresh policy per connection: SslStream may add the certificates it received to the policy it is given.
    private static SslClientAuthenticationOptions ClientOptions(BenchTarget target)
    {
        return new SslClientAuthenticationOptions
        {
            TargetHost = target.Host,
            EnabledSslProtocols = target.Protocol,
            CertificateChainPolicy = ChainPolicies.TrustOnly([.. target.Trust]),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowTlsResume = false,
        };
    }

    private static async Task<Tally> WorkAsync(BenchTarget target, BenchSettings settings, Stopwatch clock, TimeSpan countFrom, TimeSpan countUntil,
        CancellationToken cancellationToken)
    {
        var tally = new Tally();
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = clock.Elapsed;
            if (started >= countUntil)
            {
                break;
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(settings.AttemptTimeout);
            TlsCipherSuite? suite = null;
            string? error = null;
            try
            {
                suite = await HandshakeOnceAsync(target, attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException
                or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                error = Describe(e, settings);
            }

            var finished = clock.Elapsed;
            if (started < countFrom || finished > countUntil)
            {
                continue; // warm-up, or straddles the end: not counted either way
            }

            if (error is null)
            {
                tally.Latencies.Add(finished - started);
                tally.CipherSuite = suite;
            }
            else
            {
                tally.Errors++;
                tally.FirstError ??= error;
            }
        }

        return tally;
    }

    private static string Describe(Exception e, BenchSettings settings)
    {
        if (e is OperationCanceledException)
        {
            return $"no handshake within {settings.AttemptTimeout.TotalSeconds:0.#} s";
        }

        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, e) ? $"{e.GetType().Name}: {e.Message}" : $"{e.GetType().Name}: {e.Message} ({inner.Message})";
    }

    private sealed class Tally
    {
        public List<TimeSpan> Latencies { get; } = [];

        public int Errors { get; set; }

        public string? FirstError { get; set; }

        public TlsCipherSuite? CipherSuite { get; set; }
    }
}
