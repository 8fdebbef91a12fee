namespace TlsLab.Zoo;

/// <summary>How reading a request head ended.</summary>
internal enum HttpReadStatus
{
    Ok,
    ClosedBeforeRequest,
    IncompleteHead,
    TooLarge,
    Malformed,
}

/// <summary>A request head, or why there is none.</summary>
internal sealed record HttpReadResult(HttpReadStatus Status, HttpRequestHead? Head, string? Problem);
