using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using TlsLab.Cli.Bench;
using TlsLab.Cli.Output;

namespace TlsLab.Tests.Cli;

/// <summary>
/// bench's figures read at 80 columns as at 160: where the nine columns of the handshake table do not fit, each target
/// becomes a block of one figure per line, so no number is cut or squeezed into a column of a few letters.
/// </summary>
public sealed class BenchReportWidthTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(160)]
    public void Handshake_and_cost_figures_fit_the_terminal_and_stay_whole(int width)
    {
        var latency = new LatencySummary(812, 0.75, 1.25, 2.25, 11.5, 48.5, 1.5);
        var targets = new[]
        {
            new BenchTarget("tlslab lab (good)", new IPEndPoint(IPAddress.Loopback, 44301), "good.localhost", [], SslProtocols.Tls13),
            new BenchTarget("openssl s_server", new IPEndPoint(IPAddress.Loopback, 44302), "good.localhost", [], SslProtocols.Tls12),
        };
        var results = targets.Select(t => new BenchResult(t, BenchSettings.Default, 4321, 3, null, TimeSpan.FromSeconds(5), latency,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)).ToList();
        var terminal = new Terminal(width);
        var report = new BenchReport(terminal.Console, tsv: false);

        report.Handshakes(results, "127.0.0.1 (good.localhost)");
        report.ServerCost([new ServerCostResult(targets[0], 900, TimeSpan.FromSeconds(3), 1234.75, 56.5, 0.25, 3)]);

        terminal.AssertReadable("tlslab bench", new[]
        {
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "864", "1.25", "2.25", "11.50", "48.50", "1235", "56.5", "0.25",
        });
        var table = terminal.Text.Contains("│ Cipher suite", StringComparison.Ordinal);
        Assert.True(table == width >= 160, width >= 160
            ? $"At {width} columns bench should use the width for its table:\n{terminal.Text}"
            : $"At {width} columns nine columns would squeeze the figures; bench should list them under each target:\n{terminal.Text}");
    }

    [Fact]
    public void A_stacked_target_lists_every_figure_under_its_name()
    {
        // 40 columns: narrower than the three columns need, so the table stacks.
        var terminal = new Terminal(40);
        var table = new FigureTable("Lab start-up").Key("Lab").Figure("Endpoints").Figure("start p50 ms").Row("the whole zoo", "20", "512.5");

        terminal.Console.Write(table.ToRenderable());

        var lines = terminal.Lines.Select(l => l.TrimEnd()).ToArray();
        Assert.Equal(["Lab start-up", "the whole zoo", "  Endpoints     20", "  start p50 ms  512.5"], lines);
    }
}
