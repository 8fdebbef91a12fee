using CsCheck;
using TlsLab.Tests.Wire.Fixtures;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

/// <summary>
/// The reader faces bytes from anyone who can open a TCP connection, so these tests throw garbage,
/// cut-offs and corruptions at it and check the promises: a status (never an exception) from TryRead,
/// only TlsParseException from Read, and "need more data" for every honest beginning of a hello.
/// </summary>
public class ClientHelloPropertyTests
{
    private static readonly byte[][] ValidHellos =
    [
        CapturedHellos.Bytes(CapturedHellos.OpenSsl),
        CapturedHellos.Bytes(CapturedHellos.Curl),
        HelloBuilder.Typical().Bytes(),
        HelloBuilder.Frame(HelloBuilder.Typical().Message(), 7, 30, 1, 60),
    ];

    [Fact]
    public void Any_bytes_get_a_status_from_TryRead_and_never_an_exception()
    {
        Gen.Byte.Array[0, 600].Sample(ExpectAStatus, iter: 20_000);
    }

    [Fact]
    public void Bytes_that_start_like_a_hello_get_a_status_and_never_an_exception()
    {
        // Pure noise rarely gets past the first byte; a plausible record and handshake header sends it deep into the parser.
        var plausible = Gen.Byte.Array[0, 600].Select(body =>
        {
            var hello = (byte[])[1, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, 3, 3, .. body];
            return HelloBuilder.Frame(hello);
        });

        plausible.Sample(ExpectAStatus, iter: 20_000);
    }

    [Fact]
    public void Read_throws_nothing_but_TlsParseException()
    {
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            try
            {
                ClientHelloReader.Read(bytes);
            }
            catch (TlsParseException e)
            {
                Assert.NotNull(e.Error);
            }
        }, iter: 5_000);
    }

    [Fact]
    public void Every_strict_prefix_of_a_valid_hello_needs_more_data()
    {
        foreach (var hello in ValidHellos)
        {
            for (var length = 0; length < hello.Length; length++)
            {
                var status = ClientHelloReader.TryRead(hello.AsSpan(0, length), out _, out var error, out _);
                Assert.True(
                    status == ClientHelloReadStatus.NeedMoreData,
                    $"The first {length} of {hello.Length} bytes of a valid hello should need more data, but got {status}: {error}");
            }
        }
    }

    [Fact]
    public void A_valid_hello_with_one_byte_changed_never_throws()
    {
        var corruptions =
            from index in Gen.Int[0, ValidHellos.Length - 1]
            from position in Gen.Int[0, 331]
            from value in Gen.Byte
            select (ValidHellos[index], position, value);

        corruptions.Sample((hello, position, value) =>
        {
            var corrupted = (byte[])hello.Clone();
            corrupted[position % corrupted.Length] = value;
            ExpectAStatus(corrupted);
            ReadThrowsOnlyParseErrors(corrupted);
        }, iter: 20_000);
    }

    [Fact]
    public void Flipping_each_bit_of_a_real_hello_never_throws()
    {
        var hello = CapturedHellos.Bytes(CapturedHellos.OpenSsl);
        for (var bit = 0; bit < hello.Length * 8; bit++)
        {
            var corrupted = (byte[])hello.Clone();
            corrupted[bit / 8] ^= (byte)(1 << (bit % 8));
            ExpectAStatus(corrupted);
        }
    }

    [Fact]
    public void Any_split_into_records_parses_to_the_same_hello()
    {
        var message = HelloBuilder.Typical().Message();
        Gen.Int[1, 80].Array[0, 12].Sample(sizes =>
        {
            var bytes = HelloBuilder.Frame(message, sizes);
            var status = ClientHelloReader.TryRead(bytes, out var hello, out var error, out var consumed);
            Assert.True(status == ClientHelloReadStatus.Complete, $"Split as [{string.Join(", ", sizes)}]: {status} {error}");
            Assert.Equal(bytes.Length, consumed);
            Assert.Equal(message, hello!.HandshakeMessage.ToArray());
        }, iter: 2_000);
    }

    [Fact]
    public void More_bytes_never_change_a_verdict_already_reached()
    {
        // What the incremental contract means for a server reading a socket: once Invalid, waiting cannot help;
        // once Complete, later bytes (the next records) do not change which hello was read.
        var cases =
            from index in Gen.Int[0, ValidHellos.Length - 1]
            from position in Gen.Int[0, 600]
            from value in Gen.Byte
            from cut in Gen.Int[0, 600]
            from tail in Gen.Byte.Array[0, 40]
            select (ValidHellos[index], position, value, cut, tail);

        cases.Sample((hello, position, value, cut, tail) =>
        {
            byte[] full = [.. hello, .. tail];
            full[position % full.Length] = value;
            var prefix = full.AsSpan(0, cut % (full.Length + 1));
            var early = ClientHelloReader.TryRead(prefix, out var earlyHello, out var earlyError, out var earlyConsumed);
            var late = ClientHelloReader.TryRead(full, out var lateHello, out var lateError, out var lateConsumed);

            if (early == ClientHelloReadStatus.Invalid)
            {
                Assert.True(late == ClientHelloReadStatus.Invalid, $"{prefix.Length} bytes were already invalid ({earlyError}), but {full.Length} " +
                    $"bytes gave {late}.");
                Assert.Equal(earlyError!.Kind, lateError!.Kind);
                Assert.Equal(earlyError.Offset, lateError.Offset);
            }
            else if (early == ClientHelloReadStatus.Complete)
            {
                Assert.Equal(ClientHelloReadStatus.Complete, late);
                Assert.Equal(earlyConsumed, lateConsumed);
                Assert.Equal(earlyHello!.HandshakeMessage.ToArray(), lateHello!.HandshakeMessage.ToArray());
            }
            else if (late == ClientHelloReadStatus.Complete)
            {
                Assert.True(lateConsumed > prefix.Length, $"A hello complete within {lateConsumed} bytes was reported as needing more data at " +
                    $"{prefix.Length} bytes.");
            }
        }, iter: 20_000);
    }

    private static void ExpectAStatus(byte[] bytes)
    {
        var status = ClientHelloReader.TryRead(bytes, out var hello, out var error, out var consumed);
        switch (status)
        {
            case ClientHelloReadStatus.Complete:
                Assert.NotNull(hello);
                Assert.Null(error);
                Assert.InRange(consumed, 1, bytes.Length);
                break;
            case ClientHelloReadStatus.NeedMoreData:
                Assert.Null(hello);
                Assert.Null(error);
                Assert.Equal(0, consumed);
                break;
            case ClientHelloReadStatus.Invalid:
                Assert.Null(hello);
                Assert.NotNull(error);
                Assert.InRange(error.Offset, 0, bytes.Length);
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
                break;
            default:
                Assert.Fail($"TryRead returned {status}, which is not a ClientHelloReadStatus value.");
                break;
        }
    }

    private static void ReadThrowsOnlyParseErrors(byte[] bytes)
    {
        try
        {
            ClientHelloReader.Read(bytes);
        }
        catch (TlsParseException)
        {
        }
    }
}
