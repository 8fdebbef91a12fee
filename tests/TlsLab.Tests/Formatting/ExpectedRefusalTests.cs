using TlsLab.Formatting;
using TlsLab.Zoo;

namespace TlsLab.Tests.Formatting;

/// <summary>
/// The lab's table lists what a correct client should do with each endpoint: an expected refusal is shown apart from a
/// failure, so a newcomer's first table (lesson 00) does not read as a list of things that broke.
/// </summary>
public sealed class ExpectedRefusalTests
{
    [Fact]
    public async Task The_lab_table_marks_an_expected_refusal_as_expected_not_as_a_failure()
    {
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good", "expired"] }, TestContext.Current.CancellationToken);

        var view = TlsViews.For(lab)!;
        var text = view.ToText();
        var html = view.ToHtml();

        Assert.True(text.Contains("[ok] good", StringComparison.Ordinal) && text.Contains("[-] expired", StringComparison.Ordinal),
            $"The lab's table should mark good [ok] and expired, which a correct client refuses, [-] (expected):\n{text}");
        Assert.False(text.Contains("[x]", StringComparison.Ordinal), $"Nothing failed, yet the lab's table shows a failure mark [x]:\n{text}");
        Assert.Contains("an expectation rather than a result", text, StringComparison.Ordinal);
        Assert.False(html.Contains("rgba(229,83,75", StringComparison.Ordinal) || html.Contains("\u2716", StringComparison.Ordinal),
            $"Nothing failed, yet the lab's HTML table shows the failure colour or cross:\n{html}");
        Assert.Contains("\u2298", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_real_failure_keeps_its_red_cross()
    {
        var rows = new List<(string[] Cells, Tone Tone)>
        {
            (["expired", "refuses", "connected"], Tone.Bad),
            (["wrong-host", "refuses", "refused"], Tone.Expected),
        };

        var view = View.Table("Results", ["Endpoint", "Expected", "Got"], rows);

        Assert.Contains("[x] expired", view.ToText(), StringComparison.Ordinal);
        Assert.Contains("[-] wrong-host", view.ToText(), StringComparison.Ordinal);
        Assert.Contains("\u2716", view.ToHtml(), StringComparison.Ordinal);
    }
}
