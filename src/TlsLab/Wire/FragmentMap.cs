namespace TlsLab.Wire;

/// <summary>
/// Remembers where each piece of a handshake message sat in the raw input, because a message split across
/// records has gaps (the record headers) and an error should point at the byte a person would see in a hex dump.
/// </summary>
internal sealed class FragmentMap
{
    private readonly List<(int MessageStart, int InputStart, int Length)> _fragments = [];

    public int MessageLength { get; private set; }

    public void Add(int inputStart, int length)
    {
        _fragments.Add((MessageLength, inputStart, length));
        MessageLength += length;
    }

    public int ToInputOffset(int messagePosition)
    {
        foreach (var (messageStart, inputStart, length) in _fragments)
        {
            if (messagePosition < messageStart + length)
            {
                return inputStart + Math.Max(0, messagePosition - messageStart);
            }
        }

        // Past the bytes received: point just after the last one.
        return _fragments.Count == 0 ? 0 : _fragments[^1].InputStart + _fragments[^1].Length;
    }

    /// <summary>The message bytes received so far, copied together only when they arrived in more than one piece.</summary>
    public ReadOnlySpan<byte> Assemble(ReadOnlySpan<byte> input)
    {
        if (_fragments.Count == 1)
        {
            var (_, start, length) = _fragments[0];
            return input.Slice(start, length);
        }

        var message = new byte[MessageLength];
        foreach (var (messageStart, inputStart, length) in _fragments)
        {
            input.Slice(inputStart, length).CopyTo(message.AsSpan(messageStart));
        }

        return message;
    }

    public byte ByteAt(ReadOnlySpan<byte> input, int messagePosition) => input[ToInputOffset(messagePosition)];
}
