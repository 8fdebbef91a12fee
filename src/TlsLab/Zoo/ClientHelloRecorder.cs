namespace TlsLab.Zoo;

/// <summary>
/// Sits under the server's <see cref="System.Net.Security.SslStream"/> and keeps a copy of the
/// first bytes the client sends, so the lab can report what the ClientHello offered, including on
/// handshakes that fail. Recording stops at a cap or when told to, so it costs nothing afterwards.
/// The copy grows as bytes arrive: a ClientHello is a few hundred bytes (a couple of KiB with a
/// post-quantum key share), so a connection, or an idle one, does not carry the whole cap with it.
/// </summary>
internal sealed class ClientHelloRecorder(Stream inner, int capacity = 64 * 1024) : Stream
{
    private const int FirstSize = 2 * 1024;

    private byte[] _buffer = [];
    private int _length;
    private bool _recording = true;

    /// <summary>The bytes read from the client while recording.</summary>
    public ReadOnlySpan<byte> Recorded => _buffer.AsSpan(0, _length);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Stops copying; later reads pass straight through.</summary>
    public void StopRecording() => _recording = false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Record(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Record(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Record(ReadOnlySpan<byte> data)
    {
        if (!_recording || data.IsEmpty)
        {
            return;
        }

        var take = Math.Min(data.Length, capacity - _length);
        if (_length + take > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(capacity, Math.Max(_length + take, Math.Max(FirstSize, _buffer.Length * 2))));
        }

        data[..take].CopyTo(_buffer.AsSpan(_length));
        _length += take;
        if (_length == capacity)
        {
            _recording = false;
        }
    }
}
