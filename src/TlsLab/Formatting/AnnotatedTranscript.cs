using System.Globalization;
using TlsLab.Wire;

namespace TlsLab.Formatting;

/// <summary>
/// The annotated view of a decrypted connection: every record as a block (client and server told apart), every field labelled,
/// the point where each side starts encrypting, and for each encrypted record the secret that opened it.
/// </summary>
internal static class AnnotatedTranscript
{
    /// <summary>Reads the key log at <paramref name="keyLogFile"/>, decrypts, and builds the view; a file that cannot be read is a note.</summary>
    public static View For(WireTranscript transcript, string keyLogFile)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(keyLogFile);
        string text;
        try
        {
            text = File.ReadAllText(keyLogFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new View("Every byte of one connection", [new NoteBlock($"Cannot read the key log '{keyLogFile}': {e.Message} Make one " +
                "with LabOptions.KeyLogFile (or tlslab serve --keylog FILE) on Linux before the first connection, then record the " +
                "connection through a RecordingTap.", Tone.Bad)]);
        }

        return For(DecryptedTranscript.Decrypt(transcript, KeyLog.Parse(text)));
    }

    public static View For(DecryptedTranscript decrypted)
    {
        ArgumentNullException.ThrowIfNull(decrypted);
        var tls13 = decrypted.Version == 0x0304;
        var opened = decrypted.Records.Count(r => r.Protection == RecordProtection.Opened);
        var sealedCount = decrypted.Records.Count(r => r.Protection == RecordProtection.Sealed);
        var title = decrypted.Version is { } version && decrypted.CipherSuite is { } suite
            ? $"Every byte of one connection: {TlsNames.Version(version)}, {TlsNames.CipherSuite(suite)}"
            : "Every byte of one connection";
        var blocks = new List<ViewBlock>
        {
            new FactsBlock(
            [
                new("Records", $"{decrypted.Records.Count}: {decrypted.Records.Count(r => r.Protection == RecordProtection.Plain)} in the clear, " +
                    $"{opened} opened with the key log, {sealedCount} still sealed", sealedCount == 0 ? Tone.Good : Tone.Warning),
                new("Client random", decrypted.ClientRandom is { } random ? Convert.ToHexStringLower(random) : "(no ClientHello)"),
                new("Key log", "its secrets decrypt this traffic: keep it on this machine, never share or commit it", Tone.Warning),
            ]),
        };
        foreach (var problem in decrypted.Problems)
        {
            blocks.Add(new NoteBlock(problem, Tone.Bad));
        }

        var encrypting = new HashSet<WireDirection>();
        var explained = new HashSet<ushort>();
        var number = 0;
        foreach (var record in decrypted.Records)
        {
            number++;
            if (record.Protection != RecordProtection.Plain && encrypting.Add(record.Direction))
            {
                var who = record.Direction == WireDirection.ClientToServer ? "the client" : "the server";
                blocks.Add(new NoteBlock($"---- From here on {who} encrypts: an eavesdropper sees only lengths. " +
                    $"The key log's {record.Secret} opens what follows. ----", Tone.Warning));
            }

            blocks.Add(Block(record, number, tls13, explained.Add(record.Header.LegacyVersion)));
        }

        return new View(title, blocks);
    }

    private static WireRecordBlock Block(DecryptedRecord record, int number, bool tls13, bool firstOfItsVersion)
    {
        var header = record.Header;
        var outerType = TlsNames.ContentType(header.ContentType);
        var fields = new List<Fact>
        {
            new("record header", $"{Convert.ToHexStringLower(record.Bytes.AsSpan(0, TlsRecordHeader.Size))}: type {header.ContentType} " +
                $"({outerType}), legacy version {header.LegacyVersion >> 8},{header.LegacyVersion & 0xFF}, length {header.Length}"),
            new("legacy version", firstOfItsVersion
                ? LegacyVersion(header.LegacyVersion, tls13)
                : $"{header.LegacyVersion >> 8},{header.LegacyVersion & 0xFF}, for the reason given above"),
        };
        var tone = Tone.Neutral;
        string protection;
        switch (record.Protection)
        {
            case RecordProtection.Opened:
                protection = $"encrypted; opened with {record.Secret} (record number {record.Sequence} under this key)";
                fields.Add(new("encryption", $"{protection}; {record.Plaintext.Length} bytes of plaintext inside" +
                    (tls13 && header.ContentType != record.ContentType
                        ? $", whose real type is {record.ContentType} ({TlsNames.ContentType(record.ContentType)}): TLS 1.3 hides it inside"
                        : string.Empty), Tone.Good));
                break;
            case RecordProtection.Sealed:
                protection = "encrypted; not opened";
                tone = Tone.Bad;
                fields.Add(new("encryption", $"{protection}: {record.Problem}", Tone.Bad));
                break;
            default:
                protection = "in the clear";
                break;
        }

        var sections = new List<WireRecordSection> { new(string.Empty, fields) };
        foreach (var message in record.Messages)
        {
            sections.Add(new WireRecordSection(message.Name, [.. message.Fields.Select(f => new Fact(f.Name, f.Value))]));
        }

        var contents = record.Messages.Count > 0 ? string.Join(", ", record.Messages.Select(m => m.Name)) : outerType;
        var summary = string.Create(CultureInfo.InvariantCulture, $"record {number}: {contents} ({header.TotalLength} bytes, {protection})");
        return new WireRecordBlock(record.Direction, summary, sections, tone);
    }

    private static string LegacyVersion(ushort version, bool tls13) => version switch
    {
        0x0301 => "3,1 means TLS 1.0: a first ClientHello record says 1.0 so that old servers do not refuse it; the real versions are " +
            "offered inside the hello",
        0x0303 when tls13 => "3,3 means TLS 1.2: TLS 1.3 records keep saying 1.2 so that middleboxes which know only 1.2 let them pass",
        0x0303 => "3,3 means TLS 1.2, the version this connection speaks",
        _ => $"{version >> 8},{version & 0xFF} ({TlsNames.Version(version)})",
    };
}
