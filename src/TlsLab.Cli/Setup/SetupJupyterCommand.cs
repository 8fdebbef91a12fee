using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using TlsLab.Cli.Output;
using TlsLab.Workshop;

namespace TlsLab.Cli.Setup;

/// <summary>
/// <c>tlslab setup jupyter</c>: checks each step of the Jupyter route and does the ones it can (install .NET
/// Interactive into the checkout, register the kernel the notebooks name), saying exactly what is missing otherwise.
/// </summary>
internal static class SetupJupyterCommand
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("jupyter", "Make the lessons open in Jupyter: install .NET Interactive for this checkout and register its " +
            "kernel, checking each step (about 230 MB, once).");
        command.SetAction((_, cancellationToken) => RunAsync(output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var console = Consoles.For(output);
        if (RepositoryRoot.TryFind() is not { } root)
        {
            error.WriteLine($"error: tlslab setup jupyter runs from a checkout of the kit. {RepositoryRoot.NotFound()}");
            return ExitCodes.UsageError;
        }

        var jupyter = new JupyterSetup(root);
        var (versionExit, version, _) = await ChildProcess.RunAsync(ChildProcess.StartInfo("jupyter", root, "--version"), Patience, cancellationToken)
            .ConfigureAwait(false);
        if (versionExit != 0)
        {
            error.WriteLine("error: Jupyter is not installed here (the jupyter command did not run). " + JupyterSetup.InstallJupyterAdvice());
            error.WriteLine("Then run tlslab setup jupyter again. (The lessons also run without any notebook engine: dotnet run notebooks/00-welcome.cs)");
            return ExitCodes.UsageError;
        }

        console.MarkupLine("[green]found[/] Jupyter");
        if (!HasInterface(version, "notebook") && !HasInterface(version, "jupyterlab"))
        {
            // nbconvert alone runs notebooks but cannot show them; say so now, not when `jupyter notebook` fails later.
            console.MarkupLine("[yellow]note[/] neither the Jupyter notebook nor JupyterLab is installed, only Jupyter's core. " +
                JupyterSetup.InstallJupyterAdvice().EscapeMarkup());
        }

        var (dataExit, dataDir, dataError) = await ChildProcess.RunAsync(ChildProcess.StartInfo("jupyter", root, "--data-dir"), Patience, cancellationToken)
            .ConfigureAwait(false);
        if (dataExit != 0 || FirstLine(dataDir) is not { Length: > 0 } data)
        {
            error.WriteLine($"error: 'jupyter --data-dir' did not say where Jupyter keeps its kernels: {FirstLine(dataError)}");
            return ExitCodes.Failed;
        }

        if (File.Exists(jupyter.Executable))
        {
            console.MarkupLine($"[green]found[/] .NET Interactive in {Relative(root, jupyter.ToolFolder).EscapeMarkup()}");
        }
        else
        {
            console.MarkupLine($"installing .NET Interactive {JupyterSetup.InteractiveVersion} into {Relative(root, jupyter.ToolFolder).EscapeMarkup()} ...");
            var (installExit, installed) = await ToolSetup.RunAsync(root,
                ["tool", "install", "Microsoft.dotnet-interactive", "--version", JupyterSetup.InteractiveVersion, "--tool-path", jupyter.ToolFolder],
                Patience, cancellationToken).ConfigureAwait(false);
            if (installExit != 0 || !File.Exists(jupyter.Executable))
            {
                error.WriteLine($"error: installing .NET Interactive failed: {LastLines(installed)}");
                error.WriteLine("It comes from nuget.org: check the network, then run tlslab setup jupyter again.");
                return ExitCodes.Failed;
            }

            console.MarkupLine("[green]installed[/] .NET Interactive");
        }

        string? note;
        var kernels = Path.Combine(data, "kernels");
        try
        {
            note = jupyter.WriteKernel(kernels);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: could not write the kernel into {kernels}: {e.Message}. Make that folder writable, or set JUPYTER_DATA_DIR.");
            return ExitCodes.Failed;
        }

        if (note is not null)
        {
            console.MarkupLine($"[yellow]note[/] {note.EscapeMarkup()}");
        }

        // Jupyter's own view is the proof: a kernel written where Jupyter does not look would leave the notebooks without one.
        var (listExit, list, _) = await ChildProcess.RunAsync(ChildProcess.StartInfo("jupyter", root, "kernelspec", "list", "--json"), Patience,
            cancellationToken).ConfigureAwait(false);
        if (listExit != 0 || !SeesOurKernel(list, jupyter.Executable))
        {
            error.WriteLine($"error: the kernel was written to {Path.Combine(kernels, JupyterSetup.KernelName)}, but 'jupyter kernelspec list' " +
                "does not show it running the kit's .NET Interactive. Is JUPYTER_PATH or JUPYTER_DATA_DIR set to another folder?");
            return ExitCodes.Failed;
        }

        console.MarkupLine($"[green]registered[/] the {JupyterSetup.KernelName} kernel (\".NET (C#)\") in {kernels.EscapeMarkup()}");
        console.MarkupLine("Open the lessons:  [bold]cd notebooks[/]  then  [bold]jupyter notebook[/]  (or [bold]jupyter lab[/] where JupyterLab " +
            "is installed), and open 00-welcome.ipynb.");
        return ExitCodes.Ok;
    }

    private static bool SeesOurKernel(string json, string executable)
    {
        try
        {
            var argv = JsonNode.Parse(json)?["kernelspecs"]?[JupyterSetup.KernelName]?["spec"]?["argv"]?.AsArray();
            return argv is { Count: > 0 } && argv[0]?.GetValue<string>() == executable;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    // `jupyter --version` prints one "name : version" line per package, "not installed" for the missing ones.
    private static bool HasInterface(string versions, string package) =>
        versions.Split('\n').Select(l => l.Split(':', 2)).Any(p => p.Length == 2 && p[0].Trim() == package
            && !p[1].Contains("not installed", StringComparison.Ordinal));

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    private static string LastLines(string text) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(4));

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
