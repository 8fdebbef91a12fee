using System.Net;

namespace TlsLab.Wire;

/// <summary>One client connection through a <see cref="RecordingTap"/>, and what crossed it.</summary>
public sealed class TapConnection
{
    private readonly WireRecorder _recorder;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TapConnection(int id, EndPoint? clientEndPoint, long maxRecordedBytes)
    {
        Id = id;
        ClientEndPoint = clientEndPoint;
        AcceptedAt = DateTimeOffset.UtcNow;
        _recorder = new WireRecorder(maxRecordedBytes);
    }

    /// <summary>1 for the first connection the tap accepted, 2 for the next, and so on.</summary>
    public int Id { get; }

    public EndPoint? ClientEndPoint { get; }

    public DateTimeOffset AcceptedAt { get; }

    /// <summary>A snapshot of what has crossed so far; take it again after <see cref="Closed"/> for the whole story.</summary>
    public WireTranscript Transcript => _recorder.Snapshot();

    /// <summary>Completes (never faults) once both directions are finished and both sockets are closed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Why the connection ended abnormally (target unreachable, reset by a peer), or null.</summary>
    public string? Failure { get; private set; }

    internal WireRecorder Recorder => _recorder;

    internal void Fail(string reason) => Failure ??= reason;

    internal void MarkClosed() => _closed.TrySetResult();

    public override string ToString() => $"connection {Id} from {ClientEndPoint}: {Transcript}{(Failure is null ? "" : $" ({Failure})")}";
}
