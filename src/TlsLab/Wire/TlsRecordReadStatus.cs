namespace TlsLab.Wire;

/// <summary>Outcome of reading one record header from the bytes received so far.</summary>
internal enum TlsRecordReadStatus
{
    Complete,
    NeedMoreData,
    Invalid,
}
