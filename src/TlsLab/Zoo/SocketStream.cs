using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace TlsLab.Zoo;

/// <summary>
/// The lab's own stream over an accepted socket, in place of <see cref="NetworkStream"/>, for one
/// reason: a client that resets or vanishes. When a send or receive fails, the socket's
/// awaitable API renders the whole current stack trace to text on the spot, and the lab's stack
/// at that moment is deep (the accept loop, the handshake, the HTTP reader), so each abrupt
/// client cost the server more than its handshake's cryptography. Measured with perf on Linux:
/// 12 to 17 % of the server's CPU time with clients that hang up right after their handshake.
/// This stream asks the socket without exceptions (non-blocking calls that return a
/// <see cref="SocketError"/>, and a zero-byte receive to wait for data) and throws the same
/// <see cref="IOException"/>s NetworkStream would, without the rendered trace.
/// </summary>
/// <remarks>
/// Waiting for data uses no buffer, so a wait given up (cancelled by a deadline) leaves nothing
/// behind that could later write into memory the caller has moved on from. The socket is not owned.
/// </remarks>
internal sealed class SocketStream : Stream
{
    private readonly Socket _socket;
    private ReadableWait _wait = new();
    private int _disposed;

    public SocketStream(Socket socket)
    {
        _socket = socket;
        _socket.Blocking = false; // the calls below return WouldBlock instead of waiting
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var read = _socket.Receive(buffer.Span, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                return read;
            }

            if (error != SocketError.WouldBlock)
            {
                throw Failure(error, "read data from");
            }

            // A wait that was given up may still be pending on the socket; never reuse it.
            if (_wait.InFlight)
            {
                _wait = new ReadableWait();
            }

            var waited = await _wait.WaitAsync(_socket, cancellationToken).ConfigureAwait(false);

            // The wait can be the one to learn of a reset; the next receive would then see a plain end of stream.
            if (waited != SocketError.Success)
            {
                throw Failure(waited, "read data from");
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        while (!buffer.IsEmpty)
        {
            var sent = _socket.Send(buffer.Span, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                buffer = buffer[sent..];
                continue;
            }

            if (error != SocketError.WouldBlock)
            {
                throw Failure(error, "write data to");
            }

            // The send buffer is full (a client that does not read): wait the ordinary way, which sends it all.
            try
            {
                await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw Failure(e.SocketErrorCode, "write data to");
            }

            return;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _wait.Dispose(); // a wait still pending is released when the socket closes
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    // The words NetworkStream uses, so the lab's records read the same.
    private static IOException Failure(SocketError error, string what)
    {
        var inner = new SocketException((int)error);
        return new IOException($"Unable to {what} the transport connection: {inner.Message}.", inner);
    }

    /// <summary>A zero-byte receive: completes when the socket has data, has ended, or has failed.</summary>
    private sealed class ReadableWait : SocketAsyncEventArgs, IValueTaskSource<SocketError>
    {
        private ManualResetValueTaskSourceCore<SocketError> _core; // continuations run on the completing thread pool thread
        private CancellationTokenRegistration _cancellation;
        private int _inFlight;
        private int _signalled;

        public ReadableWait()
            : base(unsafeSuppressExecutionContextFlow: true)
        {
            SetBuffer(Memory<byte>.Empty);
        }

        /// <summary>True while the socket still holds this receive (for instance after the caller gave up on it).</summary>
        public bool InFlight => Volatile.Read(ref _inFlight) != 0;

        public ValueTask<SocketError> WaitAsync(Socket socket, CancellationToken cancellationToken)
        {
            _core.Reset();
            _signalled = 0;
            Volatile.Write(ref _inFlight, 1);
            if (!socket.ReceiveAsync(this))
            {
                Volatile.Write(ref _inFlight, 0);
                return ValueTask.FromResult(SocketError);
            }

            var version = _core.Version;
            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((ReadableWait)state!).Signal(null, token), this);
            }

            return new ValueTask<SocketError>(this, version);
        }

        public SocketError GetResult(short token)
        {
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                _cancellation.Dispose();
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        protected override void OnCompleted(SocketAsyncEventArgs e)
        {
            Volatile.Write(ref _inFlight, 0);
            Signal(SocketError, default);
        }

        private void Signal(SocketError? result, CancellationToken cancelled)
        {
            if (Interlocked.Exchange(ref _signalled, 1) != 0)
            {
                return;
            }

            if (result is { } error)
            {
                _core.SetResult(error);
            }
            else
            {
                _core.SetException(new OperationCanceledException(cancelled));
            }
        }
    }
}
