using System.Text.Json;
using Spectre.Console;
using TlsLab.Cli.Probe;
using TlsLab.Tests.Cli;

namespace TlsLab.Tests.Probe;

// Test strategy: the report is read in terminals of 80 columns and wider. A real probe of the zoo's good endpoint is rendered into a
// Spectre console of a fixed width (80, then 160): no line may be wider than the console, no suite name may be cut in two, the dividers
// fit, and at 160 the report uses the room. Each suite's one-line reason is checked for the suites that are broken in different ways.
// --json on something that is not TLS must still print one JSON object on standard output.

/// <summary>The probe's report fits the terminal, names each broken suite's own fault, and --json never leaves standard output empty.</summary>
public sealed class ProbeReportTests(LabFixture fixture)
{
    [Theory]
    [InlineData(80)]
    [InlineData(160)]
    public async Task The_report_fits_the_width_of_the_console(int width)
    {
        var endpoint = fixture.Lab["good"];
        var settings = new ProbeSettings("good", endpoint.EndPoint, endpoint.Host, [fixture.Lab.RootCertificate], TimeSpan.FromSeconds(5));
        var result = await ProbeEngine.RunAsync(settings, cancellationToken: TestContext.Current.CancellationToken);
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;

        ProbeReport.Render(console, result, ServerRating.Compute(result));

        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToList();
        var widest = lines.MaxBy(l => l.Length)!;
        Assert.True(widest.Length <= width, $"At {width} columns a line is {widest.Length} wide:\n{widest}");
        foreach (var suite in result.CipherSuites.Values.SelectMany(s => s).Select(TlsLab.Wire.TlsNames.CipherSuite))
        {
            Assert.True(lines.Any(l => l.Contains(suite, StringComparison.Ordinal)), $"At {width} columns the suite {suite} is split across lines:\n{text}");
        }

        var dividers = lines.Where(l => l.StartsWith("── ", StringComparison.Ordinal)).ToList();
        Assert.True(dividers.Count >= 5, $"The report should have a divider per section:\n{text}");
        Assert.All(dividers, d => Assert.True(d.Length <= width, $"A divider is {d.Length} wide at {width} columns: {d}"));
        if (width > 100)
        {
            Assert.True(widest.Length > 80, $"At {width} columns the report should use the room, but its widest line is {widest.Length}.");
        }
    }

    [Theory]
    [InlineData("TLS_RSA_WITH_NULL_SHA256", "no encryption at all")]
    [InlineData("TLS_DH_anon_WITH_AES_128_CBC_SHA", "anonymous")]
    [InlineData("TLS_ECDH_anon_WITH_NULL_SHA", "no encryption at all")]
    [InlineData("TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", "anonymous")]
    [InlineData("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "export")]
    [InlineData("TLS_RSA_WITH_RC4_128_SHA", "RC4")]
    [InlineData("TLS_RSA_WITH_DES_CBC_SHA", "single DES")]
    [InlineData("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "Sweet32")]
    public void Each_broken_suite_gets_its_own_reason(string name, string reason)
    {
        var suite = TlsLab.Wire.TlsNames.CipherSuiteByName(name);
        Assert.True(suite is not null, $"{name} should be in the names table (the whole IANA registry).");

        var (severity, why) = ProbeReport.Judge(suite.Value);

        Assert.Equal(Finding.Bad, severity);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_on_a_port_that_is_not_TLS_is_still_one_JSON_object_on_standard_output()
    {
        var plaintext = fixture.Lab["plaintext"];

        var (exit, stdout, stderr) = await CliRun.CompleteAsync("probe", $"127.0.0.1:{plaintext.Port}", "--json", "--timeout", "1");

        Assert.True(exit == 3, $"exit {exit}; stderr: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        Assert.Contains("does not speak TLS", document.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, document.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Json_for_a_bad_argument_is_also_a_JSON_object()
    {
        var (exit, stdout, _) = await CliRun.CompleteAsync("probe", "good", "--json", "--timeout", "0");

        Assert.Equal(2, exit);
        using var document = JsonDocument.Parse(stdout);
        Assert.Contains("--timeout", document.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
