using System.Diagnostics;

namespace TlsLab.Workshop;

/// <summary>Starts the .NET SDK as a child process, clean of the settings of whatever launched us.</summary>
internal static class DotnetCommand
{
    /// <summary>
    /// A start description for <c>dotnet ARGS</c> in <paramref name="workingDirectory"/>, with output
    /// redirected. The SDK that is running us is preferred (dotnet run and dotnet test set
    /// DOTNET_HOST_PATH), and MSBuild or test-platform variables inherited from a parent build or test
    /// session are removed: they describe another build.
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, params IEnumerable<string> arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(InheritedBuildSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    private static bool InheritedBuildSetting(string name) =>
        name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TESTINGPLATFORM_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("DOTNET_CLI_TEST", StringComparison.OrdinalIgnoreCase);
}
