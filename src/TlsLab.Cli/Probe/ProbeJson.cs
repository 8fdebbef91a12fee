using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>
/// The probe as one JSON document (<c>tlslab probe --json</c>). The field names are stable, in this order:
/// <c>target</c>, <c>address</c>, <c>serverName</c>, <c>protocols</c> {version: bool}, <c>cipherSuites</c>
/// {version: [IANA names, server's order]}, <c>serverPreference</c> {version: bool|null}, <c>groups</c> [names],
/// <c>groupPicked</c>, <c>chain</c> [{subject, issuer, notBefore, notAfter, keyType, keyBits, signatureAlgorithm,
/// sans}], <c>chainComplete</c>, <c>chainInOrder</c>, <c>trusted</c>, <c>trustSource</c>, <c>nameMatches</c>,
/// <c>alpn</c> [names], <c>ocspStapled</c>, <c>clientCertRequested</c>, <c>sessionTickets</c>, <c>hstsMaxAge</c>,
/// <c>grade</c>, <c>gradeIfTrusted</c>, <c>score</c>, <c>findings</c> [{id, severity, text}], <c>attempts</c>,
/// <c>elapsedMs</c>, <c>stoppedEarly</c>. null means "could not be seen".
/// </summary>
internal static class ProbeJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(ProbeResult result, ProbeVerdict verdict)
    {
        var document = new JsonObject
        {
            ["target"] = result.Target,
            ["address"] = result.EndPoint.ToString(),
            ["serverName"] = result.ServerName,
            ["protocols"] = Object(result.Protocols.Select(p => (TlsNames.Version(p.Key), (JsonNode?)p.Value))),
            ["cipherSuites"] = Object(result.CipherSuites.Select(p => (TlsNames.Version(p.Key), (JsonNode?)Array(p.Value.Select(TlsNames.CipherSuite))))),
            ["serverPreference"] = Object(result.ServerPreference.Select(p => (TlsNames.Version(p.Key), (JsonNode?)p.Value))),
            ["groups"] = Array(result.Groups.Select(TlsNames.Group)),
            ["groupPicked"] = result.GroupPicked is { } g ? TlsNames.Group(g) : null,
            ["chain"] = new JsonArray(result.Chain.Select(c => (JsonNode)new JsonObject
            {
                ["subject"] = c.Subject,
                ["issuer"] = c.Issuer,
                ["notBefore"] = c.NotBefore.ToString("O", CultureInfo.InvariantCulture),
                ["notAfter"] = c.NotAfter.ToString("O", CultureInfo.InvariantCulture),
                ["keyType"] = c.KeyType,
                ["keyBits"] = c.KeyBits,
                ["signatureAlgorithm"] = c.SignatureAlgorithm,
                ["sans"] = Array(c.Sans),
            }).ToArray()),
            ["chainComplete"] = result.ChainComplete,
            ["chainInOrder"] = result.ChainInOrder,
            ["trusted"] = result.Trusted,
            ["trustSource"] = result.TrustSource,
            ["nameMatches"] = result.NameMatches,
            ["alpn"] = result.AlpnSeen ? Array(result.Alpn) : null,
            ["ocspStapled"] = result.OcspStapled,
            ["clientCertRequested"] = result.ClientCertRequested,
            ["sessionTickets"] = result.SessionTickets,
            ["hstsMaxAge"] = result.HstsMaxAge,
            ["grade"] = verdict.Grade,
            ["gradeIfTrusted"] = verdict.GradeIfTrusted,
            ["score"] = verdict.Score,
            ["findings"] = new JsonArray(verdict.Findings.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = f.Id,
                ["severity"] = f.Severity,
                ["text"] = f.Text,
            }).ToArray()),
            ["attempts"] = result.Attempts,
            ["elapsedMs"] = (long)result.Elapsed.TotalMilliseconds,
            ["stoppedEarly"] = result.StoppedEarly,
        };
        return document.ToJsonString(Indented);
    }

    private static JsonObject Object(IEnumerable<(string Key, JsonNode? Value)> pairs)
    {
        var o = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            o[key] = value;
        }

        return o;
    }

    private static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());
}
