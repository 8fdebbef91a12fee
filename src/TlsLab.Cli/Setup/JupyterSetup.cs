using System.Text.Json;
using System.Text.Json.Nodes;

namespace TlsLab.Cli.Setup;

/// <summary>
/// The Jupyter route to the lessons, made to work the same on every machine. Installing .NET Interactive
/// as a global tool and running <c>dotnet interactive jupyter install</c> fails on a fresh machine in two
/// ways: the kernels folder may not exist yet, and the kernel it registers dies when <c>~/.dotnet/tools</c>
/// is not on PATH. Instead the kit installs .NET Interactive into its own folder (<c>.tlslab/tools</c>) and
/// registers a kernel that starts it by its full path, under the name the notebooks ask for.
/// </summary>
internal sealed class JupyterSetup(string root)
{
    /// <summary>The .NET Interactive tool the kernel runs; the in-process notebook tests use the same engine.</summary>
    public const string InteractiveVersion = "1.0.712001";

    /// <summary>The kernel name in every notebook's metadata (what <c>dotnet interactive jupyter install</c> registers).</summary>
    public const string KernelName = ".net-csharp";

    private const string OwnerKey = "tlslab_checkout";

    /// <summary>Where the kit keeps its copy of .NET Interactive.</summary>
    public string ToolFolder => Path.Combine(root, ".tlslab", "tools");

    /// <summary>The tool's executable in <see cref="ToolFolder"/>.</summary>
    public string Executable => Path.Combine(ToolFolder, OperatingSystem.IsWindows() ? "dotnet-interactive.exe" : "dotnet-interactive");

    /// <summary>What to install when Jupyter itself is missing, for this platform.</summary>
    public static string InstallJupyterAdvice() =>
        OperatingSystem.IsWindows() ? "Install Python from python.org, then:  py -m pip install notebook nbconvert"
        : OperatingSystem.IsMacOS() ? "Install it with Homebrew:  brew install jupyterlab   (or: python3 -m pip install notebook nbconvert)"
        : File.Exists("/etc/debian_version") ? "On Debian or Ubuntu:  sudo apt install jupyter-notebook jupyter-nbconvert"
        : "Install it with your package manager, or:  python3 -m pip install --user notebook nbconvert";

    /// <summary>The kernel specification: the kit's .NET Interactive by full path, so PATH does not matter.</summary>
    public JsonObject KernelSpec() => new()
    {
        ["argv"] = new JsonArray(Executable, "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"),
        ["display_name"] = ".NET (C#)",
        ["language"] = "C#",
        ["metadata"] = new JsonObject { [OwnerKey] = root },
    };

    /// <summary>
    /// Writes the kernel into <paramref name="kernelsFolder"/> (creating it: a fresh machine has none). A kernel of
    /// the same name that the kit did not write is kept as kernel.json.before-tlslab, and the returned note says so.
    /// </summary>
    public string? WriteKernel(string kernelsFolder)
    {
        var folder = Path.Combine(kernelsFolder, KernelName);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "kernel.json");
        string? note = null;
        if (File.Exists(path) && !IsOurs(path))
        {
            File.Copy(path, path + ".before-tlslab", overwrite: true);
            note = $"A {KernelName} kernel was registered already; it is kept as {path}.before-tlslab.";
        }

        File.WriteAllText(path, KernelSpec().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return note;
    }

    private static bool IsOurs(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))?["metadata"]?[OwnerKey] is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
