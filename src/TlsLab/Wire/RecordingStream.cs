namespace TlsLab.Wire;

/// <summary>
/// A pass-through stream that keeps a copy of every chunk read and written. Put it under an
/// <see cref="System.Net.Security.SslStream"/> (around the NetworkStream) to see the ciphertext, or above it to see the plaintext.
/// Reads and writes may run concurrently, as SslStream does.
/// </summary>
internal sealed class RecordingStream : Stream
{
    /// <summary>Recording stops keeping bytes after this many (16 MiB), so a forgotten tap cannot exhaust memory.</summary>
    public const long DefaultMaxRecordedBytes = 16L * 1024 * 1024;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly WireRecorder _recorder;

    /// <param name="inner">The stream to pass reads and writes through to.</param>
    /// <param name="writeDirection">
    /// Which way bytes written to this stream travel: <see cref="WireDirection.ClientToServer"/> when this wraps the
    /// client's end of the connection, <see cref="WireDirection.ServerToClient"/> when it wraps the server's. Reads are
    /// recorded as the other direction.
    /// </param>
    /// <param name="maxRecordedBytes">Cap on bytes kept (both directions together); totals keep counting past it.</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="inner"/> open.</param>
    public RecordingStream(
        Stream inner,
        WireDirection writeDirection = WireDirection.ClientToServer,
        long maxRecordedBytes = DefaultMaxRecordedBytes,
        bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _recorder = new WireRecorder(maxRecordedBytes);
        WriteDirection = writeDirection;
    }

    public WireDirection WriteDirection { get; }

    public WireDirection ReadDirection =>
        WriteDirection == WireDirection.ClientToServer ? WireDirection.ServerToClient : WireDirection.ClientToServer;

    /// <summary>A snapshot of everything recorded so far.</summary>
    public WireTranscript Transcript => _recorder.Snapshot();

    public override bool CanRead => _inner.CanRead;

    public override bool CanWrite => _inner.CanWrite;

    public override bool CanSeek => false;

    public override bool CanTimeout => _inner.CanTimeout;

    public override int ReadTimeout
    {
        get => _inner.ReadTimeout;
        set => _inner.ReadTimeout = value;
    }

    public override int WriteTimeout
    {
        get => _inner.WriteTimeout;
        set => _inner.WriteTimeout = value;
    }

    public override long Length => throw new NotSupportedException("A recording stream is a pipe: it has no length.");

    public override long Position
    {
        get => throw new NotSupportedException("A recording stream is a pipe: it has no position.");
        set => throw new NotSupportedException("A recording stream is a pipe: it has no position.");
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        _recorder.Record(ReadDirection, buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _recorder.Record(ReadDirection, buffer.Span[..read]);
        return read;
    }

    // Writes are recorded before they are passed on, so by the time the peer can have seen a byte, the
    // transcript has it too; a lesson that checks the transcript after the peer answered never misses the tail.
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _recorder.Record(WriteDirection, buffer);
        _inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _recorder.Record(WriteDirection, buffer.Span);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A recording stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A recording stream has no length to set.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
