using System.Text.Json.Nodes;
using TlsLab.Workshop;

namespace TlsLab.Cli.Setup;

/// <summary>
/// What <c>tlslab setup</c> does, step by step: pack this command as a .NET tool from the checkout's sources,
/// install it with the repository's tool manifest (.config/dotnet-tools.json) so <c>dotnet tlslab</c> works in
/// every folder of the checkout, and build what the workshop needs so the day itself works offline.
/// </summary>
internal sealed class ToolSetup(string root)
{
    /// <summary>The tool's package id, as the manifest names it.</summary>
    public const string PackageId = "tlslab.cli";

    /// <summary>Where the packed tool goes; <c>.tlslab/</c> is the kit's ignored scratch folder.</summary>
    public string PackageFolder => Path.Combine(root, ".tlslab", "packages");

    /// <summary>One step: a name for the attendee, and the dotnet command line that does it.</summary>
    public sealed record Step(string Title, string[] Arguments);

    /// <summary>The version the manifest pins, which is the version the project packs.</summary>
    public string ManifestVersion()
    {
        var path = Path.Combine(root, ".config", "dotnet-tools.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path));
        return manifest?["tools"]?[PackageId]?["version"]?.GetValue<string>()
            ?? throw new InvalidDataException($"{path} does not name the {PackageId} tool and its version.");
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<Step> Steps(string stamp) =>
    [
        new("Pack tlslab from this checkout's sources",
            ["pack", Path.Combine("src", "TlsLab.Cli"), "-c", "Release", "-o", PackageFolder, "-nologo", "-v", "quiet",
                $"-p:{SourceStamp.MetadataKey}={stamp}"]),
        new("Install it for this checkout (dotnet tool restore)", ["tool", "restore", "--add-source", PackageFolder]),
        new("Check that dotnet tlslab runs, and is this checkout's", ["tlslab", "--version"]),
        new("Build the lessons' library (src/TlsLab)", ["build", Path.Combine("src", "TlsLab"), "-nologo", "-v", "quiet"]),
        new("Restore and build the exercises and their graders", ["build", Path.Combine("exercises", "Tests"), "-nologo", "-v", "quiet"]),
    ];

    /// <summary>
    /// The NuGet cache keeps a package by id and version, and the kit's version does not change when its sources do:
    /// an earlier setup's copy must go, or the restore would install that one again.
    /// </summary>
    /// <remarks>
    /// Both the folder NuGet reports and the default one: local tools are installed under
    /// ~/.nuget/packages even when NUGET_PACKAGES points elsewhere (seen with SDK 10.0.401).
    /// </remarks>
    public static void ForgetCachedTool(string? globalPackages, string version)
    {
        var defaultFolder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var folder in new[] { globalPackages, defaultFolder }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var cached = Path.Combine(folder, PackageId, version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }

        // The SDK also remembers where it last found each local tool (~/.dotnet/toolResolverCache); an entry that
        // points into another packages folder would keep `dotnet tlslab` on the old copy, or on none.
        var cliHome = Environment.GetEnvironmentVariable("DOTNET_CLI_HOME") is { Length: > 0 } home
            ? home
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var resolverCache = Path.Combine(cliHome, ".dotnet", "toolResolverCache");
        if (Directory.Exists(resolverCache))
        {
            foreach (var entry in Directory.EnumerateFiles(resolverCache, PackageId, SearchOption.AllDirectories))
            {
                File.Delete(entry);
            }
        }
    }

    /// <summary>The NuGet global packages folder, as NuGet itself reports it.</summary>
    public static async Task<string?> GlobalPackagesAsync(string root, CancellationToken cancellationToken)
    {
        var (exit, text) = await RunAsync(root, ["nuget", "locals", "global-packages", "--list"], TimeSpan.FromMinutes(1), cancellationToken)
            .ConfigureAwait(false);
        const string prefix = "global-packages:";
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return exit == 0 && line is not null ? line[prefix.Length..].Trim() : null;
    }

    /// <summary>Runs dotnet with the arguments in the checkout; returns its exit code and everything it printed.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string root, string[] arguments, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var (exit, stdout, stderr) = await ChildProcess.RunAsync(DotnetCommand.StartInfo(root, arguments), timeout, cancellationToken)
            .ConfigureAwait(false);
        return (exit, stdout + stderr);
    }

    /// <summary>Bytes under a folder (the NuGet cache before and after, to say what setup downloaded).</summary>
    public static long SizeOf(string? folder)
    {
        if (folder is null || !Directory.Exists(folder))
        {
            return 0;
        }

        try
        {
            return new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
