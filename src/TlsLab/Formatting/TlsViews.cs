using System.Collections;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Wire;
using TlsLab.Zoo;

namespace TlsLab.Formatting;

/// <summary>
/// Views of TlsLab's types: one <see cref="View"/> per value, rendered as HTML for notebooks and as text for
/// terminals. A notebook registers <see cref="Html"/> for each of <see cref="Types"/> with its formatter; a
/// twin prints <see cref="Text"/>. TlsLab itself knows nothing of any notebook engine.
/// </summary>
public static class TlsViews
{
    /// <summary>The types that have a view (exact types; register a formatter for each).</summary>
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(View),
        typeof(HandshakeOutcome),
        typeof(ValidationRecord),
        typeof(ChainElementInfo),
        typeof(ConnectionRecord),
        typeof(HandshakeReport),
        typeof(Lab),
        typeof(LabEndpoint),
        typeof(ClientHello),
        typeof(WireTranscript),
        typeof(Capabilities),
    ];

    /// <summary>The view of <paramref name="value"/>, or null when it is not one of <see cref="Types"/>.</summary>
    public static View? For(object? value) => value switch
    {
        View view => view,
        HandshakeOutcome outcome => Handshake(outcome),
        ValidationRecord validation => Chain(validation),
        ChainElementInfo element => Certificate(element),
        ConnectionRecord record => Connection(record),
        HandshakeReport report => Report(report),
        Lab lab => Endpoints(lab.Endpoints, lab.Skipped),
        LabEndpoint endpoint => Endpoints([endpoint], [], $"Lab endpoint '{endpoint.Name}'"),
        ClientHello hello => Hello(hello),
        WireTranscript transcript => Transcript(transcript),
        Capabilities capabilities => Capability(capabilities),
        _ => null,
    };

    /// <summary>HTML for a notebook: the view when there is one, otherwise the value's text, escaped.</summary>
    public static string Html(object? value) =>
        For(value)?.ToHtml() ?? $"<pre>{WebUtility.HtmlEncode(Text(value))}</pre>";

    /// <summary>
    /// Plain text for a terminal: the view when there is one; for a sequence, each item in turn; otherwise
    /// <see cref="object.ToString"/>. This is what a twin's <c>display(x)</c> prints.
    /// </summary>
    public static string Text(object? value) => value switch
    {
        null => "(null)",
        string text => text,
        _ when For(value) is { } view => view.ToText(),
        IEnumerable items when items.Cast<object?>().ToList() is { Count: > 0 } list && list.All(i => For(i) is not null) =>
            string.Join(Environment.NewLine + Environment.NewLine, list.Select(Text)),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(i => i?.ToString() ?? "null")) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>
    /// Every byte of a recorded connection, decrypted with a key log and labelled: each record as a block (client and server apart),
    /// each field by name, where encryption starts, and which secret opens each encrypted record. Problems (a missing or wrong
    /// secret, bytes that are not TLS) are notes in the view, never exceptions.
    /// </summary>
    /// <param name="transcript">What a <see cref="RecordingTap"/> or <see cref="RecordingStream"/> recorded.</param>
    /// <param name="keyLogFile">The NSS key log written while the connection ran (<see cref="LabOptions.KeyLogFile"/>).</param>
    public static View Decrypted(WireTranscript transcript, string keyLogFile) => AnnotatedTranscript.For(transcript, keyLogFile);

    /// <summary>
    /// The messages of one handshake as a sequence diagram, drawn from what the client saw and, when given, what the lab saw
    /// (the parsed ClientHello); pass it to <c>display(...)</c>.
    /// </summary>
    /// <param name="outcome">What the client saw.</param>
    /// <param name="seenByServer">What the lab recorded for the same connection, for the ClientHello details.</param>
    /// <param name="server">The server's name on the diagram; defaults to the name the client asked for.</param>
    public static View Diagram(HandshakeOutcome outcome, ConnectionRecord? seenByServer = null, string? server = null) =>
        HandshakeDiagram.From(outcome, seenByServer, server);

    /// <summary>The handshake summary: result, protocol, suite, the reason when refused, then the chain.</summary>
    public static View Handshake(HandshakeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var target = outcome.Validation?.TargetHost;
        var title = outcome.Succeeded
            ? $"Handshake{(string.IsNullOrEmpty(target) ? string.Empty : $" with {target}")}: connected"
            : $"Handshake{(string.IsNullOrEmpty(target) ? string.Empty : $" with {target}")}: refused ({outcome.Problem})";
        var facts = new List<Fact>
        {
            new("Result", outcome.Succeeded ? "connected" : "refused", outcome.Succeeded ? Tone.Good : Tone.Bad),
            new("Protocol", outcome.Protocol?.ToString() ?? "(none negotiated)"),
            new("Cipher suite", outcome.CipherSuite?.ToString() ?? "(none negotiated)"),
        };
        if (!outcome.Succeeded)
        {
            facts.Add(new("Problem", outcome.Problem.ToString(), Tone.Bad));
        }

        if (outcome.Validation is { } validation)
        {
            facts.Add(new("Certificate check", validation.Passed ? "passed" : validation.PolicyErrors.ToString(), validation.Passed ? Tone.Good : Tone.Bad));
        }

        if (outcome.Error is { } error)
        {
            facts.Add(new("Exception", error.GetType().Name));
        }

        if (outcome.StatusLine is not null)
        {
            facts.Add(new("HTTP answer", outcome.StatusLine));
        }

        var blocks = new List<ViewBlock>
        {
            new FactsBlock(facts),
            new NoteBlock(outcome.Explanation, outcome.Succeeded ? Tone.Good : Tone.Bad),
        };
        if (outcome.Validation is { Chain.Count: > 0 } chain)
        {
            blocks.Add(ChainTable(chain));
        }

        return new View(title, blocks);
    }

    /// <summary>A certificate validation: the verdict and the chain as it was built.</summary>
    public static View Chain(ValidationRecord validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var facts = new List<Fact>
        {
            new("TargetHost", string.IsNullOrEmpty(validation.TargetHost) ? "(empty)" : validation.TargetHost),
            new("Policy errors", validation.PolicyErrors.ToString(), validation.Passed ? Tone.Good : Tone.Bad),
            new("Chain status", validation.ChainStatus.ToString(), validation.ChainStatus == X509ChainStatusFlags.NoError ? Tone.Neutral : Tone.Bad),
        };
        return new View(
            $"Certificate check for '{(string.IsNullOrEmpty(validation.TargetHost) ? "(empty)" : validation.TargetHost)}': " +
                $"{(validation.Passed ? "passed" : "failed")}",
            [new FactsBlock(facts), new NoteBlock(Explain.Validation(validation), validation.Passed ? Tone.Good : Tone.Bad), ChainTable(validation)]);
    }

    /// <summary>One certificate: names, validity, the names it is good for.</summary>
    public static View Certificate(ChainElementInfo element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var facts = new List<Fact>
        {
            new("Subject", element.Subject),
            new("Issuer", element.Issuer),
            new("Valid", $"{Date(element.NotBefore)} to {Date(element.NotAfter)}"),
            new("Names (SAN)", Names(element)),
            new("CA", element.IsCertificateAuthority ? "yes: may sign other certificates" : "no: an end-entity certificate"),
            new("Thumbprint", element.Thumbprint),
        };
        if (element.Status != X509ChainStatusFlags.NoError)
        {
            facts.Add(new("Status", element.Status.ToString(), Tone.Bad));
        }

        return new View($"Certificate '{element.SubjectCommonName}'", [new FactsBlock(facts)]);
    }

    /// <summary>What the lab saw of one connection, including what the client offered.</summary>
    public static View Connection(ConnectionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var good = record.Outcome == LabEventKind.Served;
        var facts = new List<Fact>
        {
            new("Scenario", record.Scenario),
            new("Client", record.Client?.ToString() ?? "(unknown)"),
            new("Outcome", record.Outcome.ToString(), good ? Tone.Good : Tone.Bad),
            new("Protocol", record.Protocol?.ToString() ?? "(none negotiated)"),
            new("Cipher suite", record.CipherSuite?.ToString() ?? "(none negotiated)"),
            new("SNI received", record.ServerNameIndication ?? record.ClientHello?.ServerName ?? "(none)"),
            new("ALPN", record.Alpn ?? "(none)"),
        };
        if (record.ClientCertificateSubject is not null)
        {
            facts.Add(new("Client certificate", record.ClientCertificateSubject));
        }

        if (record.Error is not null)
        {
            facts.Add(new("Error", record.Error, Tone.Bad));
        }

        var blocks = new List<ViewBlock> { new FactsBlock(facts) };
        if (record.ClientHello is { } hello)
        {
            blocks.Add(new FactsBlock(HelloFacts(hello, compact: true)));
        }
        else if (record.ClientHelloError is not null)
        {
            blocks.Add(new NoteBlock($"No ClientHello: {record.ClientHelloError}", Tone.Warning));
        }

        return new View($"What the lab saw on '{record.Scenario}'", blocks);
    }

    /// <summary>The <c>/handshake.json</c> report an endpoint sends back.</summary>
    internal static View Report(HandshakeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var facts = new List<Fact>
        {
            new("Scenario", report.Scenario),
            new("TLS", report.Tls ? "yes" : "no: plaintext", report.Tls ? Tone.Good : Tone.Warning),
            new("Protocol", report.Protocol ?? "(none)"),
            new("Cipher suite", report.CipherSuite ?? "(none)"),
            new("SNI", report.Sni ?? "(none)"),
            new("ALPN", report.Alpn ?? "(none)"),
            new("Client", report.Client ?? "(unknown)"),
        };
        if (report.ClientCertificate is not null)
        {
            facts.Add(new("Client certificate", report.ClientCertificate));
        }

        if (report.ClientHello is { } hello)
        {
            facts.Add(new("Offered versions", Join(hello.Versions.Count > 0 ? hello.Versions : [hello.LegacyVersion])));
            facts.Add(new("Offered suites", $"{hello.CipherSuites.Count}: {Join(hello.CipherSuites)}"));
            facts.Add(new("Groups", Join(hello.Groups)));
        }

        return new View($"The server's report ({report.Scenario})", [new FactsBlock(facts)]);
    }

    /// <summary>The endpoint table: what runs where and what each teaches.</summary>
    internal static View Endpoints(IEnumerable<LabEndpoint> endpoints, IEnumerable<SkippedScenario> skipped, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(skipped);
        var rows = endpoints.Select(e => new TableRow(
            [
                e.Name,
                $"{e.Address}:{e.Port}",
                e.Tls ? e.Host : "(plain HTTP)",
                e.ShouldConnect ? "connects" : "refuses",
                e.ShouldConnect ? e.Teaches : $"{Capitalize(e.Scenario.Rejection?.Summary)}. {e.Teaches}",
            ],
            // What a correct client should do, not what happened: a refusal here is the endpoint's lesson, not a failure.
            e.ShouldConnect ? Tone.Good : Tone.Expected)).ToList();
        rows.AddRange(skipped.Select(s => new TableRow([s.Name, "(not served here)", string.Empty, "skipped", s.Reason], Tone.Warning)));
        return new View(
            title ?? $"The lab: {rows.Count(r => r.Tone != Tone.Warning)} endpoints on loopback",
            [
                new TableBlock(null, ["Scenario", "Connect to", "TargetHost", "Careful client", "What it shows"], rows),
                new NoteBlock("\"Careful client\" is what a correct client should do with each endpoint, an expectation rather than a result: " +
                    "refusing expired or wrong-host is the right answer. Connect to the address and port; set TargetHost to the name in the third " +
                    "column. Trust only lab.RootCertificate."),
            ]);
    }

    /// <summary>Everything a ClientHello offered, by name.</summary>
    public static View Hello(ClientHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        return new View($"ClientHello ({hello.HandshakeMessage.Length} bytes, sent in the clear)", [new FactsBlock(HelloFacts(hello, compact: false))]);
    }

    /// <summary>What crossed the wire: byte counts, TLS records and what an eavesdropper can read.</summary>
    public static View Transcript(WireTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var blocks = new List<ViewBlock>();
        var facts = new List<Fact>
        {
            new("Client to server", $"{transcript.TotalBytes(WireDirection.ClientToServer)} bytes"),
            new("Server to client", $"{transcript.TotalBytes(WireDirection.ServerToClient)} bytes"),
        };
        blocks.Add(new FactsBlock(facts));
        foreach (var direction in new[] { WireDirection.ClientToServer, WireDirection.ServerToClient })
        {
            var label = direction == WireDirection.ClientToServer ? "client -> server" : "server -> client";
            var scan = transcript.ScanRecords(direction);
            if (scan.IsTls)
            {
                var rows = scan.Records.Take(12).Select(r => new TableRow([r.ContentTypeName, r.VersionName,
                    r.Length.ToString(CultureInfo.InvariantCulture)])).ToList();
                if (scan.Records.Count > 12)
                {
                    rows.Add(new TableRow([$"... {scan.Records.Count - 12} more records", string.Empty, string.Empty]));
                }

                blocks.Add(new TableBlock($"TLS records, {label}", ["Record type", "Header version", "Length"], rows));
            }

            var bytes = transcript.Bytes(direction);
            if (bytes.Length > 0)
            {
                blocks.Add(new PreformattedBlock($"What an eavesdropper reads, {label} (unprintable bytes as dots)", WireText.Printable(bytes, 640)));
            }
        }

        return new View("On the wire", blocks);
    }

    /// <summary>The capability table of this machine: what its TLS stack can do, and what that means for the lessons.</summary>
    /// <param name="askSdk">Whether to run <c>dotnet --version</c> for the SDK row.</param>
    public static View Capability(bool askSdk = true) => Capability(Capabilities.Detect(askSdk));

    /// <summary>The capability table: what this machine's TLS stack can do, and what that means for the lessons.</summary>
    internal static View Capability(Capabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var library = capabilities.TlsLibraryVersion is null ? capabilities.TlsLibrary : $"{capabilities.TlsLibrary} {capabilities.TlsLibraryVersion}";
        var rows = new List<TableRow>
        {
            new(["Operating system", capabilities.OperatingSystem, "Decides which TLS library .NET uses."]),
            new([".NET runtime", capabilities.Runtime, "The notebooks and twins need .NET " +
                "10."], capabilities.Runtime.Contains(".NET 10", StringComparison.Ordinal) ? Tone.Good : Tone.Warning),
            new([".NET SDK", capabilities.Sdk ?? "(could not ask 'dotnet " +
                "--version')", "Builds TlsLab and runs the twins."], capabilities.Sdk is null ? Tone.Warning : Tone.Good),
            new(["TLS library", library, "SslStream is a wrapper: this library does the real work, and its error texts differ."]),
            new(["TLS 1.3", capabilities.Tls13 ? "available" : "not available", capabilities.Tls13Problem ?? "Lessons offer TLS 1.3 and " +
                "1.2."], capabilities.Tls13 ? Tone.Good : Tone.Warning),
            new(["Cipher-suite policy", capabilities.CipherSuitesPolicy ? "a program may choose its " +
                "suites" : "not settable here", capabilities.CipherSuitesPolicyProblem ?? "Lesson 06 and the cbc-only endpoint work " +
                "here."], capabilities.CipherSuitesPolicy ? Tone.Good : Tone.Warning),
        };
        return new View("This machine", [new TableBlock(null, ["What", "Here", "What it means for the lessons"], rows)]);
    }

    private static TableBlock ChainTable(ValidationRecord validation)
    {
        var rows = validation.Chain.Select((e, i) => new TableRow(
            [
                i == 0 ? "leaf" : e.IsSelfIssued ? "root" : "CA",
                e.SubjectCommonName,
                e.IssuerCommonName,
                $"{Date(e.NotBefore)} to {Date(e.NotAfter)}",
                i == 0 ? Names(e) : string.Empty,
                e.Status == X509ChainStatusFlags.NoError ? "ok" : e.Status.ToString(),
            ],
            e.Status == X509ChainStatusFlags.NoError ? Tone.Neutral : Tone.Bad)).ToList();
        var caption = validation.Chain.Count == 1 ? "The chain as built: the leaf alone" : $"The chain as built: {validation.Chain.Count} " +
            "certificates, leaf first";
        return new TableBlock(caption, ["Role", "Subject (CN)", "Issuer (CN)", "Valid (UTC)", "Names (SAN)", "Status"], rows);
    }

    private static List<Fact> HelloFacts(ClientHello hello, bool compact)
    {
        var versions = hello.SupportedVersions.Count > 0
            ? $"{Join(hello.SupportedVersionNames)} (supported_versions)"
            : $"{TlsNames.Version(hello.LegacyVersion)} (legacy_version only)";
        var suites = compact && hello.CipherSuiteNames.Count > 6
            ? $"{hello.CipherSuites.Count}: {Join(hello.CipherSuiteNames.Take(6))}, ..."
            : $"{hello.CipherSuites.Count}: {Join(hello.CipherSuiteNames)}";
        var facts = new List<Fact>
        {
            new("Offered versions", versions),
            new("Highest offered", TlsNames.Version(hello.HighestOfferedVersion())),
            new("SNI in the hello", hello.ServerName ?? "(none)"),
            new("Offered suites", suites),
            new("Groups", Join(hello.SupportedGroupNames)),
            new("Key shares", Join(hello.KeyShareGroupNames)),
        };
        if (!compact)
        {
            facts.Add(new("ALPN", hello.Alpn.Count > 0 ? Join(hello.Alpn) : "(none)"));
            facts.Add(new("Signature algorithms", Join(hello.SignatureAlgorithmNames)));
            facts.Add(new("Extensions", Join(hello.ExtensionNames)));
        }

        return facts;
    }

    private static string Names(ChainElementInfo element)
    {
        var names = element.DnsNames.Concat(element.IpAddresses.Select(ip => ip.ToString())).ToList();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }

    private static string Capitalize(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
