using System.Text.RegularExpressions;

namespace TlsLab.Tests.Interop;

/// <summary>A real TLS peer found on this machine.</summary>
/// <param name="Path">The program to run.</param>
/// <param name="Version">What it says about itself (first line of its version output).</param>
public sealed record Peer(string Path, string Version);

/// <summary>
/// Finds openssl, curl and python3 once per test run and says, in a sentence a learner can act
/// on, why a test is skipped when one is missing or is not the kind these tests read.
/// </summary>
public static partial class Peers
{
    private static readonly Lazy<Task<(Peer? Peer, string? Why)>> OpenSslProbe = new(() => Guarded("openssl", ProbeOpenSslAsync));
    private static readonly Lazy<Task<(Peer? Peer, string? Why)>> CurlProbe = new(() => Guarded("curl", ProbeCurlAsync));
    private static readonly Lazy<Task<(Peer? Peer, string? Why)>> PythonProbe = new(() => Guarded("python3", ProbePythonAsync));

    /// <summary>OpenSSL 1.1.1 or newer (not LibreSSL: its s_client prints differently), or the test is skipped.</summary>
    public static Task<Peer> OpenSslAsync() => RequireAsync(OpenSslProbe);

    /// <summary>curl (any TLS backend), or the test is skipped.</summary>
    public static async Task<Peer> CurlAsync()
    {
        var (peer, why) = await CurlProbe.Value.ConfigureAwait(false);
        if (peer is null)
        {
            Assert.Skip(why!);
        }

        return peer;
    }

    /// <summary>
    /// curl built on OpenSSL, or the test is skipped: its error texts and <c>%{ssl_verify_result}</c>
    /// are OpenSSL's. Other builds differ: Windows' curl.exe (Schannel) also checks revocation,
    /// which the offline lab cannot answer, and takes client certificates from the certificate
    /// store; macOS's curl is built on LibreSSL.
    /// </summary>
    public static async Task<Peer> CurlWithOpenSslAsync()
    {
        var peer = await CurlAsync().ConfigureAwait(false);
        if (!peer.Version.Contains(" OpenSSL/", StringComparison.Ordinal))
        {
            Assert.Skip($"curl here is not built on OpenSSL ({peer.Version}); these tests expect OpenSSL's verify codes, messages and PEM client " +
                "certificates. Install a curl that links OpenSSL to run them.");
        }

        return peer;
    }

    /// <summary>Python 3 with its ssl module, or the test is skipped.</summary>
    public static Task<Peer> PythonAsync() => RequireAsync(PythonProbe);

    private static async Task<Peer> RequireAsync(Lazy<Task<(Peer? Peer, string? Why)>> probe)
    {
        var (peer, why) = await probe.Value.ConfigureAwait(false);
        if (peer is null)
        {
            Assert.Skip(why!);
        }

        return peer;
    }

    // A file on PATH that cannot be started (wrong architecture, no execute permission) is a reason to skip, not a crash.
    private static async Task<(Peer? Peer, string? Why)> Guarded(string name, Func<Task<(Peer?, string?)>> probe)
    {
        try
        {
            return await probe().ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return (null, $"{name} was found on PATH but could not be run: {e.Message}");
        }
    }

    private static async Task<(Peer?, string?)> ProbeOpenSslAsync()
    {
        const string install = "install OpenSSL 1.1.1 or newer and put it first on PATH (Debian/Ubuntu: apt install openssl; macOS: brew install " +
            "openssl@3) to run the openssl interop tests.";
        if (ExternalTool.Find("openssl") is not { } path)
        {
            return (null, $"openssl is not on PATH. {install}");
        }

        var run = await ExternalTool.RunAsync(path, ["version"], timeout: TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var version = FirstLine(run.StandardOutput);
        var match = OpenSslVersion().Match(version);
        if (run.ExitCode != 0 || !match.Success)
        {
            return (null, $"'{path}' says '{version}', which is not OpenSSL (macOS ships LibreSSL as openssl). {install}");
        }

        var (major, minor, patch) = (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value));
        if (major < 1 || (major == 1 && (minor < 1 || (minor == 1 && patch < 1))))
        {
            return (null, $"'{path}' is {version}; TLS 1.3 and these s_client options need OpenSSL 1.1.1 or newer. {install}");
        }

        return (new Peer(path, version), null);
    }

    private static async Task<(Peer?, string?)> ProbeCurlAsync()
    {
        if (ExternalTool.Find("curl") is not { } path)
        {
            return (null, "curl is not on PATH. Install curl (Debian/Ubuntu: apt install curl) to run the curl interop tests.");
        }

        var run = await ExternalTool.RunAsync(path, ["--version"], timeout: TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var version = FirstLine(run.StandardOutput);
        return run.ExitCode == 0 && version.StartsWith("curl ", StringComparison.Ordinal)
            ? (new Peer(path, version), null)
            : (null, $"'{path} --version' did not answer like curl ({run.Describe()}).");
    }

    private static async Task<(Peer?, string?)> ProbePythonAsync()
    {
        const string install = "install Python 3 (Debian/Ubuntu: apt install python3) to run the Python interop tests.";
        foreach (var name in OperatingSystem.IsWindows() ? new[] { "python3", "python" } : ["python3"])
        {
            if (ExternalTool.Find(name) is not { } path)
            {
                continue;
            }

            // -I: isolated, so no user site-packages or PYTHON* variables change what runs.
            var run = await ExternalTool.RunAsync(path, ["-I", "-c", "import ssl, sys; print(sys.version.split()[0], ssl.OPENSSL_VERSION); " +
                "print(sys.executable)"], timeout: TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            var lines = run.StandardOutput.Trim().Split('\n');
            var version = lines[0].Trim();
            if (run.ExitCode == 0 && version.StartsWith('3'))
            {
                // PATH may hold a launcher (pyenv shim, py.exe) that costs a few hundred ms per run; use the interpreter itself.
                var interpreter = lines.Length > 1 && File.Exists(lines[^1].Trim()) ? lines[^1].Trim() : path;
                return (new Peer(interpreter, "Python " + version), null);
            }

            return (null, $"'{path}' is not a working Python 3 with the ssl module ({FirstLine(run.Output)}). {install}");
        }

        return (null, $"python3 is not on PATH. {install}");
    }

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim();

    [GeneratedRegex(@"^OpenSSL (\d+)\.(\d+)\.(\d+)")]
    private static partial Regex OpenSslVersion();
}
