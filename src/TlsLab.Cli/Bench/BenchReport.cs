using System.Globalization;
using Spectre.Console;
using TlsLab.Cli.Output;
using TlsLab.Zoo;

namespace TlsLab.Cli.Bench;

/// <summary>Prints benchmark results as Spectre tables, or as tab-separated values for scripts.</summary>
internal sealed class BenchReport(IAnsiConsole console, bool tsv)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The machine and how busy it is: figures mean little without that.</summary>
    public void Machine()
    {
        var line = $"{Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
            $"{PlatformSupport.TlsLibrary}{LoadAverage()}";
        if (tsv)
        {
            console.WriteLine("# " + line);
        }
        else
        {
            console.MarkupLine($"[grey]{line.EscapeMarkup()}[/]");
        }
    }

    public void Handshakes(IReadOnlyList<BenchResult> results, string against)
    {
        if (tsv)
        {
            console.WriteLine("target\ttls\tsuite\tclients\thandshakes\terrors\tper_s\tp50_ms\tp90_ms\tp99_ms\tmax_ms");
            foreach (var r in results)
            {
                console.WriteLine(string.Join('\t',
                    r.Target.Label, r.Target.Version, r.CipherSuite?.ToString() ?? "-", r.Settings.Concurrency.ToString(Invariant),
                    r.Handshakes.ToString(Invariant), r.Errors.ToString(Invariant), F(r.PerSecond, 1),
                    F(r.Latency.P50, 2), F(r.Latency.P90, 2), F(r.Latency.P99, 2), F(r.Latency.Max, 2)));
            }

            return;
        }

        var settings = results.Count > 0 ? results[0].Settings : BenchSettings.Default;
        var table = new FigureTable($"Full handshakes against {against}",
            $"{settings.Concurrency} client(s), new TCP connection and full handshake each time (no resumption), " +
            $"{settings.Duration.TotalSeconds:0.#} s counted after {settings.Warmup.TotalSeconds:0.#} s warm-up; latency = connect + handshake")
            .Key("Target").Key("TLS").Key("Cipher suite")
            .Figure("Handshakes/s").Figure("p50 ms").Figure("p90 ms").Figure("p99 ms").Figure("max ms").Figure("Errors");
        foreach (var r in results)
        {
            table.Row(r.Target.Label, r.Target.Version, r.CipherSuite?.ToString() ?? "-", F(r.PerSecond, 0), F(r.Latency.P50, 2),
                F(r.Latency.P90, 2), F(r.Latency.P99, 2), F(r.Latency.Max, 2), r.Errors.ToString(Invariant));
        }

        console.Write(table.ToRenderable());
        foreach (var r in results.Where(r => r.FirstError is not null))
        {
            console.MarkupLine($"[red]{r.Target.Label.EscapeMarkup()} TLS {r.Target.Version}:[/] first error: {r.FirstError.EscapeMarkup()}");
        }
    }

    public void ServerCost(IReadOnlyList<ServerCostResult> results)
    {
        if (tsv)
        {
            console.WriteLine("target\ttls\thandshakes\tper_s\tserver_cpu_us\tallocated_kib\texceptions\tgen0");
            foreach (var r in results)
            {
                console.WriteLine(string.Join('\t', r.Target.Label, r.Target.Version, r.Handshakes.ToString(Invariant), F(r.PerSecond, 1),
                    F(r.CpuMicroseconds, 0), F(r.AllocatedKiB, 1), F(r.Exceptions, 2), r.Gen0Collections.ToString(Invariant)));
            }

            return;
        }

        var table = new FigureTable("What one full handshake costs the in-process lab (client: openssl s_time -new, another process)",
            "per handshake: this process's CPU time (user + system; thread-pool spinning included), managed allocations, first-chance " +
            "exceptions")
            .Key("Target").Key("TLS")
            .Figure("Handshakes/s").Figure("CPU µs").Figure("Allocated KiB").Figure("Exceptions").Figure("Gen0 GCs");
        foreach (var r in results)
        {
            table.Row(r.Target.Label, r.Target.Version, F(r.PerSecond, 0), F(r.CpuMicroseconds, 0), F(r.AllocatedKiB, 1), F(r.Exceptions, 2),
                r.Gen0Collections.ToString(Invariant));
        }

        console.Write(table.ToRenderable());
    }

    public void Minting(IReadOnlyList<MintResult> results)
    {
        if (tsv)
        {
            console.WriteLine("key\truns\tmint_p50_ms\tmint_p90_ms\tmint_max_ms\tcontext_p50_ms");
            foreach (var r in results)
            {
                console.WriteLine(string.Join('\t', r.Key, r.Runs.ToString(Invariant), F(r.Mint.P50, 2), F(r.Mint.P90, 2), F(r.Mint.Max, 2),
                    F(r.Context.P50, 2)));
            }

            return;
        }

        var table = new FigureTable("Minting one server certificate",
            "mint = new key pair + signature by the lab intermediate; context = SslStreamCertificateContext (chain built once per endpoint)")
            .Key("Key").Figure("Runs").Figure("mint p50 ms").Figure("mint p90 ms").Figure("mint max ms").Figure("context p50 ms");
        foreach (var r in results)
        {
            table.Row(r.Key.ToString(), r.Runs.ToString(Invariant), F(r.Mint.P50, 2), F(r.Mint.P90, 2), F(r.Mint.Max, 2), F(r.Context.P50, 2));
        }

        console.Write(table.ToRenderable());
    }

    public void Grading(GradeBenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (tsv)
        {
            console.WriteLine("grading\texercise\ttasks\truns\tp50_ms\tmin_ms\tmax_ms");
            console.WriteLine(string.Join('\t', "watch-save", result.Exercise.ToString(Invariant), result.Tasks.ToString(Invariant),
                result.WatchSave.Count.ToString(Invariant), F(result.WatchSave.P50, 0), F(result.WatchSave.Min, 0), F(result.WatchSave.Max, 0)));
            console.WriteLine(string.Join('\t', "plain-edit", result.Exercise.ToString(Invariant), result.Tasks.ToString(Invariant),
                result.Plain.Count.ToString(Invariant), F(result.Plain.P50, 0), F(result.Plain.Min, 0), F(result.Plain.Max, 0)));
            console.WriteLine($"watch-start\t{result.Exercise.ToString(Invariant)}\t{result.Tasks.ToString(Invariant)}\t1\t" +
                $"{F(result.WatchStart.TotalMilliseconds, 0)}\t\t");
            return;
        }

        var table = new FigureTable($"Grading exercise {result.Exercise} ({result.Tasks} tasks, its solution)",
            "watch: from writing the file to the redrawn table (file event, 100 ms quiet time, Roslyn compile, load, graders " +
            "against the warm lab, draw). plain: tlslab grade N after the same edit (the same engine, started for one round), in this process: " +
            "dotnet tlslab adds its own start-up.")
            .Key("Way").Figure("Runs").Figure("p50 ms").Figure("min ms").Figure("max ms");
        table.Row("grade --watch: save to table", result.WatchSave.Count.ToString(Invariant), F(result.WatchSave.P50, 0),
            F(result.WatchSave.Min, 0), F(result.WatchSave.Max, 0));
        table.Row("  of which compile + tests", result.Grading.Count.ToString(Invariant), F(result.Grading.P50, 0), F(result.Grading.Min, 0),
            F(result.Grading.Max, 0));
        table.Row("  of which compile", result.Compiling.Count.ToString(Invariant), F(result.Compiling.P50, 0), F(result.Compiling.Min, 0),
            F(result.Compiling.Max, 0));
        table.Row("grade N: edit to table", result.Plain.Count.ToString(Invariant), F(result.Plain.P50, 0), F(result.Plain.Min, 0),
            F(result.Plain.Max, 0));
        table.Row("grade --watch: start to first table", "1", F(result.WatchStart.TotalMilliseconds, 0), "-", "-");
        console.Write(table.ToRenderable());
    }

    public void Startup(IReadOnlyList<StartupResult> results)
    {
        if (tsv)
        {
            console.WriteLine("lab\tscenarios\truns\tstart_p50_ms\tstart_min_ms\tstart_max_ms\tstop_p50_ms");
            foreach (var r in results)
            {
                console.WriteLine(string.Join('\t', r.Label, r.Scenarios.ToString(Invariant), r.Runs.ToString(Invariant), F(r.Start.P50, 1),
                    F(r.Start.Min, 1), F(r.Start.Max, 1), F(r.Stop.P50, 1)));
            }

            return;
        }

        var table = new FigureTable("Lab start-up",
            "start = Lab.StartAsync until every listener is bound: root + intermediate CA, every ECDSA certificate and context, " +
            "listeners. An RSA key is still being minted then (its first handshake waits for it); back-to-back runs share the cores with " +
            "the previous run's RSA key.")
            .Key("Lab").Figure("Endpoints").Figure("Runs").Figure("start p50 ms").Figure("start min ms").Figure("start max ms")
            .Figure("stop p50 ms");
        foreach (var r in results)
        {
            table.Row(r.Label, r.Scenarios.ToString(Invariant), r.Runs.ToString(Invariant), F(r.Start.P50, 1), F(r.Start.Min, 1),
                F(r.Start.Max, 1), F(r.Stop.P50, 1));
        }

        console.Write(table.ToRenderable());
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(Invariant), Invariant);

    // Linux only; elsewhere the figure is simply left out.
    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $", load average {fields[0]} {fields[1]} {fields[2]}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
