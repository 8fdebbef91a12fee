using System.Text.Json.Nodes;
using TlsLab.Workshop;

namespace TlsLab.Tests.Cli;

// The Jupyter route, as an attendee takes it: `tlslab setup jupyter` on a machine with Jupyter, then a lesson
// executed by Jupyter itself (nbconvert --execute starts the registered kernel exactly as the notebook UI
// does). Jupyter's data folder is a temporary one, so the machine's own kernels are left alone. Skipped with
// the reason where Jupyter's nbconvert is not installed (.ci/run installs it).

/// <summary><c>tlslab setup jupyter</c> registers a kernel that runs the lessons under real Jupyter.</summary>
public sealed class JupyterRouteTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("tlslab-jupyter-data-");

    [Fact]
    public async Task After_setup_jupyter_the_welcome_lesson_executes_under_jupyter_without_an_error()
    {
        var root = RepositoryRoot.Find(AppContext.BaseDirectory);
        var environment = new Dictionary<string, string> { ["JUPYTER_DATA_DIR"] = _data.FullName, ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1" };
        var (nbconvert, _) = await ChildRun.RunAsync(root, TimeSpan.FromMinutes(1), ["nbconvert", "--version"], "jupyter", environment)
            .ContinueWith(t => t.IsFaulted ? (-1, "") : t.Result, TaskScheduler.Default);
        if (nbconvert != 0)
        {
            Assert.Skip("Jupyter's nbconvert is not installed here (Debian: apt install jupyter-nbconvert); the Jupyter route is not checked.");
        }

        var setup = await ChildRun.RunAsync(root, TimeSpan.FromMinutes(10), ChildRun.Tlslab("setup", "jupyter"), environment: environment);
        Assert.True(setup.Exit == 0, $"tlslab setup jupyter exited {setup.Exit}. It printed:{Environment.NewLine}{setup.Output}");
        Assert.True(File.Exists(Path.Combine(_data.FullName, "kernels", ".net-csharp", "kernel.json")),
            $"tlslab setup jupyter succeeded but wrote no kernels/.net-csharp/kernel.json under JUPYTER_DATA_DIR. It printed:{Environment.NewLine}" +
            setup.Output);

        var executed = Path.Combine(_data.FullName, "00-welcome.executed.ipynb");
        var run = await ChildRun.RunAsync(Path.Combine(root, "notebooks"), TimeSpan.FromMinutes(8),
            ["nbconvert", "--to", "notebook", "--execute", "00-welcome.ipynb", "--output", executed, "--ExecutePreprocessor.timeout=300"],
            "jupyter", environment);
        Assert.True(run.Exit == 0 && File.Exists(executed),
            $"jupyter nbconvert --execute 00-welcome.ipynb with the kit's kernel exited {run.Exit}. It printed:{Environment.NewLine}{run.Output}");

        var cells = JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray()
            .Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
        var errors = cells.SelectMany(c => c!["outputs"]!.AsArray())
            .Where(o => o!["output_type"]!.GetValue<string>() == "error")
            .Select(o => $"{o!["ename"]}: {o["evalue"]}").ToList();
        Assert.True(errors.Count == 0, $"Under Jupyter, 00-welcome's cells raised: {string.Join("; ", errors)}");
        var html = cells.Count(c => c!["outputs"]!.AsArray().Any(o => o!["data"]?["text/html"] is not null));
        Assert.True(html >= 5, $"Under Jupyter, only {html} of 00-welcome's {cells.Count} code cells showed a rich (HTML) view; the kit's " +
            "formatters should show the lab, the endpoints and the handshake.");
    }

    public void Dispose()
    {
        try
        {
            _data.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A kernel that is still shutting down may hold its connection file for a moment.
        }
    }
}
