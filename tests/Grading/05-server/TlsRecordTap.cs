namespace TlsLab.Grading;

/// <summary>
/// A stream between a socket and an SslStream that keeps every byte the peer sent, so that a check can read the TLS record
/// headers: under TLS 1.2 their content type is in clear (21 for an alert, 23 for application data), so a server that ends
/// with close_notify is seen ending with an alert record.
/// </summary>
public sealed class TlsRecordTap(Stream inner) : Stream
{
    private readonly MemoryStream _received = new();

    /// <summary>The content type of each whole record received so far, in order.</summary>
    public IReadOnlyList<byte> RecordTypes()
    {
        var bytes = _received.ToArray();
        var types = new List<byte>();
        for (var at = 0; at + 5 <= bytes.Length;)
        {
            var length = (bytes[at + 3] << 8) | bytes[at + 4];
            if (at + 5 + length > bytes.Length)
            {
                break;
            }

            types.Add(bytes[at]);
            at += 5 + length;
        }

        return types;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        _received.Write(buffer, offset, n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        _received.Write(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _received.Dispose();
        }

        base.Dispose(disposing);
    }
}
