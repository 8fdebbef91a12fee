namespace TlsLab.Wire;

/// <summary>
/// The record headers found in a byte stream, in order, plus why the scan stopped early if it did.
/// </summary>
/// <param name="Records">Every complete record (header and whole payload present).</param>
/// <param name="Error">Set when the stream stopped looking like TLS; records before that point are still listed.</param>
/// <param name="IncompleteBytes">Bytes at the end that start a record but do not finish it (a capture cut mid-record).</param>
internal sealed record TlsRecordScan(IReadOnlyList<TlsRecordHeader> Records, TlsParseError? Error, int IncompleteBytes)
{
    public bool IsTls => Error is null && (Records.Count > 0 || IncompleteBytes > 0);
}
