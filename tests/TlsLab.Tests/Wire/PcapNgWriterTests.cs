using System.Buffers.Binary;
using TlsLab.Tests.Wire.Fixtures;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

// Test strategy: the pcapng file is read back block by block by an independent little reader written from the format's
// description, and every rule Wireshark relies on is checked: the block framing (type, length, body, the same length again,
// 4-byte alignment), the section header's byte-order magic, link type 228 (raw IPv4), a Decryption Secrets Block of type
// TLSK holding exactly the key-log lines before any packet, and for every packet a valid IPv4 header checksum, a valid TCP
// checksum, and sequence numbers that carry each side's bytes, in order, with nothing lost. tshark reading a real capture is
// CaptureCommandTests' job; this test runs everywhere.

/// <summary>The pcapng writer frames its blocks and its packets correctly.</summary>
public sealed class PcapNgWriterTests
{
    [Fact]
    public void The_file_has_a_header_an_interface_the_secrets_and_valid_packets()
    {
        var trace = TraceFile.Load("rfc8448-simple-1rtt.txt");
        var transcript = trace.Transcript();
        using var file = new MemoryStream();

        var packets = PcapNgWriter.Write(file, transcript, trace.KeyLog, 50123, "test capture");

        var blocks = Blocks(file.ToArray());
        Assert.Equal([0x0A0D0D0Au, 1u, 0xAu], blocks.Take(3).Select(b => b.Type));
        Assert.Equal(0x1A2B3C4Du, BinaryPrimitives.ReadUInt32LittleEndian(blocks[0].Body));
        Assert.Equal(228, BinaryPrimitives.ReadUInt16LittleEndian(blocks[1].Body));
        Assert.Equal(0x544C534Bu, BinaryPrimitives.ReadUInt32LittleEndian(blocks[2].Body));
        var secretsLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(blocks[2].Body.AsSpan(4));
        Assert.Equal(trace.KeyLog, System.Text.Encoding.ASCII.GetString(blocks[2].Body, 8, secretsLength));

        var enhanced = blocks.Skip(3).ToList();
        Assert.All(enhanced, b => Assert.Equal(6u, b.Type));
        Assert.Equal(packets, enhanced.Count);
        Assert.Equal(3 + transcript.Chunks.Count + 3, packets);

        var sent = new Dictionary<ushort, List<byte>> { [50123] = [], [443] = [] };
        var next = new Dictionary<ushort, uint>();
        foreach (var block in enhanced)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(block.Body.AsSpan(12));
            var packet = block.Body.AsSpan(20, length);
            Assert.Equal(0, Fold(packet[..20], 0));
            var tcp = packet[20..];
            var source = BinaryPrimitives.ReadUInt16BigEndian(tcp);
            var sequence = BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]);
            var pseudo = Sum(packet[12..20]) + 6 + (uint)tcp.Length;
            Assert.True(Fold(tcp, pseudo) == 0, $"The TCP checksum of the packet from port {source} with sequence {sequence} is wrong.");
            if (next.TryGetValue(source, out var expected))
            {
                Assert.Equal(expected, sequence);
            }

            var payload = tcp[20..];
            sent[source].AddRange(payload.ToArray());
            next[source] = sequence + (uint)payload.Length + ((tcp[13] & 0x03) != 0 ? 1u : 0u);
        }

        Assert.Equal(transcript.Bytes(WireDirection.ClientToServer), sent[50123]);
        Assert.Equal(transcript.Bytes(WireDirection.ServerToClient), sent[443]);
    }

    private static List<(uint Type, byte[] Body)> Blocks(byte[] data)
    {
        var blocks = new List<(uint, byte[])>();
        for (var at = 0; at < data.Length;)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 4));
            Assert.True(length % 4 == 0 && length >= 12, $"Block at byte {at} has length {length}: not a multiple of 4 of at least 12.");
            Assert.Equal((uint)length, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + length - 4)));
            blocks.Add((type, data[(at + 8)..(at + length - 4)]));
            at += length;
        }

        return blocks;
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i < data.Length; i += 2)
        {
            sum += (uint)((data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0));
        }

        return sum;
    }

    /// <summary>The Internet checksum over data that includes its checksum field: 0 when the checksum is right.</summary>
    private static int Fold(ReadOnlySpan<byte> data, uint sum)
    {
        sum += Sum(data);

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (int)(~sum & 0xFFFF);
    }
}
