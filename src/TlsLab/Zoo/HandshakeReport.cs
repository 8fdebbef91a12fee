using System.Text.Json;
using System.Text.Json.Serialization;
using TlsLab.Wire;

namespace TlsLab.Zoo;

/// <summary>The body of <c>GET /handshake.json</c>: what the server saw of the client's handshake.</summary>
internal sealed record HandshakeReport(
    string Scenario,
    bool Tls,
    string? Protocol,
    string? CipherSuite,
    string? Sni,
    string? Alpn,
    string? ClientCertificate,
    string? Client,
    ClientHelloReport? ClientHello,
    bool? ClientCertificateValid = null,
    string? ClientCertificateProblem = null,
    string? ServerCertificate = null,
    string? ServerCertificateReason = null)
{
    /// <summary>Builds the report from what the lab recorded.</summary>
    public static HandshakeReport From(ConnectionRecord record, bool tls)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new HandshakeReport(
            record.Scenario,
            tls,
            record.Protocol?.ToString(),
            record.CipherSuite?.ToString(),
            record.ServerNameIndication,
            record.Alpn,
            record.ClientCertificateSubject,
            record.Client?.ToString(),
            record.ClientHello is null ? null : ClientHelloReport.From(record.ClientHello),
            record.ClientCertificateValid,
            record.ClientCertificateProblem,
            record.ServerCertificate,
            record.ServerCertificateReason);
    }

    /// <summary>Parses a report a lab endpoint sent.</summary>
    public static HandshakeReport Parse(string json) =>
        JsonSerializer.Deserialize(json, HandshakeReportJson.Default.HandshakeReport)
        ?? throw new FormatException("The handshake report was empty.");

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, HandshakeReportJson.Default.HandshakeReport);
}

/// <summary>What a ClientHello offered, with names rather than numbers.</summary>
internal sealed record ClientHelloReport(
    string LegacyVersion,
    IReadOnlyList<string> Versions,
    IReadOnlyList<string> CipherSuites,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> KeyShareGroups,
    IReadOnlyList<string> SignatureAlgorithms,
    string? Sni,
    IReadOnlyList<string> Alpn)
{
    /// <summary>Names everything a parsed ClientHello offered.</summary>
    public static ClientHelloReport From(ClientHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        return new ClientHelloReport(
            TlsNames.Version(hello.LegacyVersion),
            hello.SupportedVersionNames,
            hello.CipherSuiteNames,
            hello.SupportedGroupNames,
            hello.KeyShareGroupNames,
            hello.SignatureAlgorithmNames,
            hello.ServerName,
            hello.Alpn);
    }
}

/// <summary>
/// Source-generated JSON for the report. File-based apps (<c>dotnet run lesson.cs</c>) turn
/// reflection-based serialization off, so a reflection serializer would fail inside every lesson.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(HandshakeReport))]
internal sealed partial class HandshakeReportJson : JsonSerializerContext;
