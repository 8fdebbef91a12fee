namespace TlsLab.Wire;

/// <summary>How a record crossed the wire, as far as the reader can tell.</summary>
internal enum RecordProtection
{
    /// <summary>Sent in the clear: anyone on the path reads it.</summary>
    Plain,

    /// <summary>Encrypted, and opened with a secret from the key log.</summary>
    Opened,

    /// <summary>Encrypted, and not opened: the reason is in <see cref="DecryptedRecord.Problem"/>.</summary>
    Sealed,
}

/// <summary>One TLS record of a transcript, with what was inside it.</summary>
/// <param name="Direction">Who sent it.</param>
/// <param name="Header">The 5-byte record header as sent.</param>
/// <param name="Bytes">The whole record as it crossed the wire.</param>
/// <param name="Protection">In the clear, opened, or still sealed.</param>
/// <param name="Secret">The key-log label of the secret that opened it (and with TLS 1.2 which key), or null.</param>
/// <param name="Sequence">The record's sequence number under that key, or null for a plain record.</param>
/// <param name="ContentType">The real content type (TLS 1.3 hides it inside the encryption).</param>
/// <param name="Plaintext">The content, or empty while sealed.</param>
/// <param name="Messages">The messages that end in this record.</param>
/// <param name="Problem">Why it could not be opened, or null.</param>
internal sealed record DecryptedRecord(
    WireDirection Direction,
    TlsRecordHeader Header,
    byte[] Bytes,
    RecordProtection Protection,
    string? Secret,
    ulong? Sequence,
    byte ContentType,
    byte[] Plaintext,
    IReadOnlyList<TlsMessage> Messages,
    string? Problem);

/// <summary>
/// A <see cref="WireTranscript"/> opened with a key log: every record in the order it was sent, decrypted where the log holds the
/// secret, each message decoded, and a list of problems (not TLS, cut off, missing or wrong secrets) instead of exceptions.
/// </summary>
internal sealed class DecryptedTranscript
{
    private DecryptedTranscript(IReadOnlyList<DecryptedRecord> records, IReadOnlyList<string> problems, ushort? version, ushort? suite, byte[]? clientRandom)
    {
        Records = records;
        Problems = problems;
        Version = version;
        CipherSuite = suite;
        ClientRandom = clientRandom;
    }

    public IReadOnlyList<DecryptedRecord> Records { get; }

    /// <summary>Everything that stopped a record from being read, one sentence each; empty when every record was read.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The negotiated version (0x0304 for TLS 1.3), or null before a ServerHello.</summary>
    public ushort? Version { get; }

    public ushort? CipherSuite { get; }

    public byte[]? ClientRandom { get; }

    /// <summary>The decrypted application data one side sent, concatenated (the HTTP request, or the answer).</summary>
    public byte[] ApplicationData(WireDirection direction) =>
        [.. Records.Where(r => r.Direction == direction && r.ContentType == 23 && r.Protection != RecordProtection.Sealed).SelectMany(r => r.Plaintext)];

    /// <summary>Opens <paramref name="transcript"/> with the secrets in <paramref name="keyLog"/>. Never throws for any bytes or any log.</summary>
    public static DecryptedTranscript Decrypt(WireTranscript transcript, KeyLog keyLog)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(keyLog);
        return new Decryption(keyLog).Run(transcript);
    }

    /// <summary>The walk through one connection's records, with the state of both directions.</summary>
    private sealed class Decryption(KeyLog keyLog)
    {
        private readonly List<string> _problems = [];
        private readonly List<DecryptedRecord> _records = [];
        private readonly Dictionary<WireDirection, Side> _sides = new()
        {
            [WireDirection.ClientToServer] = new Side("CLIENT"),
            [WireDirection.ServerToClient] = new Side("SERVER"),
        };

        private byte[]? _clientRandom;
        private byte[]? _serverRandom;
        private ushort? _version;
        private ushort? _suite;
        private AeadSuite? _aead;

        private bool Tls13 => _version == 0x0304;

        public DecryptedTranscript Run(WireTranscript transcript)
        {
            var ordered = new List<(int Chunk, WireDirection Direction, TlsRecordHeader Header, byte[] Bytes)>();
            foreach (var direction in new[] { WireDirection.ClientToServer, WireDirection.ServerToClient })
            {
                var bytes = transcript.Bytes(direction);
                var scan = TlsRecordReader.Scan(bytes);
                var who = direction == WireDirection.ClientToServer ? "client" : "server";
                if (scan.Error is { } error)
                {
                    _problems.Add($"The {who}'s bytes stop being TLS at byte {error.Offset}: {error.Message}");
                }

                if (scan.IncompleteBytes > 0)
                {
                    _problems.Add($"The {who}'s last {scan.IncompleteBytes} bytes are a record cut off before its end " +
                        (transcript.Truncated ? "(the recording cap was reached)." : "(the recording or the connection ended mid-record)."));
                }

                var chunkEnds = ChunkEnds(transcript, direction);
                foreach (var header in scan.Records)
                {
                    var end = header.Offset + header.TotalLength;
                    var chunk = chunkEnds.FindIndex(c => c.End >= end);
                    ordered.Add((chunk < 0 ? int.MaxValue : chunkEnds[chunk].Index, direction, header, bytes[header.Offset..end]));
                }
            }

            if (!ordered.Any(r => r.Direction == WireDirection.ClientToServer))
            {
                _problems.Insert(0, "The client sent no complete TLS record, so there is nothing to decrypt.");
            }

            foreach (var record in ordered.OrderBy(r => r.Chunk).ThenBy(r => r.Header.Offset))
            {
                Read(record.Direction, record.Header, record.Bytes);
            }

            foreach (var side in _sides.Values)
            {
                side.Decryptor?.Dispose();
            }

            return new DecryptedTranscript(_records, [.. _problems.Distinct()], _version, _suite, _clientRandom);
        }

        /// <summary>For each chunk going this way: its index among all chunks and where it ends in this direction's bytes.</summary>
        private static List<(int Index, int End)> ChunkEnds(WireTranscript transcript, WireDirection direction)
        {
            var ends = new List<(int, int)>();
            var position = 0;
            for (var i = 0; i < transcript.Chunks.Count; i++)
            {
                if (transcript.Chunks[i].Direction == direction)
                {
                    position += transcript.Chunks[i].Data.Length;
                    ends.Add((i, position));
                }
            }

            return ends;
        }

        private void Read(WireDirection direction, TlsRecordHeader header, byte[] bytes)
        {
            var side = _sides[direction];
            var plaintext = bytes[TlsRecordHeader.Size..];
            var contentType = header.ContentType;
            var protection = RecordProtection.Plain;
            string? secret = null;
            ulong? sequence = null;
            string? problem = null;

            var encrypted = header.ContentType != 20 && (Tls13 ? side.Encrypting && header.ContentType == 23 : side.Encrypting);
            if (encrypted)
            {
                secret = side.SecretName;
                if (side.Decryptor is not { } decryptor)
                {
                    protection = RecordProtection.Sealed;
                    problem = side.Missing ?? "No key for this record.";
                    plaintext = [];
                }
                else
                {
                    sequence = decryptor.Sequence;
                    if (decryptor.TryOpen(bytes, out var opened, out var inner, out problem))
                    {
                        protection = RecordProtection.Opened;
                        plaintext = opened;
                        contentType = inner;
                    }
                    else
                    {
                        protection = RecordProtection.Sealed;
                        plaintext = [];
                    }
                }
            }

            if (problem is not null)
            {
                _problems.Add($"{(direction == WireDirection.ClientToServer ? "Client" : "Server")} record at byte {header.Offset}: {problem}");
            }

            var messages = new List<TlsMessage>();
            var pendingSwitch = false;
            if (protection != RecordProtection.Sealed)
            {
                switch (contentType)
                {
                    case 20:
                        messages.Add(TlsMessages.ChangeCipherSpec(plaintext, Tls13));
                        if (!Tls13)
                        {
                            pendingSwitch = true;
                        }

                        break;
                    case 21:
                        messages.Add(TlsMessages.Alert(plaintext));
                        break;
                    case 22:
                        side.Handshake.AddRange(plaintext);
                        foreach (var (type, message) in TlsMessages.TakeHandshakeMessages(side.Handshake))
                        {
                            messages.Add(TlsMessages.Handshake(message, Tls13));
                            Learn(direction, type, message);
                        }

                        break;
                    case 23:
                        messages.Add(TlsMessages.ApplicationData(plaintext));
                        break;
                    default:
                        messages.Add(new TlsMessage(TlsNames.ContentType(contentType), plaintext.Length,
                            [new("body", $"{plaintext.Length} bytes of an unknown content type")], plaintext));
                        break;
                }
            }

            _records.Add(new DecryptedRecord(direction, header, bytes, protection, secret, sequence, contentType, plaintext, messages, problem));
            if (pendingSwitch)
            {
                StartTls12(direction);
            }
        }

        /// <summary>What a handshake message changes: the randoms, the suite, and (TLS 1.3) which secret opens what comes next.</summary>
        private void Learn(WireDirection direction, byte type, byte[] message)
        {
            if (type == 1 && _clientRandom is null && message.Length >= 4 + 2 + 32)
            {
                _clientRandom = message[6..38];
            }
            else if (type == 2 && direction == WireDirection.ServerToClient && message.Length >= 4 + 2 + 32 + 1)
            {
                var random = message[6..38];
                if (HelloRetryRequest.IsRandom(random))
                {
                    _problems.Add("The server sent a HelloRetryRequest; the kit does not follow a second ClientHello, so later records stay sealed.");
                    return;
                }

                _serverRandom = random;
                var at = 38;
                var sessionIdLength = message[at];
                at += 1 + sessionIdLength;
                if (at + 2 > message.Length)
                {
                    return;
                }

                _suite = (ushort)((message[at] << 8) | message[at + 1]);
                _version = SelectedVersion(message, at + 3) ?? (ushort)((message[4] << 8) | message[5]);
                _aead = AeadSuite.For(_suite.Value);
                if (_aead is null)
                {
                    _problems.Add(AeadSuite.Unsupported(_suite.Value));
                }

                if (Tls13)
                {
                    StartTls13(WireDirection.ServerToClient, "SERVER_HANDSHAKE_TRAFFIC_SECRET");
                    StartTls13(WireDirection.ClientToServer, "CLIENT_HANDSHAKE_TRAFFIC_SECRET");
                }
            }
            else if (type == 20 && Tls13)
            {
                // Each side's Finished is the last message under its handshake key; application keys follow.
                StartTls13(direction, direction == WireDirection.ServerToClient ? "SERVER_TRAFFIC_SECRET_0" : "CLIENT_TRAFFIC_SECRET_0");
            }
            else if (type == 24)
            {
                _problems.Add("A KeyUpdate changed the traffic key; the kit does not follow it, so later records stay sealed.");
                _sides[direction].Stop("Sealed with a key from a KeyUpdate, which the kit does not follow.");
            }
        }

        private void StartTls13(WireDirection direction, string label)
        {
            var side = _sides[direction];
            side.Encrypting = true;
            side.SecretName = label;
            side.Decryptor?.Dispose();
            side.Decryptor = null;
            if (_aead is null || _clientRandom is null)
            {
                side.Missing = _aead is null ? AeadSuite.Unsupported(_suite ?? 0) : "No ClientHello was seen, so the key log cannot be searched.";
                return;
            }

            if (!keyLog.TryGet(label, _clientRandom, out var secret))
            {
                side.Missing = MissingSecret(label);
                return;
            }

            side.Decryptor = RecordDecryptor.Tls13(_aead, secret, out var problem);
            side.Missing = problem;
        }

        private void StartTls12(WireDirection direction)
        {
            var side = _sides[direction];
            side.Encrypting = true;
            var client = direction == WireDirection.ClientToServer;
            side.SecretName = $"CLIENT_RANDOM (the master secret; the {(client ? "client" : "server")} write key)";
            if (_aead is null || _clientRandom is null || _serverRandom is null)
            {
                side.Missing = _aead is null && _suite is { } suite ? AeadSuite.Unsupported(suite) : "No ClientHello and ServerHello were seen.";
                return;
            }

            if (!keyLog.TryGet("CLIENT_RANDOM", _clientRandom, out var master))
            {
                side.Missing = MissingSecret("CLIENT_RANDOM");
                return;
            }

            side.Decryptor = RecordDecryptor.Tls12(_aead, master, _clientRandom, _serverRandom, client, out var problem);
            side.Missing = problem;
        }

        private string MissingSecret(string label) =>
            $"The key log has no {label} for this connection (client random {TlsMessages.Hex(_clientRandom, 8)}). Was it written by " +
            $"this connection's client or server, with key logging on before its first TLS connection? ({keyLog.Count} secrets in the log" +
            (keyLog.Problems.Count > 0 ? $"; {keyLog.Problems.Count} lines unreadable, first: {keyLog.Problems[0]}" : string.Empty) + ")";

        /// <summary>The supported_versions extension of a ServerHello, if present.</summary>
        private static ushort? SelectedVersion(byte[] message, int extensionsAt)
        {
            if (extensionsAt + 2 > message.Length)
            {
                return null;
            }

            var end = Math.Min(message.Length, extensionsAt + 2 + ((message[extensionsAt] << 8) | message[extensionsAt + 1]));
            for (var at = extensionsAt + 2; at + 4 <= end;)
            {
                var type = (message[at] << 8) | message[at + 1];
                var length = (message[at + 2] << 8) | message[at + 3];
                if (type == 43 && length == 2 && at + 6 <= end)
                {
                    return (ushort)((message[at + 4] << 8) | message[at + 5]);
                }

                at += 4 + length;
            }

            return null;
        }
    }

    /// <summary>One direction's state: is it encrypting yet, with which secret, and its partial handshake message.</summary>
    private sealed class Side(string sender)
    {
        public string Sender { get; } = sender;

        public bool Encrypting { get; set; }

        public string? SecretName { get; set; }

        public RecordDecryptor? Decryptor { get; set; }

        public string? Missing { get; set; }

        public List<byte> Handshake { get; } = [];

        public void Stop(string why)
        {
            Decryptor?.Dispose();
            Decryptor = null;
            Missing = why;
        }
    }
}
