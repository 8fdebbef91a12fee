using Spectre.Console;
using TlsLab.Cli.Output;
using TlsLab.Zoo;

namespace TlsLab.Cli.Serve;

/// <summary>The table <c>tlslab serve</c> prints: every endpoint, what a correct client does there, and how to try it.</summary>
internal static class EndpointTable
{
    // Below this width the four columns squeeze "a correct client" and "teaches" into a few letters each; the table then
    // stacks: the name and the URL (never wrapped, so they can be copied) on one line, what a correct client does and
    // what the scenario teaches under the URL, wrapped at words.
    private const int TextColumnWidth = 30;

    public static void Render(IAnsiConsole console, LabManifest manifest)
    {
        // The heading too: `serve --scenario good` has names shorter than "Scenario", which must not be folded to fit them.
        var nameWidth = manifest.Endpoints.Select(e => e.Name.Length).Append("Scenario".Length).Max();
        var urlWidth = manifest.Endpoints.Select(e => e.Url.Length).DefaultIfEmpty(3).Max();
        // Five borders and a space either side of each of the four cells.
        var tableWidth = nameWidth + urlWidth + 2 * TextColumnWidth + 13;
        if (console.Profile.Width >= tableWidth)
        {
            console.Write(new TrimmedLines(Table(manifest)));
        }
        else
        {
            Stacked(console, manifest, nameWidth, urlWidth);
        }

        foreach (var skipped in manifest.Skipped)
        {
            console.MarkupLine($"[yellow]not served here:[/] {skipped.Name.EscapeMarkup()}: {skipped.Reason.EscapeMarkup()}");
        }

        console.WriteLine();
        console.MarkupLine($"Lab root CA (trust this and nothing else): [bold]{manifest.Ca.EscapeMarkup()}[/]");
        console.MarkupLine("Connect to the address, validate the host name. Try:");
        foreach (var name in new[] { "good", "expired" })
        {
            var endpoint = manifest.Endpoints.FirstOrDefault(x => x.Name == name);
            if (endpoint is null)
            {
                continue;
            }

            CommandLines.Write(console, "  ", endpoint.Curl);
            if (endpoint.OpenSsl is not null)
            {
                CommandLines.Write(console, "  ", endpoint.OpenSsl);
            }
        }

        if (manifest.Endpoints.FirstOrDefault(x => x.Name == "plaintext") is { } zoo)
        {
            console.WriteLine();
            BrowserHint(console, zoo.Url, manifest.Ca);
        }

        console.MarkupLine("Machine-readable list: [bold]tlslab serve --json[/]");
    }

    private static Table Table(LabManifest manifest)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]tlslab: the zoo is open[/]");
        table.AddColumn(new TableColumn("Scenario").NoWrap());
        table.AddColumn(new TableColumn("URL").NoWrap());
        table.AddColumn("A correct client");
        table.AddColumn("Teaches");
        foreach (var e in manifest.Endpoints)
        {
            table.AddRow(new Markup($"[bold]{e.Name.EscapeMarkup()}[/]"), new Text(e.Url), new Markup(Verdict(e)), new Text(e.Teaches));
        }

        return table;
    }

    private static void Stacked(IAnsiConsole console, LabManifest manifest, int nameWidth, int urlWidth)
    {
        console.MarkupLine("[bold]tlslab: the zoo is open[/]");
        var grid = new Grid();
        if (console.Profile.Width >= nameWidth + 2 + urlWidth)
        {
            grid.AddColumn(new GridColumn().NoWrap().Width(nameWidth).PadRight(2));
            grid.AddColumn(new GridColumn());
            grid.AddRow(new Markup("[bold]Scenario[/]"), new Markup("[bold]URL[/]"));
            grid.AddRow(Text.Empty, new Markup("[bold]what a correct client that trusts only the lab root does[/]"));
            grid.AddRow(Text.Empty, new Markup("[grey]what it teaches[/]"));
            foreach (var e in manifest.Endpoints)
            {
                grid.AddRow(new Markup($"[bold]{e.Name.EscapeMarkup()}[/]"), new Text(e.Url));
                grid.AddRow(Text.Empty, new Markup(Verdict(e)));
                grid.AddRow(Text.Empty, new Markup($"[grey]{e.Teaches.EscapeMarkup()}[/]"));
            }

            console.Write(new TrimmedLines(grid));
            return;
        }

        // Narrower than a name and a URL side by side: one item under the other.
        foreach (var e in manifest.Endpoints)
        {
            console.MarkupLine($"[bold]{e.Name.EscapeMarkup()}[/]");
            console.WriteLine("  " + e.Url);
            console.Write(new Padder(new Markup(Verdict(e)), new Padding(2, 0, 0, 0)));
            console.Write(new Padder(new Markup($"[grey]{e.Teaches.EscapeMarkup()}[/]"), new Padding(2, 0, 0, 0)));
        }
    }

    private static string Verdict(ManifestEndpoint e) => e.Expect == "ok"
        ? "[green]connects[/]"
        : $"[red]refuses[/]: {e.Reason.EscapeMarkup()}";

    // A browser is the one client whose trust store outlives the workshop: never the real one. On Linux Chromium
    // reads the NSS database under $HOME, so a throwaway HOME is a throwaway trust store; elsewhere it is the system's.
    private static void BrowserHint(IAnsiConsole console, string zooUrl, string ca)
    {
        console.MarkupLine($"The zoo in a browser: [bold]{zooUrl.EscapeMarkup()}[/] tries every endpoint from the page itself.");
        if (OperatingSystem.IsLinux())
        {
            var home = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ca)) ?? ".", "browser");
            var nss = Path.Combine(home, ".pki", "nssdb");
            Indented(console, "With a throwaway Chromium profile that trusts only the lab root (certutil is in libnss3-tools; your own browser " +
                "and system trust store are not touched):");
            CommandLines.Write(console, "    ", $"mkdir -p {nss}");
            CommandLines.Write(console, "    ", $"certutil -d sql:{nss} -N --empty-password");
            CommandLines.Write(console, "    ", $"certutil -d sql:{nss} -A -t C,, -n tlslab -i {ca}");
            CommandLines.Write(console, "    ", $"HOME={home} chromium --user-data-dir={Path.Combine(home, "profile")} {zooUrl}");
        }
        else
        {
            Indented(console, "Chromium and Edge on Windows and macOS trust only the system store, and importing the lab root there lasts " +
                "beyond this workshop: do not. Use Firefox with a throwaway profile (firefox -P, a new profile), import " +
                $"{ca} there as an authority for websites, and open the link above.");
        }

        Indented(console, "Without the lab root trusted, every https endpoint shows a certificate warning: that is the browser working.");
    }

    // Prose wraps at words, each line indented like the first.
    private static void Indented(IAnsiConsole console, string text) =>
        console.Write(new Padder(new Text(text), new Padding(2, 0, 0, 0)));
}
