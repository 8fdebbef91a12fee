using System.Globalization;
using Spectre.Console;
using TlsLab.Cli.Output;
using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>
/// The report <c>tlslab probe</c> prints: the grade first, then one section per area (protocols, cipher suites,
/// key exchange, certificate, features), each row a verdict (ok green, warn amber, bad red: the word is
/// printed too, for terminals without colour) and one sentence of why.
/// </summary>
internal static class ProbeReport
{
    private static readonly (string Area, string Title)[] Sections =
    [
        ("protocol", "Protocol versions"),
        ("cipher", "Cipher suites"),
        ("keyExchange", "Key exchange"),
        ("certificate", "Certificate chain"),
        ("features", "Features"),
        ("grade", "How the grade was reached"),
        ("probe", "About this probe"),
    ];

    public static void Render(IAnsiConsole console, ProbeResult result, ProbeVerdict verdict)
    {
        var colour = verdict.Grade switch { "A+" or "A" => "green", "A-" or "B" => "yellow", _ => "red" };
        var target = result.ServerName is { } sni ? $"{result.EndPoint}, SNI {sni}" : result.EndPoint.ToString();
        console.MarkupLine($"[bold]tlslab probe {result.Target.EscapeMarkup()}[/] ({target.EscapeMarkup()})");
        var ifTrusted = verdict.GradeIfTrusted is { } other ? $" (grade {other} if the certificate were trusted)" : "";
        console.Write(new Panel(new Markup($"[bold {colour}]Grade {verdict.Grade.EscapeMarkup()}[/]{ifTrusted.EscapeMarkup()}  score " +
            $"{verdict.Score}/100, following the SSL Labs rating guide"))
            .Border(BoxBorder.Heavy));

        foreach (var (area, title) in Sections)
        {
            var findings = verdict.Findings.Where(f => f.Area == area).ToList();
            if (findings.Count == 0 && area is not ("cipher" or "certificate"))
            {
                continue;
            }

            Divider(console, title);
            var table = new Table().Border(TableBorder.None).HideHeaders();
            table.AddColumn(new TableColumn("verdict").NoWrap());
            table.AddColumn("why");
            switch (area)
            {
                case "cipher":
                    AddSuites(table, result);
                    break;
                case "certificate":
                    AddChain(table, result);
                    break;
            }

            foreach (var finding in findings)
            {
                table.AddRow(Verdict(finding.Severity), new Text(finding.Text));
            }

            console.Write(new TrimmedLines(table));
        }

        console.MarkupLine($"[grey]{result.Attempts} connection(s) in {result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, " +
            "at most 3 at a time. Machine-readable: --json.[/]");
    }

    /// <summary>
    /// A section heading as wide as the console but never wider than <see cref="MaxDivider"/>: a rule across a 200-column pipe (or a
    /// wide terminal) says nothing more and wraps badly when pasted.
    /// </summary>
    private static void Divider(IAnsiConsole console, string title)
    {
        var width = Math.Min(console.Profile.Width, MaxDivider);
        var line = new string('─', Math.Max(3, width - title.Length - 4));
        console.MarkupLine($"[grey]──[/] [bold]{title.EscapeMarkup()}[/] [grey]{line}[/]");
    }

    private const int MaxDivider = 100;

    private static void AddSuites(Table table, ProbeResult result)
    {
        foreach (var (version, suites) in result.CipherSuites.Reverse())
        {
            var order = result.ServerPreference.TryGetValue(version, out var own) && own is { } o
                ? o ? "in the server's order of preference" : "the server follows the client's order, so this is the order offered"
                : "order unknown";
            table.AddRow(new Markup("[bold]" + TlsNames.Version(version) + "[/]"), new Text($"{suites.Count} suite(s), {order}:"));
            foreach (var suite in suites)
            {
                var (severity, why) = Judge(suite);
                var kx = result.KeyExchange.TryGetValue((version, suite), out var info) ? $" Key exchange: {info.Describe()}." : "";
                if (info is { Kind: "DH", Bits: < 2048 } && severity == Finding.Ok)
                {
                    severity = Finding.Warn;
                }

                table.AddRow(Verdict(severity), new Text($"{TlsNames.CipherSuite(suite)}: {why}{kx}"));
            }
        }
    }

    private static void AddChain(Table table, ProbeResult result)
    {
        AddChain(table, result.Primary.Chain, "");
        foreach (var other in result.OtherCertificates)
        {
            table.AddRow(new Markup($"[bold]{other.Family.EscapeMarkup()}[/]"), new Text($"A second certificate, which the server shows to clients " +
                $"that ask for {other.Family}:"));
            AddChain(table, other.Chain, other.Family + " ");
        }
    }

    private static void AddChain(Table table, List<CertificateInfo> chain, string prefix)
    {
        for (var i = 0; i < chain.Count; i++)
        {
            var c = chain[i];
            var role = i == 0 ? "leaf" : c.SelfSigned ? "root" : "intermediate";
            var sans = c.Sans.Count > 0 ? $"; SANs {string.Join(", ", c.Sans)}" : "";
            table.AddRow(new Markup($"[bold]{prefix.EscapeMarkup()}#{i} {role}[/]"), new Text($"{c.Subject}, issued by {c.Issuer}; " +
                $"{Day(c.NotBefore)} to {Day(c.NotAfter)}; " +
                $"{c.KeyType} {c.KeyBits} bits; signed {c.SignatureAlgorithm}{sans}"));
        }
    }

    /// <summary>One suite's verdict and why, in a sentence.</summary>
    internal static (string Severity, string Why) Judge(ushort suite)
    {
        var name = TlsNames.CipherSuite(suite);
        bool Has(string part) => name.Contains(part, StringComparison.Ordinal);
        if (Has("WITH_NULL"))
        {
            return (Finding.Bad, "no encryption at all: the data crosses the wire in the clear, only protected against changes.");
        }

        if (Has("_anon_"))
        {
            return (Finding.Bad, "anonymous: no certificate, so anyone in the middle can pose as the server.");
        }

        if (Has("EXPORT"))
        {
            return (Finding.Bad, "an export suite: keys cut to 40 or 56 bits by 1990s law, broken in hours (FREAK, Logjam).");
        }

        if (Has("_RC4_"))
        {
            return (Finding.Bad, "RC4: its biased keystream leaks plaintext (RFC 7465 forbids it).");
        }

        if (Has("_DES_") || Has("DES40"))
        {
            return (Finding.Bad, "single DES: a 56-bit key, found by brute force in a day.");
        }

        if (Has("3DES"))
        {
            return (Finding.Bad, "64-bit blocks, open to Sweet32.");
        }

        var forwardSecret = TlsNames.IsTls13Suite(suite) || Has("ECDHE_") || Has("DHE_");
        if (!forwardSecret)
        {
            return (Finding.Warn, "no forward secrecy: the server's key decrypts recorded sessions.");
        }

        if (TlsNames.IsCbc(suite))
        {
            return (Finding.Warn, "CBC with a separate MAC (padding-oracle attacks such as Lucky Thirteen).");
        }

        return TlsNames.IsAead(suite)
            ? (Finding.Ok, "forward secret and AEAD.")
            : (Finding.Warn, "forward secret, but not an AEAD.");
    }

    private static Markup Verdict(string severity) => severity switch
    {
        Finding.Ok => new Markup("[green]ok[/]"),
        Finding.Warn => new Markup("[yellow]warn[/]"),
        _ => new Markup("[red]bad[/]"),
    };

    private static string Day(DateTimeOffset time) => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
