using System.Net;

namespace TlsLab.Tests.Robustness;

/// <summary>
/// The requests learners actually write, including the talk's own (<c>GET / HTTP/1.1\n</c> and
/// nothing else): each gets an answer that says what was wrong, over plain HTTP and over TLS, and
/// none of them holds a connection past the request deadline.
/// </summary>
public sealed class HttpRequestEdgeTests : IAsyncLifetime
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);

    private Lab? _lab;

    private Lab Lab => _lab!;

    public async ValueTask InitializeAsync() =>
        _lab = await Lab.StartAsync(new LabOptions
        {
            Scenarios = ["plaintext", "good"],
            RequestTimeout = RequestTimeout,
            HandshakeTimeout = TimeSpan.FromSeconds(2),
        }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("plaintext")]
    [InlineData("good")]
    public async Task The_talks_request_without_an_empty_line_gets_408_with_the_reason_after_the_request_timeout(string name)
    {
        var exchange = await SendAsync(name, "GET / HTTP/1.1\n");

        Assert.True(exchange.ServerClosed, $"'{name}' still held the connection {exchange.ClosedAfter.TotalSeconds:0.#} s after the talk's request.");
        Assert.True(exchange.ClosedAfter > RequestTimeout * 0.8 && exchange.ClosedAfter < RequestTimeout + TimeSpan.FromSeconds(2),
            $"'{name}' answered the unfinished request after {exchange.ClosedAfter.TotalSeconds:0.00} s; the request timeout is {RequestTimeout.TotalSeconds:0.#} s.");
        Assert.StartsWith("HTTP/1.1 408 Request Timeout", exchange.Text, StringComparison.Ordinal);
        Assert.Contains("empty line", exchange.Text, StringComparison.Ordinal);
        var record = await Lab.WaitForConnectionAsync(exchange.ClientPort);
        Assert.Equal(LabEventKind.TimedOut, record.Outcome);
    }

    [Theory]
    [InlineData("plaintext")]
    [InlineData("good")]
    public async Task A_request_without_host_gets_400_that_names_the_host_header(string name)
    {
        var exchange = await SendAsync(name, "GET / HTTP/1.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 Bad Request", exchange.Text, StringComparison.Ordinal);
        Assert.Contains("Host header", exchange.Text, StringComparison.Ordinal);
        Assert.True(exchange.ClosedAfter < RequestTimeout, $"The 400 took {exchange.ClosedAfter.TotalSeconds:0.00} s; it needs no waiting.");
    }

    [Theory]
    [InlineData("plaintext")]
    [InlineData("good")]
    public async Task Bare_line_feeds_with_a_host_are_answered_with_a_note_about_crlf(string name)
    {
        var exchange = await SendAsync(name, $"GET / HTTP/1.1\nHost: {name}.localhost\n\n");

        Assert.StartsWith("HTTP/1.1 200 OK", exchange.Text, StringComparison.Ordinal);
        Assert.Contains("bare LF", exchange.Text, StringComparison.Ordinal);
    }

    private Task<RawExchange> SendAsync(string name, string request)
    {
        var ct = TestContext.Current.CancellationToken;
        var endpoint = Lab[name];
        var limit = RequestTimeout + TimeSpan.FromSeconds(5);
        return endpoint.Tls
            ? RawClient.SendOverTlsAsync(endpoint.EndPoint, Lab.CreateClientOptions(name), request, limit, ct)
            : RawClient.SendPlainAsync(endpoint.EndPoint, request, limit, ct);
    }
}
