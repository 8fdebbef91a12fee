using System.Net;

namespace TlsLab.Zoo;

/// <summary>A running scenario: where it listens and what a client should make of it.</summary>
public sealed record LabEndpoint(Scenario Scenario, IPAddress Address, int Port)
{
    /// <summary>The scenario's name, e.g. <c>good</c>.</summary>
    public string Name => Scenario.Name;

    /// <summary>
    /// The name to validate: set it as <c>TargetHost</c> and connect to <see cref="Address"/>
    /// (names under .localhost do not resolve everywhere, so connect by address).
    /// </summary>
    public string Host => Scenario.Host;

    /// <summary>False for the plaintext endpoint.</summary>
    public bool Tls => Scenario.Tls;

    /// <summary>Whether a correct client trusting only the lab root connects here (false: it refuses, or is refused).</summary>
    public bool ShouldConnect => Scenario.ShouldConnect;

    /// <summary>What it teaches.</summary>
    public string Teaches => Scenario.Teaches;

    /// <summary>The address and port to connect to.</summary>
    public IPEndPoint EndPoint => new(Address, Port);

    /// <summary>The URL, by host name (for browsers and curl with --resolve).</summary>
    public Uri Url => new($"{(Tls ? "https" : "http")}://{Host}:{Port}/");

    /// <summary>A curl command line that trusts only the lab root.</summary>
    internal string CurlCommand(string caPath) => Tls
        ? $"curl --cacert {Quote(caPath)} --resolve {Host}:{Port}:{Address} {Url}"
        : $"curl --resolve {Host}:{Port}:{Address} {Url}";

    /// <summary>An openssl s_client command line that verifies against the lab root and stops on failure.</summary>
    internal string OpenSslCommand(string caPath) =>
        $"openssl s_client -connect {Address}:{Port} -servername {Host} -verify_hostname {Host} -CAfile {Quote(caPath)} -verify_return_error -brief";

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Address}:{Port} ({Host})";

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
