using System.Runtime.CompilerServices;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

/// <summary>
/// Key logging for this test process, switched on before any test runs: .NET reads the setting once, at the process's first
/// TLS connection, and tests run in parallel, so only a module initializer comes first for sure. The file is owner-only, in a
/// folder of its own, and removed when the process ends; its secrets belong to throwaway loopback connections.
/// </summary>
internal static class TestKeyLog
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tlslab-test-keys-{Environment.ProcessId}", "keys.log");

    /// <summary>Null when the key log is on; otherwise why not (the platform's reason on Windows and macOS).</summary>
    public static string? Problem { get; private set; } = "not switched on yet";

    [ModuleInitializer]
    internal static void SwitchOn()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Waited for here, not through Task.Run: until this initializer returns, no other thread may run code of this assembly.
        var path = Path;
        Problem = SslKeyLogging.TryEnableAsync(path).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the folder is in the temp directory and owner-only.
            }
        };
    }

    public static KeyLog Read() => KeyLog.Parse(File.ReadAllText(Path));
}
