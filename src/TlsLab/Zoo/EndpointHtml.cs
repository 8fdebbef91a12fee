using System.Net;
using System.Text;

namespace TlsLab.Zoo;

/// <summary>
/// What an endpoint answers a browser (a request that accepts text/html): the plaintext endpoint shows the
/// whole zoo as badssl.com's front page does, a list of links the page itself tries; every TLS endpoint shows
/// what was negotiated and what the browser's ClientHello offered. curl and the lessons keep the plain text.
/// </summary>
internal static class EndpointHtml
{
    /// <summary>True when the request prefers a page: browsers send <c>Accept: text/html,...</c>, curl sends <c>*/*</c>.</summary>
    public static bool Wanted(HttpRequestHead request) =>
        request.Headers.TryGetValue("Accept", out var accept) && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>The zoo's front page: every scenario, its link, what a correct client does, and what this browser decided.</summary>
    public static string Zoo(IReadOnlyList<LabEndpoint> endpoints)
    {
        var rows = new StringBuilder();
        foreach (var e in endpoints)
        {
            var expected = e.ShouldConnect ? "connects" : $"refuses: {e.Scenario.Rejection?.Summary ?? "see the lab's notes"}";
            var known = BrowsersDiffer.TryGetValue(e.Name, out var why) ? $" data-known=\"{E(why)}\"" : string.Empty;
            var tried = e.Tls
                ? $"<td class=\"verdict\" data-scenario=\"{E(e.Name)}\" data-expect=\"{Expect(e.ShouldConnect)}\"{known} " +
                    $"data-probe=\"{E(new Uri(e.Url, "handshake.json").ToString())}\">trying ...</td>"
                : "<td class=\"verdict\" data-scenario=\"plaintext\" data-expect=\"ok\" data-verdict=\"connected\" data-agrees=\"yes\">connected " +
                    "(this page): agrees</td>";
            rows.Append("<tr><td><a href=\"").Append(E(e.Url.ToString())).Append("\">").Append(E(e.Name)).Append("</a></td><td>")
                .Append(E(expected)).Append("</td>").Append(tried).Append("<td>").Append(E(e.Teaches)).Append("</td></tr>\n");
            foreach (var also in e.Scenario.AlsoTry)
            {
                var url = new UriBuilder(e.Url) { Host = also.Host }.Uri;
                rows.Append("<tr><td><a href=\"").Append(E(url.ToString())).Append("\">").Append(E(e.Name)).Append(" as ").Append(E(also.Host))
                    .Append("</a></td><td>").Append(also.Accepted ? "connects" : "refuses: name mismatch").Append("</td>")
                    .Append($"<td class=\"verdict\" data-also=\"{E(also.Host)}\" data-expect=\"{Expect(also.Accepted)}\" ")
                    .Append($"data-probe=\"{E(new Uri(url, "handshake.json").ToString())}\">trying ...</td>")
                    .Append("<td>").Append(E($"The same endpoint under another name: {also.Why}.")).Append("</td></tr>\n");
            }
        }

        var body = $$"""
            <h1>The tlslab zoo</h1>
            <p>Each link is an endpoint of the lab on this machine. A correct client that trusts only the lab root connects
            to some and refuses the others, for the reason given. The third column is what <em>this browser</em> decided
            just now (it fetched each endpoint's <code>/handshake.json</code> from this page), and whether that agrees with a
            correct client: <span class="yes">green</span> where it agrees, <span class="no">red</span> where it does not
            (a browser that connects to <code>expired</code> is wrong, however green "connected" may sound), and
            <span class="known">amber</span> where browsers are known to differ, for the reasons below.</p>
            <p>A browser differs from a careful .NET client in known places: <code>cbc-only</code> is refused because
            browsers offer no CBC suite with an ECDSA certificate; <code>client-cert-required</code> is refused because
            the browser has no client certificate to send (.NET on Linux then closes without an alert; the browser shows an
            empty response); <code>revoked</code> connects, because browsers do not ask the lab's CRL or OCSP responder;
            and <code>cn-only</code> is refused here, as by every browser since 2017, while .NET on Linux, OpenSSL, curl
            and Python still accept a name found only in the CN.</p>
            <p><code>alpn</code> chooses <code>h2</code> when your browser offers it, but the lab speaks only HTTP/1.1: it
            answers the HTTP/2 request with the error HTTP_1_1_REQUIRED, and the browser asks again over HTTP/1.1 on a new
            connection, so its handshake.json says <code>http/1.1</code>. Here <code>h2</code> is only the name agreed on.</p>
            <table>
            <tr><th>scenario</th><th>a correct client</th><th>this browser</th><th>what it teaches</th></tr>
            {{rows}}</table>
            <script>
            for (const cell of document.querySelectorAll('td[data-probe]')) {
              fetch(cell.dataset.probe, { cache: 'no-store' })
                .then(r => r.json())
                .then(j => judge(cell, 'connected', 'connected (' + (j.protocol || 'TLS') + ')'))
                .catch(() => judge(cell, 'refused', 'refused'));
            }
            // What matters is not whether the browser connected but whether it decided as a correct client does.
            function judge(cell, verdict, text) {
              const agrees = (verdict === 'connected') === (cell.dataset.expect === 'ok');
              cell.dataset.verdict = verdict;
              cell.dataset.agrees = agrees ? 'yes' : cell.dataset.known ? 'known' : 'no';
              cell.textContent = text + (agrees ? ': agrees with a correct client'
                : cell.dataset.known ? ': differs, as browsers do (' + cell.dataset.known + ')'
                : cell.dataset.expect === 'ok' ? ': a correct client connects' : ': WRONG, a correct client refuses');
            }
            </script>
            """;
        return Page("tlslab zoo", body);
    }

    /// <summary>A TLS endpoint's page: the scenario, what was negotiated, what the browser offered.</summary>
    public static string Endpoint(Scenario scenario, ConnectionRecord record)
    {
        var hello = record.ClientHello;
        var offered = hello is null
            ? "<p>The lab could not read your ClientHello.</p>"
            : $"""
              <h2>What your browser offered (its ClientHello)</h2>
              <table>
              <tr><td>versions</td><td>{E(string.Join(", ", hello.SupportedVersionNames))}</td></tr>
              <tr><td>cipher suites ({hello.CipherSuiteNames.Count})</td><td>{E(string.Join(", ", hello.CipherSuiteNames))}</td></tr>
              <tr><td>groups</td><td>{E(string.Join(", ", hello.SupportedGroupNames))}</td></tr>
              <tr><td>ALPN</td><td>{E(string.Join(", ", hello.Alpn))}</td></tr>
              </table>
              """;
        var body = $"""
            <h1>tlslab scenario <code>{E(scenario.Name)}</code></h1>
            <p>{E(scenario.Teaches)}</p>
            <h2>What you negotiated</h2>
            <table>
            <tr><td>protocol</td><td>{E(record.Protocol?.ToString() ?? "(none)")}</td></tr>
            <tr><td>cipher suite</td><td>{E(record.CipherSuite?.ToString() ?? "(none)")}</td></tr>
            <tr><td>the name you sent (SNI)</td><td>{E(record.ServerNameIndication ?? "(none)")}</td></tr>
            <tr><td>ALPN</td><td>{E(record.Alpn ?? "(none)")}</td></tr>
            <tr><td>your client certificate</td><td>{E(EndpointPages.ClientCertificate(scenario, record) ?? "(none)")}</td></tr>
            <tr><td>the server's certificate</td><td>{E(EndpointPages.ServerCertificate(record) ?? "(none)")}</td></tr>
            </table>
            {offered}
            <p>Everything the server saw, as JSON: <a href="/handshake.json">/handshake.json</a>.</p>
            """;
        return Page($"tlslab: {scenario.Name}", body);
    }

    private static string Page(string title, string body) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
        <style>body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em}
        td,th{text-align:left;vertical-align:top;padding:.2em .6em;border-bottom:1px solid #ccc}
        td[data-agrees=yes],.yes{color:#1a7f37} td[data-agrees=no],.no{color:#cf222e;font-weight:bold} td[data-agrees=known],.known{color:#9a6700}</style>
        </head><body>
        {{body}}
        </body></html>
        """;

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Expect(bool connects) => connects ? "ok" : "reject";

    /// <summary>Where every browser decides differently from a careful client that trusts only the lab root, and why.</summary>
    internal static readonly IReadOnlyDictionary<string, string> BrowsersDiffer = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cbc-only"] = "browsers offer no CBC suite with an ECDSA certificate",
        ["revoked"] = "browsers do not ask the lab's CRL or OCSP responder",
    };
}
