using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using TlsLab.Zoo;

namespace TlsLab.Tests.Scenarios;

/// <summary>
/// The lab answers in one write, head and body together, so the whole answer is one TLS record:
/// a client that reads once (the talk's <c>recv()</c>, one <c>ReadAsync</c>) gets the explanation,
/// not only the status line.
/// </summary>
public sealed class OneRecordAnswerTests(LabFixture fixture)
{
    private const string HomeLastLine = "What the server saw of your handshake: GET /handshake.json";

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task One_read_gets_the_whole_home_page(SslProtocols protocol)
    {
        if (protocol == SslProtocols.Tls13 && !PlatformSupport.Tls13)
        {
            Assert.Skip(PlatformSupport.Tls13Problem!);
        }

        var text = await ReadOnceAsync("GET / HTTP/1.1\r\nHost: good.localhost\r\nConnection: close\r\n\r\n", protocol);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        Assert.True(text.TrimEnd().EndsWith(HomeLastLine, StringComparison.Ordinal),
            $"One read of 64 KiB over {protocol} should return the whole answer, ending with '{HomeLastLine}'; it returned:\n{text}");
    }

    [Fact]
    public async Task One_read_gets_the_whole_explanation_of_a_refused_request()
    {
        var text = await ReadOnceAsync("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", SslProtocols.None);

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", text, StringComparison.Ordinal);
        Assert.True(text.EndsWith("without Host the server cannot tell which one you mean.\n", StringComparison.Ordinal),
            $"One read should return the whole 400 answer with its explanation; it returned:\n{text}");
    }

    private async Task<string> ReadOnceAsync(string request, SslProtocols protocol)
    {
        var ct = TestContext.Current.CancellationToken;
        var good = fixture.Lab["good"];
        using var tcp = new TcpClient(good.EndPoint.AddressFamily);
        await tcp.ConnectAsync(good.EndPoint, ct);
        await using var tls = new SslStream(tcp.GetStream());
        var options = fixture.Lab.CreateClientOptions("good");
        options.EnabledSslProtocols = protocol;
        await tls.AuthenticateAsClientAsync(options, ct);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request), ct);

        var buffer = new byte[64 * 1024];
        var read = await tls.ReadAsync(buffer, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
