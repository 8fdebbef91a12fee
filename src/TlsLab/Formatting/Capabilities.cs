using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TlsLab.Zoo;

namespace TlsLab.Formatting;

/// <summary>What this machine's .NET and TLS stack can do, for the capability table the first lesson shows.</summary>
/// <param name="OperatingSystem">The OS, as the runtime describes it.</param>
/// <param name="Runtime">The .NET runtime running this code.</param>
/// <param name="Sdk">The .NET SDK that <c>dotnet</c> picks here, or null when it could not be asked.</param>
/// <param name="TlsLibrary">OpenSSL, SChannel or Apple's stack.</param>
/// <param name="TlsLibraryVersion">The OpenSSL version .NET loaded (Linux only), or null.</param>
/// <param name="Tls13">Whether TLS 1.3 is available.</param>
/// <param name="Tls13Problem">Why not, when it is not.</param>
/// <param name="CipherSuitesPolicy">Whether a program may choose its cipher suites.</param>
/// <param name="CipherSuitesPolicyProblem">Why not, when it may not.</param>
internal sealed record Capabilities(
    string OperatingSystem,
    string Runtime,
    string? Sdk,
    string TlsLibrary,
    string? TlsLibraryVersion,
    bool Tls13,
    string? Tls13Problem,
    bool CipherSuitesPolicy,
    string? CipherSuitesPolicyProblem)
{
    /// <summary>Looks at this machine. Asking for the SDK runs <c>dotnet --version</c> (a second or so).</summary>
    public static Capabilities Detect(bool askSdk = true) => new(
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        askSdk ? DotnetSdkVersion() : null,
        PlatformSupport.TlsLibrary,
        OpenSslVersion(),
        PlatformSupport.Tls13,
        PlatformSupport.Tls13Problem,
        PlatformSupport.CipherSuitesPolicy,
        PlatformSupport.CipherSuitesPolicyProblem);

    /// <summary>The OpenSSL version .NET loaded, e.g. <c>3.0.13</c>; null off Linux.</summary>
    internal static string? OpenSslVersion()
    {
        if (!System.OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // OPENSSL_VERSION_NUMBER: 0xMNN00PP0L for OpenSSL 3, 0xMNNFFPPSL for 1.x.
            var v = SafeEvpPKeyHandle.OpenSslVersion;
            var major = (v >> 28) & 0xF;
            var minor = (v >> 20) & 0xFF;
            var patch = major >= 3 ? (v >> 4) & 0xFF : (v >> 12) & 0xFF;
            return $"{major}.{minor}.{patch}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static string? DotnetSdkVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(15_000))
            {
                process.Kill();
                return null;
            }

            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
