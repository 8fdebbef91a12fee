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
/// <c>elapsedMs</c>, <c>stoppedEarly</c>; and, added later, <c>keyExchange</c> {version: {suite: {kind, bits, group}}},
/// <c>otherCertificates</c> [{family, chain, chainComplete, trusted, nameMatches, expired}], <c>ssl3</c>, <c>fallbackScsv</c>,
/// <c>secureRenegotiation</c>, <c>compression</c>, <c>revocation</c>. null means "could not be seen". When nothing could be probed the
/// document is <c>{target, error, exitCode}</c> instead (<see cref="WriteError"/>): standard output always holds one JSON object.
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
            ["chain"] = Chain(result.Chain),
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
            ["keyExchange"] = Object(result.KeyExchange.GroupBy(k => k.Key.Version).OrderBy(g => g.Key).Select(g => (TlsNames.Version(g.Key),
                (JsonNode?)Object(g.Select(k => (TlsNames.CipherSuite(k.Key.Suite), (JsonNode?)new JsonObject
                {
                    ["kind"] = k.Value.Kind,
                    ["bits"] = k.Value.Bits,
                    ["group"] = k.Value.Group,
                })))))),
            ["otherCertificates"] = new JsonArray(result.OtherCertificates.Select(o => (JsonNode)new JsonObject
            {
                ["family"] = o.Family,
                ["chain"] = Chain(o.Chain),
                ["chainComplete"] = o.ChainComplete,
                ["trusted"] = o.Trusted,
                ["nameMatches"] = o.NameMatches,
                ["expired"] = o.Expired,
            }).ToArray()),
            ["revocation"] = result.Primary.Revoked is { } revoked ? (revoked ? "revoked" : "good") : result.Primary.NamesRevocationService ? "unknown" : null,
            ["ssl3"] = result.Ssl3,
            ["fallbackScsv"] = result.FallbackScsv,
            ["secureRenegotiation"] = result.SecureRenegotiation,
            ["compression"] = result.Compression,
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

    /// <summary>The document printed instead of a probe when none could be made: the same one sentence as on standard error.</summary>
    public static string WriteError(string target, string error, int exitCode) => new JsonObject
    {
        ["target"] = target,
        ["error"] = error,
        ["exitCode"] = exitCode,
    }.ToJsonString(Indented);

    private static JsonArray Chain(IEnumerable<CertificateInfo> chain) => new(chain.Select(c => (JsonNode)new JsonObject
    {
        ["subject"] = c.Subject,
        ["issuer"] = c.Issuer,
        ["notBefore"] = c.NotBefore.ToString("O", CultureInfo.InvariantCulture),
        ["notAfter"] = c.NotAfter.ToString("O", CultureInfo.InvariantCulture),
        ["keyType"] = c.KeyType,
        ["keyBits"] = c.KeyBits,
        ["signatureAlgorithm"] = c.SignatureAlgorithm,
        ["sans"] = Array(c.Sans),
    }).ToArray());

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
