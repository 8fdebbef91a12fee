using TlsLab.Cli.Serve;
using TlsLab.Zoo;

namespace TlsLab.Tests.Cli;

/// <summary>serve with a few short-named scenarios (serve --scenario good) keeps its headings whole too.</summary>
public sealed class ServeFewScenariosWidthTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(160)]
    public async Task Short_names_do_not_fold_the_Scenario_heading(int width)
    {
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good", "expired"] }, TestContext.Current.CancellationToken);
        var manifest = LabManifest.From(lab, Path.Combine(Path.GetTempPath(), "tlslab-width-test", "lab-root.pem"));
        var terminal = new Terminal(width);

        EndpointTable.Render(terminal.Console, manifest);

        terminal.AssertReadable("tlslab serve --scenario good --scenario expired",
            manifest.Endpoints.SelectMany(e => new[] { e.Name, e.Url }).Append("Scenario").Append("URL"));
        var padded = terminal.Lines.Where(l => l.EndsWith(' ')).ToList();
        Assert.True(padded.Count == 0, $"serve at {width} columns pads {padded.Count} line(s) with trailing spaces:\n" +
            string.Join("\n", padded.Select(l => $"[{l}]")));
    }
}
