using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace TlsLab.Wire;

/// <summary>
/// A parsed ClientHello: the first thing a TLS client says, and everything it offers in the clear
/// (versions, cipher suites, groups, the server name it wants) before any encryption exists.
/// Immutable; built by <see cref="ClientHelloReader"/>.
/// </summary>
public sealed class ClientHello
{
    internal ClientHello(
        byte[] message,
        ushort legacyVersion,
        Range random,
        Range sessionId,
        ushort[] cipherSuites,
        byte[] compressionMethods,
        TlsExtension[] extensions,
        string? serverName,
        ushort[] supportedVersions,
        ushort[] supportedGroups,
        ushort[] signatureAlgorithms,
        string[] alpn,
        ushort[] keyShareGroups)
    {
        HandshakeMessage = message;
        LegacyVersion = legacyVersion;
        Random = message.AsMemory(random);
        SessionId = message.AsMemory(sessionId);
        CipherSuites = Array.AsReadOnly(cipherSuites);
        CompressionMethods = Array.AsReadOnly(compressionMethods);
        Extensions = Array.AsReadOnly(extensions);
        ServerName = serverName;
        SupportedVersions = Array.AsReadOnly(supportedVersions);
        SupportedGroups = Array.AsReadOnly(supportedGroups);
        SignatureAlgorithms = Array.AsReadOnly(signatureAlgorithms);
        Alpn = Array.AsReadOnly(alpn);
        KeyShareGroups = Array.AsReadOnly(keyShareGroups);

        CipherSuiteNames = Names(cipherSuites, TlsNames.CipherSuite);
        SupportedVersionNames = Names(supportedVersions, TlsNames.Version);
        SupportedGroupNames = Names(supportedGroups, TlsNames.Group);
        SignatureAlgorithmNames = Names(signatureAlgorithms, TlsNames.SignatureScheme);
        KeyShareGroupNames = Names(keyShareGroups, TlsNames.Group);
        ExtensionNames = Names(extensions.Select(e => e.Type).ToArray(), TlsNames.Extension);
    }

    /// <summary>The whole handshake message, including its 4-byte handshake header (type 1 and length).</summary>
    public ReadOnlyMemory<byte> HandshakeMessage { get; }

    /// <summary>
    /// The version field in the hello body. Frozen at TLS 1.2 (0x0303) by TLS 1.3 clients, which announce
    /// what they really support in the supported_versions extension instead, because too many servers broke
    /// when they saw a number they did not know here.
    /// </summary>
    public ushort LegacyVersion { get; }

    /// <summary>32 bytes chosen fresh by the client for every handshake.</summary>
    public ReadOnlyMemory<byte> Random { get; }

    /// <summary>Empty, or up to 32 bytes. TLS 1.3 clients send 32 random bytes here so middleboxes see a familiar shape.</summary>
    public ReadOnlyMemory<byte> SessionId { get; }

    public int SessionIdLength => SessionId.Length;

    /// <summary>Cipher suites in the client's order of preference, GREASE and signalling values included.</summary>
    public IReadOnlyList<ushort> CipherSuites { get; }

    /// <summary>Always just [0] (no compression) from any modern client; compression enabled the CRIME attack.</summary>
    public IReadOnlyList<byte> CompressionMethods { get; }

    /// <summary>Every extension in wire order, undecoded.</summary>
    internal IReadOnlyList<TlsExtension> Extensions { get; }

    /// <summary>The host_name from server_name (SNI): sent in the clear, which is how a network observer learns which site you visit.</summary>
    public string? ServerName { get; }

    public IReadOnlyList<ushort> SupportedVersions { get; }

    public IReadOnlyList<ushort> SupportedGroups { get; }

    public IReadOnlyList<ushort> SignatureAlgorithms { get; }

    /// <summary>Application protocols offered via ALPN, such as "h2" and "http/1.1".</summary>
    public IReadOnlyList<string> Alpn { get; }

    /// <summary>Groups for which the client already sent a key share, betting the server will pick one of them.</summary>
    public IReadOnlyList<ushort> KeyShareGroups { get; }

    public IReadOnlyList<string> CipherSuiteNames { get; }

    public IReadOnlyList<string> SupportedVersionNames { get; }

    public IReadOnlyList<string> SupportedGroupNames { get; }

    public IReadOnlyList<string> SignatureAlgorithmNames { get; }

    public IReadOnlyList<string> KeyShareGroupNames { get; }

    public IReadOnlyList<string> ExtensionNames { get; }

    internal bool HasExtension(ushort type) => Extensions.Any(e => e.Type == type);

    internal bool TryGetExtension(ushort type, out ReadOnlyMemory<byte> data)
    {
        foreach (var extension in Extensions)
        {
            if (extension.Type == type)
            {
                data = extension.Data;
                return true;
            }
        }

        data = default;
        return false;
    }

    /// <summary>
    /// The highest protocol version the client offers: from supported_versions when present (that is
    /// where TLS 1.3 is offered), otherwise legacy_version. GREASE values are ignored.
    /// </summary>
    internal ushort HighestOfferedVersion()
    {
        var real = SupportedVersions.Where(v => !TlsNames.IsGrease(v)).ToArray();
        return real.Length > 0 ? real.Max() : LegacyVersion;
    }

    /// <summary>A compact multi-line summary for printing in a lesson.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"ClientHello, {HandshakeMessage.Length} bytes").AppendLine();
        var versions = SupportedVersions.Count > 0
            ? $"{string.Join(", ", SupportedVersionNames)} (supported_versions)"
            : $"{TlsNames.Version(LegacyVersion)} (legacy_version only)";
        text.Append(CultureInfo.InvariantCulture, $"  Highest version: {TlsNames.Version(HighestOfferedVersion())}; offered: {versions}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  SNI: {ServerName ?? "(none)"}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  ALPN: {(Alpn.Count > 0 ? string.Join(", ", Alpn) : "(none)")}").AppendLine();
        AppendWrapped(text, $"Cipher suites ({CipherSuites.Count})", CipherSuiteNames);
        AppendWrapped(text, "Groups", SupportedGroupNames);
        AppendWrapped(text, "Key shares", KeyShareGroupNames);
        AppendWrapped(text, "Signature algorithms", SignatureAlgorithmNames);
        AppendWrapped(text, $"Extensions ({Extensions.Count})", ExtensionNames);
        return text.ToString().TrimEnd();
    }

    public override string ToString() => Describe();

    private static void AppendWrapped(StringBuilder text, string label, IReadOnlyList<string> items)
    {
        const int width = 100;
        var line = new StringBuilder($"  {label}:");
        if (items.Count == 0)
        {
            line.Append(" (none)");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] + (i < items.Count - 1 ? "," : "");
            if (line.Length + 1 + item.Length > width && line.Length > 4)
            {
                text.Append(line).AppendLine();
                line.Clear().Append("   ");
            }

            line.Append(' ').Append(item);
        }

        text.Append(line).AppendLine();
    }

    private static ReadOnlyCollection<string> Names(ushort[] values, Func<ushort, string> name) =>
        Array.AsReadOnly(Array.ConvertAll(values, v => name(v)));
}
