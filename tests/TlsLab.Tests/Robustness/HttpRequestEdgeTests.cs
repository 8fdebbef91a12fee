using TlsLab.Zoo;

namespace TlsLab.Tests.Robustness;

/// <summary>
/// The requests learners actually write, including the talk's own (<c>GET / HTTP/1.1\n</c> and
/// nothing else): each gets an answer that says what was wrong, over plain HTTP and over TLS, and
/// none of them holds a connection past the request deadline.
/// </summary>
public sealed class HttpRequestEdgeTests : IAsyncLifetime
{
    // Long enough that "answered at once" and "answered at the deadline" stay far apart on a loaded
    // machine, short enough that the two tests that wait for it stay quick.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    // How much later than the request deadline the answer may come, counted from when the request was sent.
    private static readonly TimeSpan AnswerLeeway = TimeSpan.FromSeconds(5);

    private Lab? _lab;

    private Lab Lab => _lab!;

    public async ValueTask InitializeAsync() =>
        _lab = await Lab.StartAsync(new LabOptions
        {
            Scenarios = ["plaintext", "good"],
            RequestTimeout = RequestTimeout,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
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
        // Not before the deadline (counted from before connecting, so a slow client cannot make it look early),
        // and not long after it (counted from when the request had been sent).
        Assert.True(exchange.OpenFor > RequestTimeout * 0.9,
            $"'{name}' answered the unfinished request {exchange.OpenFor.TotalSeconds:0.00} s after the client started connecting; the request " +
                $"timeout is {RequestTimeout.TotalSeconds:0.#} s, so that is too early.");
        Assert.True(exchange.ClosedAfter < RequestTimeout + AnswerLeeway,
            $"'{name}' answered the unfinished request {exchange.ClosedAfter.TotalSeconds:0.00} s after it was sent; the request timeout is " +
                $"{RequestTimeout.TotalSeconds:0.#} s, so it should have come within {AnswerLeeway.TotalSeconds:0} s of it.");
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
        Assert.True(exchange.ClosedAfter < RequestTimeout, $"The 400 took {exchange.ClosedAfter.TotalSeconds:0.00} s, as long as the " +
            $"{RequestTimeout.TotalSeconds:0} s request timeout; it needs no waiting.");
        var record = await Lab.WaitForConnectionAsync(exchange.ClientPort);
        Assert.True(record.Outcome == LabEventKind.BadRequest, "The lab should have recorded the request without Host as BadRequest (answered at " +
            $"once); it recorded {record.Outcome}: {record.Error}");
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
        var limit = RequestTimeout + AnswerLeeway + TimeSpan.FromSeconds(5);
        return endpoint.Tls
            ? RawClient.SendOverTlsAsync(endpoint.EndPoint, Lab.CreateClientOptions(name), request, limit, ct)
            : RawClient.SendPlainAsync(endpoint.EndPoint, request, limit, ct);
    }
}
