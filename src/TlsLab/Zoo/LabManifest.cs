using System.Text.Json;
using System.Text.Json.Serialization;

namespace TlsLab.Zoo;

/// <summary>
/// What a running lab serves, as one JSON document (what <c>tlslab serve --json</c> prints), so that
/// a script, a test or an attendee in another language can find every endpoint.
/// </summary>
internal sealed record LabManifest(string Ca, string Bind, IReadOnlyList<ManifestEndpoint> Endpoints, IReadOnlyList<SkippedScenario> Skipped)
{
    /// <summary>Describes a running lab whose root certificate was written to <paramref name="caPath"/>.</summary>
    public static LabManifest From(Lab lab, string caPath)
    {
        ArgumentNullException.ThrowIfNull(lab);
        return new LabManifest(
            caPath,
            lab.Endpoints.Count > 0 ? lab.Endpoints[0].Address.ToString() : string.Empty,
            lab.Endpoints.Select(e => ManifestEndpoint.From(e, caPath)).ToArray(),
            lab.Skipped);
    }

    /// <summary>Reads a manifest printed by <c>tlslab serve --json</c>.</summary>
    public static LabManifest Parse(string json) =>
        JsonSerializer.Deserialize(json, LabManifestJson.Default.LabManifest) ?? throw new FormatException("The lab manifest was empty.");

    /// <summary>The manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, LabManifestJson.Default.LabManifest);
}

/// <summary>One endpoint in the manifest.</summary>
/// <param name="Name">Scenario name.</param>
/// <param name="Host">The name to validate (TargetHost / SNI / --servername).</param>
/// <param name="Address">Where to connect.</param>
/// <param name="Port">The port.</param>
/// <param name="Url">The URL by host name.</param>
/// <param name="Tls">False for the plaintext endpoint.</param>
/// <param name="Expect">"ok" or "reject": what a correct client trusting only the lab root does.</param>
/// <param name="Problem">For "reject": the reason's name (e.g. Expired), else null.</param>
/// <param name="Reason">For "reject": the reason in words, else null.</param>
/// <param name="Teaches">What it teaches.</param>
/// <param name="Protocols">The protocol versions the server accepts.</param>
/// <param name="Curl">A curl command line for it.</param>
/// <param name="OpenSsl">An openssl s_client command line for it (TLS endpoints only).</param>
internal sealed record ManifestEndpoint(
    string Name,
    string Host,
    string Address,
    int Port,
    string Url,
    bool Tls,
    [property: JsonPropertyName("expect")] string Expect,
    string? Problem,
    string? Reason,
    string Teaches,
    IReadOnlyList<string> Protocols,
    string Curl,
    string? OpenSsl)
{
    /// <summary>Describes one running endpoint.</summary>
    public static ManifestEndpoint From(LabEndpoint endpoint, string caPath)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var scenario = endpoint.Scenario;
        string[] protocols = !scenario.Tls ? []
            : [.. new[] { ("TLS 1.2", System.Security.Authentication.SslProtocols.Tls12), ("TLS 1.3", System.Security.Authentication.SslProtocols.Tls13) }
                .Where(p => scenario.Protocols.HasFlag(p.Item2)).Select(p => p.Item1)];
        return new ManifestEndpoint(
            endpoint.Name,
            endpoint.Host,
            endpoint.Address.ToString(),
            endpoint.Port,
            endpoint.Url.ToString(),
            endpoint.Tls,
            endpoint.ShouldConnect ? "ok" : "reject",
            scenario.Rejection?.Problem.ToString(),
            scenario.Rejection?.Summary,
            endpoint.Teaches,
            protocols,
            endpoint.CurlCommand(caPath),
            endpoint.Tls ? endpoint.OpenSslCommand(caPath) : null);
    }
}

/// <summary>Source-generated JSON: file-based apps (<c>dotnet run lesson.cs</c>) turn reflection-based serialization off.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(LabManifest))]
internal sealed partial class LabManifestJson : JsonSerializerContext;
