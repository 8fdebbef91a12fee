using System.Diagnostics;
using System.Globalization;
using System.Security.Authentication;
using System.Text.RegularExpressions;

namespace TlsLab.Cli.Bench;

/// <summary>What one full handshake cost the server: this process's CPU time, allocations and exceptions.</summary>
/// <param name="Target">The in-process lab endpoint measured.</param>
/// <param name="Handshakes">Handshakes the client completed.</param>
/// <param name="Wall">How long the client ran.</param>
/// <param name="CpuMicroseconds">This process's CPU time (user + system) per handshake.</param>
/// <param name="AllocatedKiB">Managed memory allocated per handshake.</param>
/// <param name="Exceptions">First-chance exceptions per handshake (each frame an exception passes through counts).</param>
/// <param name="Gen0Collections">Generation 0 garbage collections during the run.</param>
public sealed record ServerCostResult(BenchTarget Target, int Handshakes, TimeSpan Wall, double CpuMicroseconds, double AllocatedKiB,
    double Exceptions, int Gen0Collections)
{
    /// <summary>Handshakes per second.</summary>
    public double PerSecond => Wall > TimeSpan.Zero ? Handshakes / Wall.TotalSeconds : 0;
}

/// <summary>
/// The server's side alone: the client is <c>openssl s_time -new</c> in its own process (one new
/// connection and full handshake after another), so everything this process spends is the lab's.
/// </summary>
public static partial class ServerCostBench
{
    private static long s_exceptions;
    private static int s_counting;

    /// <summary>Runs s_time against <paramref name="target"/> for <paramref name="duration"/> (whole seconds, at least 1).</summary>
    /// <exception cref="InvalidOperationException">openssl is not on PATH or said nothing usable.</exception>
    public static async Task<ServerCostResult> RunAsync(BenchTarget target, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (Interlocked.Exchange(ref s_counting, 1) == 0)
        {
            AppDomain.CurrentDomain.FirstChanceException += (_, _) => Interlocked.Increment(ref s_exceptions);
        }

        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        using var me = Process.GetCurrentProcess();
        GC.Collect();
        me.Refresh();
        var cpu = me.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var exceptions = Interlocked.Read(ref s_exceptions);
        var collections = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();

        var output = await SessionAsync(target, seconds, cancellationToken).ConfigureAwait(false);

        var wall = clock.Elapsed;
        me.Refresh();
        var handshakes = ParseConnections(output)
            ?? throw new InvalidOperationException($"openssl s_time reported no connection count: {output.Trim()}");
        var per = Math.Max(1, handshakes);
        return new ServerCostResult(
            target,
            handshakes,
            wall,
            (me.TotalProcessorTime - cpu).TotalMicroseconds / per,
            (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / per,
            (Interlocked.Read(ref s_exceptions) - exceptions) / (double)per,
            GC.CollectionCount(0) - collections);
    }

    /// <summary>The count from s_time's "N connections in T real seconds" line, or null.</summary>
    public static int? ParseConnections(string output)
    {
        var match = RealSeconds().Match(output ?? string.Empty);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static async Task<string> SessionAsync(BenchTarget target, int seconds, CancellationToken cancellationToken)
    {
        var version = target.Protocol == SslProtocols.Tls13 ? "-tls1_3" : "-tls1_2";
        var start = new ProcessStartInfo("openssl")
        {
            ArgumentList = { "s_time", "-connect", $"{target.EndPoint.Address}:{target.EndPoint.Port}", "-new", "-time",
                seconds.ToString(CultureInfo.InvariantCulture), version },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"--client s_time needs openssl on PATH: {e.Message}", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }

            return await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        }
    }

    [GeneratedRegex(@"(\d+) connections in \d+ real seconds")]
    private static partial Regex RealSeconds();
}
