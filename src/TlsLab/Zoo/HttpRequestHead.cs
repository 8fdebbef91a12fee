namespace TlsLab.Zoo;

/// <summary>The request line and headers of an HTTP/1.1 request.</summary>
internal sealed record HttpRequestHead(string Method, string Target, string Version, IReadOnlyDictionary<string, string> Headers, bool UsedBareLineFeeds)
{
    public string? Host => Headers.TryGetValue("Host", out var host) ? host : null;
}
