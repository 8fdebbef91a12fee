using System.Text;
using TlsLab.Tests.Wire.Fixtures;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

public class TlsRecordReaderTests
{
    [Fact]
    public void Reads_a_record_header()
    {
        var status = TlsRecordReader.TryReadHeader([22, 3, 1, 0x01, 0x47], out var header, out var error);

        Assert.Equal(TlsRecordReadStatus.Complete, status);
        Assert.Null(error);
        Assert.Equal(new TlsRecordHeader(0, 22, 0x0301, 0x147), header);
        Assert.Equal("handshake", header.ContentTypeName);
        Assert.Equal("TLS 1.0", header.VersionName);
        Assert.Equal(5 + 0x147, header.TotalLength);
    }

    [Fact]
    public void A_partial_header_that_looks_right_so_far_needs_more_data()
    {
        for (var length = 0; length < 5; length++)
        {
            var status = TlsRecordReader.TryReadHeader(new byte[] { 23, 3, 3, 0, 40 }.AsSpan(0, length), out _, out var error);
            Assert.True(status == TlsRecordReadStatus.NeedMoreData, $"{length} bytes: {status} {error}");
        }
    }

    [Fact]
    public void A_record_longer_than_tls_allows_is_refused()
    {
        var justRight = TlsRecordReader.TryReadHeader([23, 3, 3, 0x48, 0x00], out _, out _);
        var tooLong = TlsRecordReader.TryReadHeader([23, 3, 3, 0x48, 0x01], out _, out var error);

        Assert.Equal(TlsRecordReadStatus.Complete, justRight);
        Assert.Equal(TlsRecordReadStatus.Invalid, tooLong);
        Assert.Equal(TlsParseErrorKind.RecordTooLong, error!.Kind);
        Assert.Equal(3, error.Offset);
    }

    [Fact]
    public void Scans_a_stream_of_records_and_reports_a_cut_off_tail()
    {
        var hello = CapturedHellos.Bytes(CapturedHellos.OpenSsl);
        byte[] changeCipherSpec = [20, 3, 3, 0, 1, 1];
        byte[] halfOfAnother = [23, 3, 3, 0, 50, 1, 2, 3];

        var scan = TlsRecordReader.Scan([.. hello, .. changeCipherSpec, .. halfOfAnother]);

        Assert.True(scan.IsTls);
        Assert.Null(scan.Error);
        Assert.Equal(["handshake", "change_cipher_spec"], scan.Records.Select(r => r.ContentTypeName));
        Assert.Equal([0, hello.Length], scan.Records.Select(r => r.Offset));
        Assert.Equal(halfOfAnother.Length, scan.IncompleteBytes);
    }

    [Fact]
    public void Scanning_plaintext_says_it_is_not_tls_and_why()
    {
        var scan = TlsRecordReader.Scan(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n\r\nhello"));

        Assert.False(scan.IsTls);
        Assert.Empty(scan.Records);
        Assert.Equal(TlsParseErrorKind.NotTls, scan.Error!.Kind);
        Assert.Contains("plaintext HTTP", scan.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scanning_stops_where_the_stream_stops_being_tls()
    {
        byte[] alert = [21, 3, 3, 0, 2, 2, 40];

        var scan = TlsRecordReader.Scan([.. alert, .. "garbage"u8]);

        Assert.Single(scan.Records);
        Assert.Equal(TlsParseErrorKind.NotTls, scan.Error!.Kind);
        Assert.Equal(alert.Length, scan.Error.Offset);
        Assert.StartsWith($"Byte {alert.Length} is 0x67 ('g')", scan.Error.Message, StringComparison.Ordinal);
    }
}
