using System.Globalization;
using TlsLab.Tests.Interop;
using TlsLab.Wire;

namespace TlsLab.Tests.Probe;

/// <summary>What one <c>openssl s_client -brief</c> run reported.</summary>
/// <param name="Connected">The handshake finished.</param>
/// <param name="Protocol">"TLSv1.2" and so on, when connected.</param>
/// <param name="Cipher">The suite in OpenSSL's spelling (TLS 1.3 suites keep their IANA names).</param>
/// <param name="Verification">"OK" or the verify error text, when connected.</param>
/// <param name="Run">The whole run, for failure messages.</param>
internal sealed record SClientResult(bool Connected, string? Protocol, string? Cipher, string? Verification, ToolRun Run);

/// <summary>Drives <c>openssl s_client</c> the way the issue asks: one version flag and one cipher list per run.</summary>
internal static class OpenSslClient
{
    private static readonly Lazy<Task<Dictionary<string, ushort>>> Names = new(LoadNamesAsync);

    public static readonly (ushort Version, string Flag)[] Versions =
        [(TlsVersion.Tls10, "-tls1"), (TlsVersion.Tls11, "-tls1_1"), (TlsVersion.Tls12, "-tls1_2"), (TlsVersion.Tls13, "-tls1_3")];

    /// <summary>Connects with <paramref name="options"/> added to -connect, -servername, -verify_hostname, -CAfile and -brief.</summary>
    public static async Task<SClientResult> ConnectAsync(int port, string host, string caFile, IEnumerable<string> options)
    {
        var openssl = OpenSslServer.FindOrSkip();
        string[] arguments = ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", host, "-verify_hostname", host, "-CAfile", caFile,
            "-brief", .. options];
        var run = await ExternalTool.RunAsync(openssl, arguments, standardInput: "", timeout: TimeSpan.FromSeconds(15));
        string? Field(string label) => run.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))
            ?[label.Length..].Trim();
        var protocol = Field("Protocol version:");
        var verification = Field("Verification:") ?? Field("Verification error:");
        return new SClientResult(protocol is not null && run.ExitCode == 0, protocol, Field("Ciphersuite:"), verification, run);
    }

    /// <summary>OpenSSL's name for a suite (TLS 1.2 and older), or null when this OpenSSL does not know it.</summary>
    public static async Task<string?> NameOfAsync(ushort suite) =>
        (await Names.Value).FirstOrDefault(p => p.Value == suite).Key;

    /// <summary>The suite an OpenSSL name stands for.</summary>
    public static async Task<ushort?> CodeOfAsync(string name) =>
        (await Names.Value).TryGetValue(name, out var code) ? code : TlsNames.CipherSuiteByName(name);

    /// <summary>Every TLS 1.2-and-older suite this OpenSSL can offer at security level 0, by OpenSSL name.</summary>
    public static async Task<IReadOnlyCollection<string>> LegacyNamesAsync() =>
        (await Names.Value).Where(p => !TlsNames.IsTls13Suite(p.Value)).Select(p => p.Key).ToArray();

    public static string Flag(ushort version) => Versions.Single(v => v.Version == version).Flag;

    public static string ProtocolName(ushort version) => version switch
    {
        TlsVersion.Tls10 => "TLSv1",
        TlsVersion.Tls11 => "TLSv1.1",
        TlsVersion.Tls12 => "TLSv1.2",
        _ => "TLSv1.3",
    };

    // Lines like "0xC0,0x2B - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 - ECDHE-ECDSA-AES128-GCM-SHA256 TLSv1.2 Kx=ECDH ...".
    private static async Task<Dictionary<string, ushort>> LoadNamesAsync()
    {
        var openssl = OpenSslServer.FindOrSkip();
        var run = await ExternalTool.RunAsync(openssl, ["ciphers", "-stdname", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"]);
        var names = new Dictionary<string, ushort>(StringComparer.Ordinal);
        foreach (var line in run.StandardOutput.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 5 && parts[0].StartsWith("0x", StringComparison.Ordinal) && parts[0].Length == 9)
            {
                var code = (ushort)((byte.Parse(parts[0][2..4], NumberStyles.HexNumber, CultureInfo.InvariantCulture) << 8) |
                    byte.Parse(parts[0][7..9], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                names[parts[4]] = code;
            }
        }

        return names;
    }
}
