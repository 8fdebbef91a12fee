using Spectre.Console;
using TlsLab.Zoo;

namespace TlsLab.Cli.Output;

/// <summary>The table <c>tlslab serve</c> prints: every endpoint, what a correct client does there, and how to try it.</summary>
internal static class EndpointTable
{
    public static void Render(IAnsiConsole console, LabManifest manifest)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]tlslab: the zoo is open[/]");
        table.AddColumn(new TableColumn("Scenario").NoWrap());
        table.AddColumn(new TableColumn("URL").NoWrap());
        table.AddColumn("A correct client");
        table.AddColumn("Teaches");
        foreach (var e in manifest.Endpoints)
        {
            var verdict = e.Expect == "ok"
                ? "[green]connects[/]"
                : $"[red]refuses[/]: {e.Reason.EscapeMarkup()}";
            table.AddRow(new Markup($"[bold]{e.Name.EscapeMarkup()}[/]"), new Text(e.Url), new Markup(verdict), new Text(e.Teaches));
        }

        console.Write(table);
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

            console.WriteLine($"  {endpoint.Curl}");
            if (endpoint.OpenSsl is not null)
            {
                console.WriteLine($"  {endpoint.OpenSsl}");
            }
        }

        if (manifest.Endpoints.FirstOrDefault(x => x.Name == "plaintext") is { } zoo)
        {
            console.WriteLine();
            BrowserHint(console, zoo.Url, manifest.Ca);
        }

        console.MarkupLine("Machine-readable list: [bold]tlslab serve --json[/]");
    }

    // A browser is the one client whose trust store outlives the workshop: never the real one. On Linux Chromium
    // reads the NSS database under $HOME, so a throwaway HOME is a throwaway trust store; elsewhere it is the system's.
    private static void BrowserHint(IAnsiConsole console, string zooUrl, string ca)
    {
        console.MarkupLine($"The zoo in a browser: [bold]{zooUrl.EscapeMarkup()}[/] tries every endpoint from the page itself.");
        if (OperatingSystem.IsLinux())
        {
            var home = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ca)) ?? ".", "browser");
            var nss = Path.Combine(home, ".pki", "nssdb");
            console.WriteLine("  With a throwaway Chromium profile that trusts only the lab root (certutil is in libnss3-tools; your own");
            console.WriteLine("  browser and system trust store are not touched):");
            console.WriteLine($"    mkdir -p {nss} && certutil -d sql:{nss} -N --empty-password");
            console.WriteLine($"    certutil -d sql:{nss} -A -t C,, -n tlslab -i {ca}");
            console.WriteLine($"    HOME={home} chromium --user-data-dir={Path.Combine(home, "profile")} {zooUrl}");
        }
        else
        {
            console.WriteLine("  Chromium and Edge on Windows and macOS trust only the system store, and importing the lab root there lasts");
            console.WriteLine("  beyond this workshop: do not. Use Firefox with a throwaway profile (firefox -P, a new profile), import");
            console.WriteLine($"  {ca} there as an authority for websites, and open the link above.");
        }

        console.WriteLine("  Without the lab root trusted, every https endpoint shows a certificate warning: that is the browser working.");
    }
}
