using System.Globalization;
using TlsLab.Pki;

namespace TlsLab.Wire;

/// <summary>
/// One recorded TLS connection together with the secrets that open it: read from a recording kept as text (the kit's
/// lessons ship one, for platforms that cannot log keys), or paired from a live transcript and its key log. It writes
/// the key log and a pcapng capture that Wireshark and tshark decrypt by themselves.
/// </summary>
/// <remarks>
/// The text format: <c>#</c> comments, a <c>[keylog]</c> section of NSS key-log lines, then <c>[client] ...</c> and
/// <c>[server] ...</c> sections of hex bytes in the order they crossed the wire.
/// </remarks>
public sealed class RecordedConnection
{
    private RecordedConnection(WireTranscript transcript, string keyLogLines)
    {
        Transcript = transcript;
        KeyLogLines = keyLogLines;
    }

    /// <summary>What crossed the wire, both ways.</summary>
    public WireTranscript Transcript { get; }

    /// <summary>This connection's secrets, in NSS key-log format (one line per secret).</summary>
    public string KeyLogLines { get; }

    /// <summary>Pairs a live transcript with the lines of <paramref name="keyLogFile"/> that belong to its ClientHello.</summary>
    public static RecordedConnection FromKeyLog(WireTranscript transcript, string keyLogFile)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(keyLogFile);
        var keyLog = KeyLog.Parse(File.Exists(keyLogFile) ? File.ReadAllText(keyLogFile) : string.Empty);
        var lines = transcript.TryGetClientHello(out var hello) ? keyLog.LinesFor(hello.Random.Span) : string.Empty;
        return new RecordedConnection(transcript, lines);
    }

    /// <summary>Reads a recording kept as text; a file that is not one gives an <see cref="InvalidDataException"/> that says where.</summary>
    public static RecordedConnection Load(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var recorder = new WireRecorder(long.MaxValue);
        var keyLog = new List<string>();
        string? section = null;
        var hex = new List<string>();
        var number = 0;

        void Flush()
        {
            if (section is "client" or "server" && hex.Count > 0)
            {
                byte[] bytes;
                try
                {
                    bytes = Convert.FromHexString(string.Concat(hex).Replace(" ", string.Empty, StringComparison.Ordinal));
                }
                catch (FormatException)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{file}: the [{section}] section before line {number} is not hex bytes."));
                }

                recorder.Record(section == "client" ? WireDirection.ClientToServer : WireDirection.ServerToClient, bytes);
            }

            hex.Clear();
        }

        foreach (var raw in File.ReadLines(file))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
            {
                Flush();
                section = line[1..close];
                continue;
            }

            (section == "keylog" ? keyLog : hex).Add(line);
        }

        Flush();
        return new RecordedConnection(recorder.Snapshot(), keyLog.Count == 0 ? string.Empty : string.Join('\n', keyLog) + "\n");
    }

    /// <summary>Writes the secrets to <paramref name="file"/>, owner-only and labelled: whoever reads it decrypts the connection.</summary>
    /// <returns>The file's full path.</returns>
    public string WriteKeyLog(string file)
    {
        var full = Path.GetFullPath(file);
        OwnerOnlyFile.WriteAllText(full, SslKeyLogging.Label + "\n" + KeyLogLines);
        return full;
    }

    /// <summary>
    /// Writes the connection as a pcapng file (owner-only) with a Decryption Secrets Block, so Wireshark and tshark show
    /// the decrypted request and answer with no set-up. The server's port is shown as 443.
    /// </summary>
    /// <returns>How many packets were written.</returns>
    public int WritePcapNg(string file, string comment = "One TLS connection recorded by TlsLab. Contains this connection's TLS secrets.")
    {
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(file, create);
        return PcapNgWriter.Write(stream, Transcript, KeyLogLines, 50000, comment);
    }
}
