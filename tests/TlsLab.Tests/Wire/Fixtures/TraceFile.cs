using TlsLab.Wire;

namespace TlsLab.Tests.Wire.Fixtures;

/// <summary>
/// A recorded connection kept as text in Fixtures/: a <c>[keylog]</c> section, then <c>[client] name</c> and
/// <c>[server] name</c> records in the order they were sent, then <c>[expect] name</c> plaintexts, each as hex.
/// </summary>
internal sealed class TraceFile
{
    private TraceFile(string keyLog, List<(WireDirection Direction, string Name, byte[] Bytes)> records, Dictionary<string, byte[]> expected)
    {
        KeyLog = keyLog;
        Records = records;
        Expected = expected;
    }

    public string KeyLog { get; }

    public List<(WireDirection Direction, string Name, byte[] Bytes)> Records { get; }

    public Dictionary<string, byte[]> Expected { get; }

    public static TraceFile Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Wire", "Fixtures", name);
        var keyLog = new List<string>();
        var records = new List<(WireDirection, string, byte[])>();
        var expected = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? kind = null;
        var title = string.Empty;
        var hex = new List<string>();

        void Flush()
        {
            var bytes = Convert.FromHexString(string.Concat(hex).Replace(" ", string.Empty, StringComparison.Ordinal));
            switch (kind)
            {
                case "client":
                    records.Add((WireDirection.ClientToServer, title, bytes));
                    break;
                case "server":
                    records.Add((WireDirection.ServerToClient, title, bytes));
                    break;
                case "expect":
                    expected[title] = bytes;
                    break;
            }

            hex.Clear();
        }

        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                Flush();
                var close = line.IndexOf(']', StringComparison.Ordinal);
                kind = line[1..close];
                title = line[(close + 1)..].Trim();
                continue;
            }

            if (kind == "keylog")
            {
                keyLog.Add(line);
            }
            else
            {
                hex.Add(line);
            }
        }

        Flush();
        return new TraceFile(string.Join('\n', keyLog) + "\n", records, expected);
    }

    /// <summary>The records as a transcript: one chunk per record, in order.</summary>
    public WireTranscript Transcript(Func<int, byte[], byte[]>? change = null)
    {
        var recorder = new WireRecorder(long.MaxValue);
        for (var i = 0; i < Records.Count; i++)
        {
            recorder.Record(Records[i].Direction, change is null ? Records[i].Bytes : change(i, Records[i].Bytes));
        }

        return recorder.Snapshot();
    }
}
