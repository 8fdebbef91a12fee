using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace TlsLab.Wire;

/// <summary>
/// Writes one recorded connection as a pcapng file that Wireshark and tshark open and decrypt with no set-up. The format
/// (draft-ietf-opsawg-pcapng) is a list of blocks, each <c>type, length, body, length</c>, little-endian here, padded to 4 bytes:
/// a Section Header Block, an Interface Description Block (link type 228: raw IPv4, no Ethernet), a Decryption Secrets Block
/// carrying the TLS key log (secrets type 0x544c534b, "TLSK"), then one Enhanced Packet Block per IPv4/TCP packet. The tap saw
/// a byte stream, not packets, so the packets are made from it: a three-way handshake, one segment per chunk the tap read (with
/// the sequence and acknowledgement numbers a real stack would use, and correct checksums), and a closing FIN exchange.
/// </summary>
internal static class PcapNgWriter
{
    private const uint SectionHeaderType = 0x0A0D0D0A;
    private const uint InterfaceDescriptionType = 0x00000001;
    private const uint EnhancedPacketType = 0x00000006;
    private const uint DecryptionSecretsType = 0x0000000A;
    private const uint TlsKeyLogSecrets = 0x544C534B;
    private const ushort LinkTypeIpv4 = 228;
    private const int MaxSegment = 16 * 1024;

    private const byte Fin = 0x01;
    private const byte Syn = 0x02;
    private const byte Push = 0x08;
    private const byte Ack = 0x10;

    /// <summary>The TCP port the server gets in the file: 443, so Wireshark reads the stream as TLS without being told.</summary>
    public const int ServerPort = 443;

    /// <summary>Writes <paramref name="transcript"/> with <paramref name="keyLogLines"/> (NSS format; empty for none) to <paramref name="output"/>.</summary>
    /// <param name="output">Where the file goes.</param>
    /// <param name="transcript">What the tap recorded.</param>
    /// <param name="keyLogLines">The key-log lines for this connection.</param>
    /// <param name="clientPort">The client's real source port.</param>
    /// <param name="comment">A line about where the capture came from, shown by Wireshark as the file's comment.</param>
    /// <returns>How many packets were written.</returns>
    public static int Write(Stream output, WireTranscript transcript, string keyLogLines, int clientPort, string comment)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(keyLogLines);
        WriteBlock(output, SectionHeaderType, body =>
        {
            WriteU32(body, 0x1A2B3C4D); // byte-order magic: a reader sees which endianness the section uses
            WriteU16(body, 1);          // version 1.0
            WriteU16(body, 0);
            WriteU64(body, ulong.MaxValue); // section length: not given
            WriteOption(body, 1, comment);  // opt_comment
            WriteOption(body, 4, "tlslab capture"); // shb_userappl
            WriteU32(body, 0);              // opt_endofopt
        });
        WriteBlock(output, InterfaceDescriptionType, body =>
        {
            WriteU16(body, LinkTypeIpv4);
            WriteU16(body, 0);
            WriteU32(body, 0);                      // snap length: no limit
            WriteOption(body, 2, "tlslab-tap");     // if_name
            body.Write([9, 0, 1, 0, 6, 0, 0, 0]);   // if_tsresol = 6: timestamps in microseconds
            WriteU32(body, 0);
        });
        if (keyLogLines.Length > 0)
        {
            var secrets = Encoding.ASCII.GetBytes(keyLogLines);
            WriteBlock(output, DecryptionSecretsType, body =>
            {
                WriteU32(body, TlsKeyLogSecrets);
                WriteU32(body, (uint)secrets.Length);
                body.Write(secrets);
                Pad(body, secrets.Length);
            });
        }

        var packets = 0;
        var client = new Endpoint(IPAddress.Loopback, (ushort)clientPort, 0x1000_0000);
        var server = new Endpoint(IPAddress.Loopback, ServerPort, 0x5000_0000);
        var start = transcript.Chunks.Count > 0 ? transcript.Chunks[0].Timestamp : DateTimeOffset.UtcNow;
        var time = start.AddMilliseconds(-1);

        void Send(Endpoint from, Endpoint to, byte flags, ReadOnlySpan<byte> payload, DateTimeOffset at)
        {
            var ack = (flags & Ack) != 0 ? to.Next : 0;
            var packet = Packet(from, to, from.Next, ack, flags, payload);
            from.Next += (uint)payload.Length + ((flags & (Syn | Fin)) != 0 ? 1u : 0u);
            time = at > time ? at : time.AddTicks(10); // microsecond timestamps must not go backwards
            WriteBlock(output, EnhancedPacketType, body =>
            {
                var micros = (ulong)((time - DateTimeOffset.UnixEpoch).Ticks / 10);
                WriteU32(body, 0); // interface 0
                WriteU32(body, (uint)(micros >> 32));
                WriteU32(body, (uint)micros);
                WriteU32(body, (uint)packet.Length); // captured length
                WriteU32(body, (uint)packet.Length); // original length
                body.Write(packet);
                Pad(body, packet.Length);
            });
            packets++;
        }

        Send(client, server, Syn, [], time);
        Send(server, client, Syn | Ack, [], time);
        Send(client, server, Ack, [], time);
        foreach (var chunk in transcript.Chunks)
        {
            var (from, to) = chunk.Direction == WireDirection.ClientToServer ? (client, server) : (server, client);
            for (var at = 0; at < chunk.Data.Length; at += MaxSegment)
            {
                Send(from, to, Push | Ack, chunk.Data.AsSpan(at, Math.Min(MaxSegment, chunk.Data.Length - at)), chunk.Timestamp);
            }
        }

        Send(client, server, Fin | Ack, [], time);
        Send(server, client, Fin | Ack, [], time);
        Send(client, server, Ack, [], time);
        return packets;
    }

    /// <summary>One side of the made-up TCP connection: its address, port, and next sequence number.</summary>
    private sealed class Endpoint(IPAddress address, ushort port, uint initialSequence)
    {
        public byte[] Address { get; } = address.GetAddressBytes();

        public ushort Port { get; } = port;

        public uint Next { get; set; } = initialSequence;
    }

    /// <summary>An IPv4 header (20 bytes), a TCP header (20 bytes), the payload; both checksums computed.</summary>
    private static byte[] Packet(Endpoint from, Endpoint to, uint sequence, uint acknowledgement, byte flags, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[40 + payload.Length];
        var ip = packet.AsSpan(0, 20);
        ip[0] = 0x45; // version 4, header length 5 words
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // don't fragment
        ip[8] = 64;  // time to live
        ip[9] = 6;   // protocol: TCP
        from.Address.CopyTo(ip[12..]);
        to.Address.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip, 0));

        var tcp = packet.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], to.Port);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], acknowledgement);
        tcp[12] = 5 << 4; // header length 5 words
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535); // window
        payload.CopyTo(tcp[20..]);

        // The TCP checksum covers a pseudo-header (both addresses, the protocol, the TCP length) and the whole segment.
        Span<byte> pseudo = stackalloc byte[12];
        from.Address.CopyTo(pseudo);
        to.Address.CopyTo(pseudo[4..]);
        pseudo[9] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)tcp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Checksum(tcp, Sum(pseudo)));
        return packet;
    }

    /// <summary>The Internet checksum (RFC 1071): the ones' complement of the ones'-complement sum of 16-bit words.</summary>
    private static ushort Checksum(ReadOnlySpan<byte> data, uint initial)
    {
        var sum = initial + Sum(data);
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += (uint)((data[i] << 8) | data[i + 1]);
        }

        if (data.Length % 2 == 1)
        {
            sum += (uint)(data[^1] << 8);
        }

        return sum;
    }

    private static void WriteBlock(Stream output, uint type, Action<MemoryStream> writeBody)
    {
        using var body = new MemoryStream();
        writeBody(body);
        var total = (uint)(12 + body.Length);
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(head, type);
        BinaryPrimitives.WriteUInt32LittleEndian(head[4..], total);
        output.Write(head);
        body.Position = 0;
        body.CopyTo(output);
        output.Write(head[4..]);
    }

    private static void WriteOption(MemoryStream body, ushort code, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteU16(body, code);
        WriteU16(body, (ushort)bytes.Length);
        body.Write(bytes);
        Pad(body, bytes.Length);
    }

    private static void Pad(MemoryStream body, int length)
    {
        for (var i = length; i % 4 != 0; i++)
        {
            body.WriteByte(0);
        }
    }

    private static void WriteU16(MemoryStream body, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        body.Write(bytes);
    }

    private static void WriteU32(MemoryStream body, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        body.Write(bytes);
    }

    private static void WriteU64(MemoryStream body, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        body.Write(bytes);
    }
}
