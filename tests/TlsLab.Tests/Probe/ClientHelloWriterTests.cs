using CsCheck;
using TlsLab.Cli.Probe;
using TlsLab.Wire;

namespace TlsLab.Tests.Probe;

// Test strategy: the writer is checked against the kit's own reader, which the rest of the suite checks
// against real clients. Thousands of generated offers (any version, suite list, groups, signature schemes,
// SNI, ALPN, status_request, key shares) are written, read back with ClientHelloReader, and every field
// must come back exactly as offered. Whether real servers accept what the writer makes is
// ClientHelloWriterOpenSslTests' job.

/// <summary>What the writer writes, the reader reads back, field for field.</summary>
public sealed class ClientHelloWriterTests
{
    private static readonly ushort[] Versions = [TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13];
    private static readonly string[] Protocols = ["h2", "http/1.1", "acme-tls/1", "spdy/3.1", "x"];

    [Fact]
    public void Every_generated_offer_reads_back_as_offered()
    {
        Gen.Int.Sample(seed =>
        {
            var spec = RandomSpec(new Random(seed));

            var bytes = ClientHelloWriter.Write(spec);
            var hello = ClientHelloReader.Read(bytes);

            var what = $"(seed {seed}, {TlsNames.Version(spec.Version)})";
            var tls13 = spec.Version == TlsVersion.Tls13;
            Assert.True(hello.LegacyVersion == (tls13 ? TlsVersion.Tls12 : spec.Version), $"legacy_version {TlsNames.Version(hello.LegacyVersion)} " +
                $"is wrong {what}.");
            Assert.Equal(tls13 ? [TlsVersion.Tls13] : [], hello.SupportedVersions);
            Assert.Equal(spec.CipherSuites, hello.CipherSuites);
            Assert.Equal(spec.Groups, hello.SupportedGroups);
            Assert.Equal(spec.SignatureAlgorithms, hello.SignatureAlgorithms);
            Assert.Equal(spec.ServerName, hello.ServerName);
            Assert.Equal(spec.Alpn, hello.Alpn);
            Assert.Equal(tls13 ? spec.KeyShares : [], hello.KeyShareGroups);
            Assert.True(hello.HasExtension(TlsExtensionType.StatusRequest) == spec.StatusRequest, $"status_request came back wrong {what}.");
            Assert.True(hello.HasExtension(TlsExtensionType.SessionTicket) == spec.SessionTicket, $"session_ticket came back wrong {what}.");
            Assert.True(hello.SessionIdLength == (tls13 ? 32 : 0), $"A TLS 1.3 hello carries a 32-byte session id, older ones none {what}.");
            Assert.Equal([0], hello.CompressionMethods);
        }, iter: 3_000);
    }

    [Fact]
    public void Key_shares_have_the_size_of_their_group()
    {
        Assert.Equal(65, ClientHelloWriter.KeyShare(ClientHelloWriter.Secp256r1).Length);
        Assert.Equal(0x04, ClientHelloWriter.KeyShare(ClientHelloWriter.Secp256r1)[0]);
        Assert.Equal(97, ClientHelloWriter.KeyShare(ClientHelloWriter.Secp384r1).Length);
        Assert.Equal(133, ClientHelloWriter.KeyShare(ClientHelloWriter.Secp521r1).Length);
        Assert.Equal(32, ClientHelloWriter.KeyShare(ClientHelloWriter.X25519).Length);
    }

    [Fact]
    public void The_legacy_suite_list_holds_no_TLS13_suite_and_no_signalling_value()
    {
        var suites = ClientHelloWriter.LegacySuites;

        Assert.True(suites.Count > 100, $"Only {suites.Count} suites to offer; the scanner should try every suite TlsNames knows.");
        Assert.DoesNotContain(suites, s => TlsNames.IsTls13Suite(s));
        Assert.DoesNotContain((ushort)0x5600, suites);
        Assert.DoesNotContain((ushort)0x00FF, suites);
    }

    [Fact]
    public void Impossible_offers_are_refused_with_a_sentence()
    {
        var none = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ClientHelloWriter.Write(new ClientHelloSpec { Version = TlsVersion.Tls12, CipherSuites = [] }));
        Assert.Contains("between 1 and", none.Message, StringComparison.Ordinal);
        // SSL 3.0 can be asked for (the probe's POODLE check); SSL 2.0 has another hello format altogether.
        var ssl2 = Assert.Throws<ArgumentOutOfRangeException>(() => ClientHelloWriter.Write(new ClientHelloSpec { Version = 0x0200, CipherSuites = [0x002F] }));
        Assert.Contains("is not SSL 3.0 or TLS 1.0 to 1.3", ssl2.Message, StringComparison.Ordinal);
        var ssl3 = ClientHelloWriter.Write(new ClientHelloSpec { Version = TlsVersion.Ssl30, CipherSuites = [0x002F] });
        Assert.Equal([0x16, 0x03, 0x00], ssl3[..3]);
    }

    internal static ClientHelloSpec RandomSpec(Random random)
    {
        var version = Versions[random.Next(Versions.Length)];
        var suitePool = version == TlsVersion.Tls13 ? ClientHelloWriter.Tls13Suites.ToArray() : ClientHelloWriter.LegacySuites.ToArray();
        var groups = Subset(random, ClientHelloWriter.DefaultGroups.ToArray(), 0);
        var shareable = groups.Where(g => g is ClientHelloWriter.X25519 or ClientHelloWriter.Secp256r1 or ClientHelloWriter.Secp384r1).ToArray();
        return new ClientHelloSpec
        {
            Version = version,
            CipherSuites = Subset(random, suitePool, 1),
            Groups = groups,
            KeyShares = Subset(random, shareable, 0),
            SignatureAlgorithms = Subset(random, ClientHelloWriter.DefaultSignatureAlgorithms.ToArray(), 0),
            ServerName = random.Next(3) == 0 ? null : $"host{random.Next(1000)}.example{(random.Next(2) == 0 ? ".localhost" : ".org")}",
            Alpn = Subset(random, Protocols, 0),
            StatusRequest = random.Next(2) == 0,
            SessionTicket = random.Next(2) == 0,
        };
    }

    /// <summary>A random selection (at least <paramref name="min"/> items) in a random order, no repeats.</summary>
    private static T[] Subset<T>(Random random, T[] pool, int min)
    {
        var shuffled = pool.OrderBy(_ => random.Next()).ToArray();
        var count = min >= shuffled.Length ? shuffled.Length : random.Next(min, shuffled.Length + 1);
        return shuffled[..Math.Min(count, shuffled.Length)];
    }
}
