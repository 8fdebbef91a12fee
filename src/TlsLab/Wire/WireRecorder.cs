namespace TlsLab.Wire;

/// <summary>
/// The thread-safe log behind <see cref="RecordingStream"/> and <see cref="RecordingTap"/>. Both directions of a
/// connection are pumped concurrently, so every append takes the lock; readers get immutable snapshots.
/// </summary>
internal sealed class WireRecorder
{
    private readonly Lock _lock = new();
    private readonly List<WireChunk> _chunks = [];
    private readonly long _maxRecordedBytes;
    private readonly TimeProvider _time;
    private long _recordedBytes;
    private long _clientToServerTotal;
    private long _serverToClientTotal;
    private bool _truncated;

    public WireRecorder(long maxRecordedBytes, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRecordedBytes);
        _maxRecordedBytes = maxRecordedBytes;
        _time = time ?? TimeProvider.System;
    }

    public void Record(WireDirection direction, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (direction == WireDirection.ClientToServer)
            {
                _clientToServerTotal += data.Length;
            }
            else
            {
                _serverToClientTotal += data.Length;
            }

            // Past the cap we keep counting, so totals stay true, but stop keeping bytes: a lesson that
            // streams a large download through a tap must not hold it all in memory.
            var room = _maxRecordedBytes - _recordedBytes;
            var kept = (int)Math.Min(room, data.Length);
            if (kept < data.Length)
            {
                _truncated = true;
            }

            if (kept > 0)
            {
                _chunks.Add(new WireChunk(direction, now, data[..kept].ToArray()));
                _recordedBytes += kept;
            }
        }
    }

    public WireTranscript Snapshot()
    {
        lock (_lock)
        {
            return new WireTranscript([.. _chunks], _truncated, _clientToServerTotal, _serverToClientTotal);
        }
    }
}
