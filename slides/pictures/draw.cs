#:project ../../src/TlsLab/TlsLab.csproj
// Draws the deck's pictures from one real connection to the lab, as SVG files next to this script:
//
//   dotnet run slides/pictures/draw.cs             # redraw slides/pictures/*.svg (commit them)
//   dotnet run slides/pictures/draw.cs -- --check  # redraw in memory; exit 1 and name each committed picture that is stale
//
// handshake.svg    the TLS 1.3 handshake as a sequence diagram: every record of the connection, who sent it, what it carries,
//                  where each side starts encrypting and the secret that opens each encrypted record
// chain.svg        the chain of trust: root, intermediate and leaf as the client built it, and what each one signs
// clienthello.svg  every byte of the ClientHello, coloured by field, with each field and extension named
// eavesdrop.svg    the eavesdropper's view of each record (header, length, first bytes) next to the same record decrypted
//
// How the pictures stay checkable although every run differs. A run starts a fresh lab (new keys, new serial numbers, a
// random port) and a fresh handshake (new randoms, key shares, session id, signatures; the certificates and signatures
// change length by a byte or two). So the pictures draw structure that does not vary from run to run: which records,
// in which order, from which side, their types, message names, certificate names, algorithms, field names and the
// lengths of fixed fields. Ports, dates and thumbprints are never drawn. Values that vary and are worth seeing (random
// bytes, ciphertext, record lengths) are drawn, but every one of them is a text element of class "v". --check (run
// by tests/TlsLab.Slides.Tests) empties every class="v" element in the redrawn and the committed SVG and compares the
// rest byte for byte: a picture is stale when anything else changed, say a record more, another suite, a renamed field.
// The pictures depend on the TLS stack of the machine that draws them (the ClientHello is OpenSSL's, through .NET): draw
// and check them on Linux, where .NET can log the keys that open the records. Elsewhere the script says so and exits 2.
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using TlsLab.Client;
using TlsLab.Formatting;
using TlsLab.Wire;
using TlsLab.Zoo;

var check = args.Contains("--check");
var folder = Path.GetDirectoryName(Path.GetFullPath(ScriptPath()))!;
var work = Directory.CreateTempSubdirectory("tlslab-pictures-");
try
{
    var keyLog = Path.Combine(work.FullName, "keys.log");
    if (await TlsClient.TryEnableKeyLogAsync(keyLog) is { } problem)
    {
        Console.Error.WriteLine($"cannot draw the pictures here: {problem}");
        return 2;
    }

    await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"], KeyLogFile = keyLog });
    await using var tap = await RecordingTap.StartAsync(lab["good"].EndPoint);
    X509Certificate2? leaf = null;
    var options = lab.CreateClientOptions("good");
    options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
    {
        leaf = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return errors == SslPolicyErrors.None; // the lab's chain policy still decides; this only keeps the leaf
    };
    var outcome = await TlsClient.ConnectAsync(tap.EndPoint, options, "/");
    var connection = await tap.WaitForConnectionAsync();
    await connection.Closed;
    if (!outcome.Succeeded || leaf is null || outcome.Validation is null)
    {
        Console.Error.WriteLine($"the connection to good failed, so there is nothing to draw: {outcome.Explanation}");
        return 1;
    }

    var records = Records.Parse(TlsViews.Decrypted(connection.Transcript, keyLog).ToText());
    var pictures = new Dictionary<string, string>
    {
        ["handshake.svg"] = Pictures.Handshake(records),
        ["chain.svg"] = Pictures.Chain(lab.Pki.RootCertificate, lab.Pki.Intermediate.PublicCertificate, leaf),
        ["clienthello.svg"] = Pictures.ClientHello(connection.Transcript.BytesSent),
        ["eavesdrop.svg"] = Pictures.Eavesdrop(records),
    };

    var stale = new List<string>();
    foreach (var (name, svg) in pictures)
    {
        var path = Path.Combine(folder, name);
        if (!check)
        {
            File.WriteAllText(path, svg);
            Console.WriteLine($"wrote slides/pictures/{name}");
        }
        else if (!File.Exists(path) || Svg.Stable(File.ReadAllText(path)) != Svg.Stable(svg))
        {
            stale.Add(name);
        }
    }

    if (check)
    {
        Console.WriteLine(stale.Count == 0
            ? $"the {pictures.Count} pictures are current"
            : $"stale: {string.Join(", ", stale)}. Redraw them with: dotnet run slides/pictures/draw.cs, and commit the SVGs.");
    }

    return stale.Count == 0 ? 0 : 1;
}
finally
{
    work.Delete(recursive: true);
}

static string ScriptPath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

/// <summary>One record of the connection, as the annotated view describes it.</summary>
internal sealed record Record(bool FromClient, string Name, int Length, string? Secret, string Header, string Detail);

internal static partial class Records
{
    public static List<Record> Parse(string view)
    {
        var lines = view.Split('\n').Select(l => l.TrimEnd()).ToList();
        var records = new List<Record>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (RecordLine().Match(lines[i]) is not { Success: true } m)
            {
                continue;
            }

            var block = lines.Skip(i + 1).TakeWhile(l => !RecordLine().IsMatch(l)).ToList();
            var header = block.Select(l => HeaderLine().Match(l)).FirstOrDefault(h => h.Success)?.Groups[1].Value ?? string.Empty;
            var secret = m.Groups[5].Value is var s && s.StartsWith("encrypted; opened with ", StringComparison.Ordinal)
                ? s["encrypted; opened with ".Length..].Split(' ')[0] : null;
            records.Add(new Record(m.Groups[1].Value == ">>>", m.Groups[3].Value, int.Parse(m.Groups[4].Value), secret, header,
                Detail(m.Groups[3].Value, block)));
        }

        return records;
    }

    private static string Detail(string name, List<string> block)
    {
        string Find(string marker) => block.FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim() : string.Empty;
        return name switch
        {
            "ClientHello" => "SNI " + Find("extension server_name (0)").Split(':')[0],
            "ServerHello" => Find("cipher suite").Split(' ')[0],
            "Certificate" => "leaf " + Find("subject O=TlsLab Workshop, CN=").Split(',')[0] + ", then the intermediate",
            "Application data" => Find("first line:"),
            _ => string.Empty,
        };
    }

    [GeneratedRegex(@"^\s*(>>>|<<<) (client -> server|server -> client): record (?:\d+): (.+?) \((\d+) bytes, ([^)]*)")]
    private static partial Regex RecordLineCore();

    private static Regex RecordLine() => RecordLineCore();

    [GeneratedRegex(@"record header\s+([0-9a-f]{10}):")]
    private static partial Regex HeaderLine();
}

/// <summary>Tiny SVG writer: fixed positions, one font, volatile values tagged class="v".</summary>
internal static partial class Svg
{
    public const string Client = "#1f618d";
    public const string Server = "#b9770e";
    public const string Sealed = "#7d3c98";

    public static StringBuilder Start(int width, int height, string title)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" "))
            .Append("font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"18\">\n")
            .Append("<style>.m{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}.s{font-size:14px;fill:#555}</style>\n")
            .Append(CultureInfo($"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n"));
        Text(svg, 20, 30, title, weight: "bold", size: 22);
        return svg;
    }

    public static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    public static void Text(StringBuilder svg, int x, int y, string text, string fill = "#222", int size = 18, string weight = "normal",
        string anchor = "start", string cls = "")
    {
        svg.Append(CultureInfo($"<text x=\"{x}\" y=\"{y}\" fill=\"{fill}\" font-size=\"{size}\" font-weight=\"{weight}\" text-anchor=\"{anchor}\""))
            .Append(cls.Length > 0 ? $" class=\"{cls}\"" : string.Empty).Append('>').Append(Escape(text)).Append("</text>\n");
    }

    public static void Rect(StringBuilder svg, int x, int y, int width, int height, string fill, string stroke = "none", int radius = 4) =>
        svg.Append(CultureInfo($"<rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\" rx=\"{radius}\" fill=\"{fill}\" stroke=\"{stroke}\"/>\n"));

    public static void Line(StringBuilder svg, int x1, int y1, int x2, int y2, string stroke, int width = 2, string dash = "") =>
        svg.Append(CultureInfo($"<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"{stroke}\" stroke-width=\"{width}\""))
            .Append(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : string.Empty).Append("/>\n");

    public static void Arrow(StringBuilder svg, int x1, int x2, int y, string stroke)
    {
        Line(svg, x1, y, x2, y, stroke, 3);
        var back = x2 > x1 ? -12 : 12;
        svg.Append(CultureInfo($"<polygon points=\"{x2},{y} {x2 + back},{y - 7} {x2 + back},{y + 7}\" fill=\"{stroke}\"/>\n"));
    }

    /// <summary>The SVG with every volatile value emptied: what --check compares.</summary>
    public static string Stable(string svg) => Volatile().Replace(svg.Replace("\r\n", "\n", StringComparison.Ordinal), "$1</text>");

    private static string CultureInfo(FormattableString text) => FormattableString.Invariant(text);

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    [GeneratedRegex("(<text [^>]*class=\"(?:m )?v\"[^>]*>)[^<]*</text>")]
    private static partial Regex Volatile();
}

internal static class Pictures
{
    public static string Handshake(List<Record> records)
    {
        const int clientX = 190, serverX = 1090, top = 90, row = 40;
        var height = top + (records.Count * row) + 88;
        var svg = Svg.Start(1280, height, "One TLS 1.3 connection to good.localhost, record by record");
        Svg.Text(svg, clientX, 66, "client (.NET SslStream)", Svg.Client, weight: "bold", anchor: "middle");
        Svg.Text(svg, serverX, 66, "server (the lab's good)", Svg.Server, weight: "bold", anchor: "middle");
        Svg.Line(svg, clientX, 76, clientX, height - 20, "#bbb", 2);
        Svg.Line(svg, serverX, 76, serverX, height - 20, "#bbb", 2);
        var y = top;
        bool clientSealed = false, serverSealed = false;
        foreach (var record in records)
        {
            y += row;
            if (record.Secret is not null && !(record.FromClient ? clientSealed : serverSealed))
            {
                y += 24;
                Svg.Line(svg, record.FromClient ? clientX : serverX - 420, y - 30, record.FromClient ? clientX + 420 : serverX, y - 30, Svg.Sealed, 1, "6 4");
                Svg.Text(svg, record.FromClient ? clientX + 8 : serverX - 8, y - 36, (record.FromClient ? "the client" : "the server") +
                    " encrypts from here", Svg.Sealed, 14, anchor: record.FromClient ? "start" : "end");
                _ = record.FromClient ? clientSealed = true : serverSealed = true;
            }

            var colour = record.Secret is null ? (record.FromClient ? Svg.Client : Svg.Server) : Svg.Sealed;
            Svg.Arrow(svg, record.FromClient ? clientX : serverX, record.FromClient ? serverX : clientX, y, colour);
            Svg.Text(svg, 640, y - 8, record.Name + (record.Detail.Length > 0 ? $": {record.Detail}" : string.Empty), colour, 17, anchor: "middle");
            Svg.Text(svg, record.FromClient ? clientX - 12 : serverX + 12, y + 5, record.Secret is null ? "in the clear" : Short(record.Secret),
                colour, 13, anchor: record.FromClient ? "end" : "start");
        }

        return Svg.End(svg);
    }

    private static string Short(string secret) => secret switch
    {
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET" => "client hs key",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET" => "server hs key",
        "CLIENT_TRAFFIC_SECRET_0" => "client app key",
        "SERVER_TRAFFIC_SECRET_0" => "server app key",
        _ => secret.ToLowerInvariant(),
    };

    public static string Chain(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 leaf)
    {
        var svg = Svg.Start(1280, 330, "The chain of trust the client builds for good.localhost, and what each certificate signs");
        var boxes = new[]
        {
            (root, "root", "in the client's trust store (the lab root)", string.Empty, "signs itself and the intermediate"),
            (intermediate, "intermediate", "sent by the server, after the leaf", string.Empty, "signs the leaf"),
            (leaf, "leaf", "sent by the server first", "names: " + string.Join(", ", Names(leaf)), "signs the handshake (CertificateVerify)"),
        };
        var x = 30;
        foreach (var (certificate, role, where, names, signs) in boxes)
        {
            var colour = role == "leaf" ? Svg.Server : Svg.Client;
            Svg.Rect(svg, x, 50, 380, 210, "#f7f9fb", colour, 8);
            Svg.Text(svg, x + 16, 80, role, colour, 20, "bold");
            Svg.Text(svg, x + 16, 108, certificate.GetNameInfo(X509NameType.SimpleName, false), size: 17, weight: "bold");
            Svg.Text(svg, x + 16, 136, "issued by " + certificate.GetNameInfo(X509NameType.SimpleName, true), size: 15);
            Svg.Text(svg, x + 16, 162, $"{KeyName(certificate)} key" + (Ca(certificate) is { } ca ? $", {ca}" : string.Empty), size: 15);
            Svg.Text(svg, x + 16, 188, "signed with " + certificate.SignatureAlgorithm.FriendlyName, size: 15);
            Svg.Text(svg, x + 16, 214, where, "#555", 14);
            Svg.Text(svg, x + 16, 238, names, "#555", 13);
            Svg.Text(svg, x + 190, 292, signs, colour, 17, "bold", "middle");
            if (role != "leaf")
            {
                Svg.Arrow(svg, x + 382, x + 418, 155, colour);
            }

            x += 420;
        }

        return Svg.End(svg);
    }

    private static IEnumerable<string> Names(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(san => san.EnumerateDnsNames()
            .Concat(san.EnumerateIPAddresses().Select(ip => ip.ToString())));

    private static string KeyName(X509Certificate2 certificate) =>
        certificate.GetECDsaPublicKey() is { } ec ? $"ECDSA P-{ec.KeySize}" :
        certificate.GetRSAPublicKey() is { } rsa ? $"RSA {rsa.KeySize}" : certificate.PublicKey.Oid.FriendlyName ?? "?";

    private static string? Ca(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true } bc
            ? "CA" + (bc.HasPathLengthConstraint ? FormattableString.Invariant($" (path length {bc.PathLengthConstraint})") : string.Empty)
            : null;

    public static string ClientHello(byte[] sent)
    {
        var fields = HelloFields(sent);
        const int perRow = 16, cell = 30, left = 40, top = 70, rowHeight = 25;
        var rows = (fields[^1].End + perRow - 1) / perRow;
        var height = Math.Max(top + (rows * rowHeight) + 40, top + (fields.Count * 22) + 20);
        var svg = Svg.Start(1280, height, $"Every byte of the ClientHello ({fields[^1].End} bytes; faded: new random bytes every connection)");
        var palette = new[] { "#d6eaf8", "#fdebd0", "#d5f5e3", "#f5eef8", "#fcf3cf", "#fadbd8", "#e8f8f5", "#eaeded" };
        for (var f = 0; f < fields.Count; f++)
        {
            var (start, end, name, changes) = fields[f];
            var fill = palette[f % palette.Length];
            for (var i = start; i < end; i++)
            {
                var x = left + (i % perRow * cell);
                var y = top + (i / perRow * rowHeight);
                Svg.Rect(svg, x, y - 17, cell - 2, rowHeight - 3, fill, radius: 2);
                Svg.Text(svg, x + (cell / 2) - 1, y, sent[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture), changes ? "#999" : "#222",
                    15, anchor: "middle", cls: changes ? "m v" : "m");
            }

            var ly = top + (f * 22);
            Svg.Rect(svg, 560, ly - 14, 16, 16, fill, "#888", 2);
            Svg.Text(svg, 584, ly, FormattableString.Invariant($"{start,3}  {name} ({end - start} bytes)"), changes ? "#777" : "#222", 15, cls: "m");
        }

        return Svg.End(svg);
    }

    private static List<(int Start, int End, string Name, bool Changes)> HelloFields(byte[] b)
    {
        var fields = new List<(int, int, string, bool)>();
        var at = 0;
        int N(int offset, int length) => length == 1 ? b[offset]
            : length == 2 ? (b[offset] << 8) | b[offset + 1]
            : (b[offset] << 16) | (b[offset + 1] << 8) | b[offset + 2];
        void Add(int length, string name, bool changes = false)
        {
            fields.Add((at, at + length, name, changes));
            at += length;
        }

        Add(5, "record header: handshake, 3,1, length");
        Add(4, "handshake header: client_hello, length");
        Add(2, "legacy version 3,3");
        Add(32, "random", changes: true);
        var sessionId = b[at];
        Add(1 + sessionId, "session id (length, then random)", changes: true);
        var suites = N(at, 2);
        Add(2 + suites, $"{suites / 2} cipher suites, first {TlsNames.CipherSuite((ushort)N(at + 2, 2))}");
        Add(1 + b[at], "compression: null only");
        Add(2, "extensions length");
        var end = Math.Min(b.Length, 9 + N(6, 3));
        while (at + 4 <= end)
        {
            var type = (ushort)N(at, 2);
            var length = N(at + 2, 2);
            Add(4 + length, $"extension {TlsNames.Extension(type)}", changes: type == 51);
        }

        return fields;
    }

    public static string Eavesdrop(List<Record> records)
    {
        const int top = 100, row = 36, middle = 640;
        var height = top + (records.Count * row) + 20;
        var svg = Svg.Start(1280, height, "The same connection: what the network sees, and what the key log opens");
        Svg.Text(svg, 40, 70, "on the wire (an eavesdropper)", "#555", 19, "bold");
        Svg.Text(svg, middle + 20, 70, "decrypted with the key log", Svg.Sealed, 19, "bold");
        Svg.Line(svg, middle, 50, middle, height - 10, "#bbb", 2);
        var y = top;
        foreach (var record in records)
        {
            var colour = record.FromClient ? Svg.Client : Svg.Server;
            Svg.Text(svg, 40, y, record.FromClient ? "client >" : "< server", colour, 16, "bold");
            Svg.Text(svg, 130, y, record.Header.Length == 10 ? record.Header[..6] : record.Header, colour, 16, cls: "m");
            Svg.Text(svg, 194, y, record.Header.Length == 10 ? record.Header[6..] : string.Empty, colour, 16, cls: "m v");
            var seen = record.Secret is not null ? "application_data, sealed" : record.Name switch
            {
                "ClientHello" => $"ClientHello, readable: {record.Detail}",
                "ServerHello" => "ServerHello, readable: suite, key share",
                _ => record.Name,
            };
            Svg.Text(svg, 250, y, seen, record.Secret is null ? "#222" : "#777", 16);
            Svg.Text(svg, middle - 16, y, FormattableString.Invariant($"{record.Length} B"), "#777", 15, anchor: "end", cls: "v");
            Svg.Text(svg, middle + 20, y, record.Name + (record.Detail.Length > 0 && record.Secret is not null ? $": {record.Detail}" : string.Empty),
                record.Secret is null ? "#222" : Svg.Sealed, 16, record.Name == "Application data" ? "bold" : "normal");
            y += row;
        }

        return Svg.End(svg);
    }
}
