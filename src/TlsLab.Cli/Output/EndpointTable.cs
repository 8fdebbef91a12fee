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

        console.MarkupLine("Machine-readable list: [bold]tlslab serve --json[/]");
    }
}
