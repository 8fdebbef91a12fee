using TlsLab.Formatting;

namespace TlsLab.Tests.Formatting;

/// <summary>The factories lessons build their own views with: what a learner passes in is what both renderers show.</summary>
public sealed class ViewFactoryTests
{
    [Fact]
    public void A_table_shows_its_title_headers_and_every_cell_in_text_and_html()
    {
        var view = View.Table("Ports", ["Name", "Port"], [["good", "8443"], ["expired", "8444"]]);

        foreach (var shown in new[] { view.ToText(), view.ToHtml() })
        {
            foreach (var expected in new[] { "Ports", "Name", "Port", "good", "8443", "expired", "8444" })
            {
                Assert.True(shown.Contains(expected, StringComparison.Ordinal), $"A table view should show '{expected}'; it showed:\n{shown}");
            }
        }
    }

    [Fact]
    public void A_toned_row_is_marked_by_its_tone()
    {
        var rows = new List<(string[] Cells, Tone Tone)> { (["good", "connected"], Tone.Good), (["expired", "connected"], Tone.Bad) };

        var text = View.Table("Results", ["Endpoint", "Result"], rows).ToText();

        Assert.True(text.Contains("[ok] good", StringComparison.Ordinal) && text.Contains("[x] expired", StringComparison.Ordinal),
            $"A good row should start with [ok] and a bad one with [x]; the table showed:\n{text}");
    }

    [Fact]
    public void Facts_show_each_label_with_its_value_and_null_as_none()
    {
        var text = View.Facts("Files", ("Chain", "/tmp/chain.pem"), ("Port", 8443), ("Key", null)).ToText();

        Assert.Contains("Chain  /tmp/chain.pem", text, StringComparison.Ordinal);
        Assert.Contains("Port   8443", text, StringComparison.Ordinal);
        Assert.Contains("Key    (none)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_note_has_no_title_line_and_carries_its_tone()
    {
        var text = View.Note("Skipped here.", Tone.Warning).ToText();
        var html = View.Note("Skipped here.", Tone.Warning).ToHtml();

        Assert.Equal("  [!] Skipped here.", text);
        Assert.DoesNotContain("font-size:14px", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_puts_parts_under_one_title_and_keeps_each_part_title_as_a_heading()
    {
        var view = View.Of("The wrong way", View.Facts("What happened", ("Errors ignored", "RemoteCertificateNameMismatch", Tone.Bad)), View.Note("Do not."));
        var text = view.ToText();

        Assert.StartsWith("== The wrong way ==", text, StringComparison.Ordinal);
        Assert.Contains("-- What happened --", text, StringComparison.Ordinal);
        Assert.Contains("[x] RemoteCertificateNameMismatch", text, StringComparison.Ordinal);
        Assert.EndsWith("Do not.", text, StringComparison.Ordinal);
        Assert.Contains("What happened", view.ToHtml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_keeps_line_breaks_and_escapes_html()
    {
        var view = View.Text("Server log", "served <a>\nfailed & logged");

        Assert.Contains("    served <a>\n    failed & logged", view.ToText().Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("served &lt;a&gt;\nfailed &amp; logged", view.ToHtml(), StringComparison.Ordinal);
    }
}
