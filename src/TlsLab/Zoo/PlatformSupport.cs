using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Authentication;

namespace TlsLab.Zoo;

/// <summary>What this machine's TLS stack can do, asked once, so lessons can skip honestly.</summary>
public static class PlatformSupport
{
    private static readonly Lazy<string?> CipherPolicyProblem = new(ProbeCipherSuitesPolicy);

    /// <summary>The TLS library underneath .NET here: OpenSSL on Linux, SChannel on Windows, Apple's stack on macOS.</summary>
    public static string TlsLibrary =>
        OperatingSystem.IsWindows() ? "SChannel (Windows)"
        : OperatingSystem.IsMacOS() ? "Apple Security framework (macOS)"
        : "OpenSSL";

    /// <summary>
    /// Whether TLS 1.3 is available: OpenSSL 1.1.1+ has it; Windows from Windows 11 / Server 2022
    /// (build 20348); .NET on macOS has not offered it through SslStream.
    /// </summary>
    public static bool Tls13 =>
        OperatingSystem.IsWindows() ? OperatingSystem.IsWindowsVersionAtLeast(10, 0, 20348)
        : !OperatingSystem.IsMacOS();

    /// <summary>Why TLS 1.3 is unavailable, or null.</summary>
    public static string? Tls13Problem => Tls13 ? null
        : OperatingSystem.IsWindows() ? "TLS 1.3 needs Windows 11 or Windows Server 2022; this Windows is older."
        : "TLS 1.3 is not available through SslStream on this operating system.";

    /// <summary>Whether a <see cref="CipherSuitesPolicy"/> can be set (not on Windows, where suites are a system setting).</summary>
    /// <remarks>Never true on Windows, and the platform analyzer knows it: code behind this check may call Windows-unsupported APIs.</remarks>
    [UnsupportedOSPlatformGuard("windows")]
    public static bool CipherSuitesPolicy => CipherPolicyProblem.Value is null;

    /// <summary>Why cipher suites cannot be chosen per connection here, or null.</summary>
    public static string? CipherSuitesPolicyProblem => CipherPolicyProblem.Value;

    /// <summary>Why this platform cannot serve <paramref name="scenario"/>, or null when it can.</summary>
    public static string? Problem(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.CbcOnly && !CipherSuitesPolicy)
        {
            return CipherSuitesPolicyProblem;
        }

        if (scenario.Protocols == SslProtocols.Tls13 && !Tls13)
        {
            return Tls13Problem;
        }

        return null;
    }

    private static string? ProbeCipherSuitesPolicy()
    {
        if (OperatingSystem.IsWindows())
        {
            return "Windows chooses cipher suites system-wide (SChannel); an application cannot set a CipherSuitesPolicy.";
        }

        try
        {
            _ = new CipherSuitesPolicy([TlsCipherSuite.TLS_AES_128_GCM_SHA256]);
            return null;
        }
        catch (PlatformNotSupportedException)
        {
            return "This platform's TLS stack does not let an application choose cipher suites (CipherSuitesPolicy).";
        }
    }
}
