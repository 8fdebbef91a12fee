using System.Net;
using System.Net.Sockets;
using TlsLab.Zoo;

namespace TlsLab.Tests.Attack;

public sealed class InterceptorTests(LabFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private Lab Lab => fixture.Lab;

    [Theory]
    [InlineData(Forgery.SelfSigned)]
    [InlineData(Forgery.ImpostorCa)]
    [InlineData(Forgery.OtherName)]
    public async Task An_accept_all_client_gets_its_200_and_the_interceptor_reads_its_Authorization_header(Forgery forgery)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var attacker = await Interceptor.StartAsync(Lab, "good", forgery);

        var (answer, error) = await InterceptedClient.TryGetAsync(attacker.EndPoint, ClientMistake.AcceptAll.Options(Lab, Lab["good"].Host), ct);
        var seen = await attacker.WaitForConnectionAsync(1, Patience, ct);

        Assert.True(error is null, $"The accept-all client should have got through the {forgery} interceptor; it failed with: {error}");
        Assert.True(answer?.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), $"The client should have got a 200 through the interceptor: {seen}");
        Assert.True(seen.ClientFooled, $"The interceptor should have completed its handshake with the client: {seen}");
        Assert.Equal(InterceptedClient.Secret, seen.Authorization);
        Assert.Equal("GET / HTTP/1.1", seen.RequestLine);
        Assert.Equal("HTTP/1.1 200 OK", seen.StatusLine);
        Assert.Equal(answer, seen.Response[(seen.Response.IndexOf("HTTP/1.1", StringComparison.Ordinal))..]);
        Assert.Null(seen.Failure);
    }

    [Theory]
    [InlineData(Forgery.SelfSigned)]
    [InlineData(Forgery.ImpostorCa)]
    [InlineData(Forgery.OtherName)]
    [InlineData(Forgery.RealCertificateWithoutKey)]
    public async Task The_correct_client_refuses_every_forgery_and_the_interceptor_reads_nothing(Forgery forgery)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var attacker = await Interceptor.StartAsync(Lab, "good", forgery);

        var (answer, error) = await InterceptedClient.TryGetAsync(attacker.EndPoint, Lab.CreateClientOptions("good"), ct);
        var seen = await attacker.WaitForConnectionAsync(1, Patience, ct);

        Assert.True(answer is null, $"The careful client should have refused the {forgery} certificate; it got:\n{answer}");
        Assert.NotNull(error);
        Assert.False(seen.ClientFooled);
        Assert.NotNull(seen.Refusal);
        Assert.Equal("", seen.Request);
        Assert.Null(seen.Authorization);
    }

    [Fact]
    public async Task The_real_certificate_without_its_key_fools_nobody_not_even_an_accept_all_client()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var attacker = await Interceptor.StartAsync(Lab, "good", Forgery.RealCertificateWithoutKey);

        var (answer, error) = await InterceptedClient.TryGetAsync(attacker.EndPoint, ClientMistake.AcceptAll.Options(Lab, Lab["good"].Host), ct);
        var seen = await attacker.WaitForConnectionAsync(1, Patience, ct);

        Assert.Null(answer);
        Assert.NotNull(error);
        Assert.False(seen.ClientFooled);
        Assert.Contains("private key", seen.Refusal, StringComparison.Ordinal);
        Assert.Equal("", seen.Request);
    }

    // Who is fooled by what: the table the lesson prints, checked handshake by handshake.
    [Theory]
    [InlineData("accept-all", Forgery.SelfSigned, true)]
    [InlineData("accept-all", Forgery.OtherName, true)]
    [InlineData("accept-all", Forgery.ImpostorCa, true)]
    [InlineData("accept-all", Forgery.RealCertificateWithoutKey, false)]
    [InlineData("ignores-name-mismatch", Forgery.SelfSigned, false)]
    [InlineData("ignores-name-mismatch", Forgery.OtherName, true)]
    [InlineData("ignores-name-mismatch", Forgery.ImpostorCa, false)]
    [InlineData("any-root", Forgery.SelfSigned, true)]
    [InlineData("any-root", Forgery.OtherName, false)]
    [InlineData("any-root", Forgery.ImpostorCa, true)]
    [InlineData("root-by-name", Forgery.SelfSigned, false)]
    [InlineData("root-by-name", Forgery.OtherName, false)]
    [InlineData("root-by-name", Forgery.ImpostorCa, true)]
    [InlineData("pin-overrules", Forgery.SelfSigned, false)]
    [InlineData("pin-overrules", Forgery.OtherName, true)]
    [InlineData("pin-overrules", Forgery.ImpostorCa, false)]
    public async Task Each_client_mistake_is_fooled_by_the_forgeries_it_cannot_tell_apart(string mistake, Forgery forgery, bool fooled)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var attacker = await Interceptor.StartAsync(Lab, "good", forgery);

        var (answer, error) = await InterceptedClient.TryGetAsync(attacker.EndPoint, ClientMistake.Find(mistake).Options(Lab, Lab["good"].Host), ct);
        var seen = await attacker.WaitForConnectionAsync(1, Patience, ct);

        Assert.True(fooled == seen.ClientFooled, fooled
            ? $"The '{mistake}' client should have taken the {forgery} certificate; it refused: {error?.Message} / {seen.Refusal}"
            : $"The '{mistake}' client should have refused the {forgery} certificate; the interceptor read:\n{seen.Request}");
        Assert.Equal(fooled ? InterceptedClient.Secret : null, seen.Authorization);
        Assert.Equal(fooled, answer is not null);
    }

    [Fact]
    public async Task It_stands_in_front_of_a_broken_endpoint_too_and_passes_its_answer_on()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var attacker = await Interceptor.StartAsync(Lab, Lab["expired"].EndPoint, Forgery.SelfSigned);

        var (answer, error) = await InterceptedClient.TryGetAsync(attacker.EndPoint, ClientMistake.AcceptAll.Options(Lab, Lab["expired"].Host), ct);
        var seen = await attacker.WaitForConnectionAsync(1, Patience, ct);

        Assert.True(error is null, $"{error}");
        Assert.Contains("X-TlsLab-Scenario: expired", answer, StringComparison.Ordinal);
        Assert.Equal(InterceptedClient.Secret, seen.Authorization);
    }

    [Fact]
    public async Task It_listens_on_loopback_only()
    {
        await using var attacker = await Interceptor.StartAsync(Lab, "good", Forgery.SelfSigned);

        Assert.Equal(IPAddress.Loopback, attacker.EndPoint.Address);
        Assert.NotEqual(Lab["good"].Port, attacker.EndPoint.Port);
    }

    [Fact]
    public async Task It_refuses_a_target_that_is_not_one_of_the_labs_endpoints_and_says_so()
    {
        using var stranger = new TcpListener(IPAddress.Loopback, 0);
        stranger.Start();

        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            Interceptor.StartAsync(Lab, (IPEndPoint)stranger.LocalEndpoint, Forgery.SelfSigned));

        Assert.Contains("only in front of the lab's own endpoints", e.Message, StringComparison.Ordinal);
        Assert.Contains(stranger.LocalEndpoint.ToString()!, e.Message, StringComparison.Ordinal);
        Assert.Contains("good", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_refuses_an_address_outside_the_machine()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            Interceptor.StartAsync(Lab, new IPEndPoint(IPAddress.Parse("192.0.2.10"), Lab["good"].Port), Forgery.SelfSigned));

        Assert.Contains("not one of them", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_refuses_the_plain_http_endpoint_and_an_unknown_scenario()
    {
        var plain = Lab.Endpoints.First(e => !e.Tls);

        var notTls = await Assert.ThrowsAsync<ArgumentException>(() => Interceptor.StartAsync(Lab, plain.Name, Forgery.SelfSigned));
        var unknown = await Assert.ThrowsAsync<KeyNotFoundException>(() => Interceptor.StartAsync(Lab, "example.com", Forgery.SelfSigned));

        Assert.Contains("plain HTTP", notTls.Message, StringComparison.Ordinal);
        Assert.Contains("good", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_it_ends_a_connection_that_never_speaks_and_frees_its_port()
    {
        var ct = TestContext.Current.CancellationToken;
        var attacker = await Interceptor.StartAsync(Lab, "good", Forgery.SelfSigned);
        var port = attacker.EndPoint.Port;
        using var silent = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(attacker.EndPoint, ct);
        var accepted = await WaitUntilAsync(() => attacker.Connections.Count == 1, ct);

        var stopping = attacker.DisposeAsync().AsTask();

        Assert.True(accepted, "The interceptor did not accept the connection.");
        Assert.True(await Task.WhenAny(stopping, Task.Delay(Patience, ct)) == stopping, "Disposing the interceptor hung on a silent client.");
        using var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50, ct);
        }

        return condition();
    }
}
