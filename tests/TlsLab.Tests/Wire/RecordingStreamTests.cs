using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

public class RecordingStreamTests
{
    [Fact]
    public void Writes_and_reads_are_recorded_with_their_direction()
    {
        var written = new MemoryStream();
        using var recording = new RecordingStream(new Duplex(new MemoryStream("response"u8.ToArray()), written));

        recording.Write("request"u8);
        var buffer = new byte[100];
        var read = recording.Read(buffer, 0, buffer.Length);

        var transcript = recording.Transcript;
        Assert.Equal(8, read);
        Assert.Equal("request"u8.ToArray(), written.ToArray());
        Assert.Equal(
            [(WireDirection.ClientToServer, "request"), (WireDirection.ServerToClient, "response")],
            transcript.Chunks.Select(c => (c.Direction, Encoding.ASCII.GetString(c.Data))));
        Assert.Equal("request"u8.ToArray(), transcript.BytesSent);
        Assert.Equal("response"u8.ToArray(), transcript.BytesReceived);
        Assert.Equal(7, transcript.TotalBytes(WireDirection.ClientToServer));
        Assert.Equal(8, transcript.TotalBytes(WireDirection.ServerToClient));
    }

    [Fact]
    public void On_the_server_side_writes_are_server_to_client()
    {
        using var recording = new RecordingStream(new MemoryStream(), WireDirection.ServerToClient);

        recording.Write("hello"u8);

        Assert.Equal(WireDirection.ClientToServer, recording.ReadDirection);
        Assert.Equal(WireDirection.ServerToClient, Assert.Single(recording.Transcript.Chunks).Direction);
    }

    [Fact]
    public void The_cap_limits_what_is_kept_but_not_what_is_counted_or_passed_on()
    {
        using var inner = new MemoryStream();
        using var recording = new RecordingStream(inner, maxRecordedBytes: 10);

        recording.Write(new byte[6]);
        recording.Write(new byte[6]);
        recording.Write(new byte[6]);

        var transcript = recording.Transcript;
        Assert.True(transcript.Truncated);
        Assert.Equal(10, transcript.BytesSent.Length);
        Assert.Equal(18, transcript.TotalBytes(WireDirection.ClientToServer));
        Assert.Equal(18, inner.Length);
    }

    [Fact]
    public async Task Concurrent_writers_lose_nothing()
    {
        using var recording = new RecordingStream(Stream.Null);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                recording.Write(new byte[10]);
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(8000, recording.Transcript.Chunks.Count);
        Assert.Equal(80_000, recording.Transcript.TotalBytes(WireDirection.ClientToServer));
    }

    [Fact]
    public void Snapshots_do_not_change_afterwards()
    {
        using var recording = new RecordingStream(Stream.Null);
        recording.Write("one"u8);
        var before = recording.Transcript;

        recording.Write("two"u8);

        Assert.Single(before.Chunks);
        Assert.Equal(2, recording.Transcript.Chunks.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Under_SslStream_it_sees_ciphertext_and_above_it_plaintext()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificate = TestTls.CreateServerCertificate();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync(ct);
            await using var ssl = new SslStream(socket.GetStream());
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct);
            await TestTls.ReadUntilAsync(ssl, "\n", ct);
            await ssl.WriteAsync("the answer is 42\n"u8.ToArray(), ct);
        }, ct);

        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, ct);
        var wire = new RecordingStream(client.GetStream(), WireDirection.ClientToServer);
        await using var ssl = new SslStream(wire);
        await ssl.AuthenticateAsClientAsync(TestTls.PinnedClientOptions(certificate), ct);
        var plain = new RecordingStream(ssl, WireDirection.ClientToServer, leaveOpen: true);
        await plain.WriteAsync("what is the answer?\n"u8.ToArray(), ct);
        var answer = await TestTls.ReadUntilAsync(plain, "\n", ct);
        await server;

        Assert.Equal("the answer is 42\n", answer);
        Assert.Equal("what is the answer?\n", plain.Transcript.Printable(WireDirection.ClientToServer));
        Assert.Equal("the answer is 42\n", plain.Transcript.Printable(WireDirection.ServerToClient));

        var ciphertext = wire.Transcript;
        Assert.True(ciphertext.TryGetClientHello(out var hello), "The first bytes under SslStream should be a " +
            $"ClientHello:\n{ciphertext.HexDump(WireDirection.ClientToServer, 64)}");
        Assert.Equal(TestTls.HostName, hello.ServerName);
        Assert.DoesNotContain("answer", ciphertext.Printable(WireDirection.ClientToServer), StringComparison.Ordinal);
        Assert.DoesNotContain("answer", ciphertext.Printable(WireDirection.ServerToClient), StringComparison.Ordinal);
        Assert.Contains(ciphertext.Records(WireDirection.ServerToClient), r => r.ContentType == TlsContentType.ApplicationData);
    }

    /// <summary>Reads come from one stream and writes go to another, like the two halves of a socket.</summary>
    private sealed class Duplex(Stream reads, Stream writes) : Stream
    {
        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => reads.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => writes.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
