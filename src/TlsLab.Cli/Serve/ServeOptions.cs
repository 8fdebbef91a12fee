using System.Net;

namespace TlsLab.Cli.Serve;

/// <summary>What <c>tlslab serve</c> was asked to do, after parsing.</summary>
internal sealed record ServeOptions(
    bool Json,
    string OutputDirectory,
    IPAddress Bind,
    int? BasePort,
    IReadOnlyList<string>? Scenarios,
    TimeSpan HandshakeTimeout,
    string? ExportDirectory = null,
    string? KeyLogFile = null,
    string? Attacker = null);
