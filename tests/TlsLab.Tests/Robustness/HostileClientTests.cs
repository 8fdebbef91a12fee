using System.Diagnostics;
using System.Net;

namespace TlsLab.Tests.Robustness;

/// <summary>Something a broken or hostile client does to a TLS port.</summary>
public enum Attack
{
    /// <summary>Random bytes that are not TLS at all.</summary>
    Garbage,

    /// <summary>A plain HTTP request to the TLS port.</summary>
    PlainHttp,

    /// <summary>A record header claiming 65,535 bytes (the most its 16-bit length can say; TLS allows 16 KiB + 256), then nothing.</summary>
    OversizedRecord,

    /// <summary>A handshake record whose ClientHello claims 16 MiB, then nothing.</summary>
    HugeClientHello,

    /// <summary>The first half of a genuine ClientHello, then the client closes its side.</summary>
    HalfClientHello,

    /// <summary>Connects and never sends a byte.</summary>
    Stall,

    /// <summary>Half a ClientHello, then a TCP reset (SO_LINGER 0) in the middle of the handshake.</summary>
    Reset,

    /// <summary>A complete handshake, then part of an application-data record, then a TCP reset in the middle of that record.</summary>
    ResetAfterHandshake,
}

/// <summary>
/// "One bad client never hurts another": while each kind of misbehaving client works on the good
/// endpoint, a careful client keeps being served promptly; afterwards the lab has let go of every
/// connection, and a client that stalls is dropped at the handshake deadline, not later.
/// </summary>
public sealed class HostileClientTests : IAsyncLifetime
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(2);

    // A loopback handshake takes milliseconds; being held up by the bad client would take the deadline.
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);

    private Lab? _lab;

    private Lab Lab => _lab!;

    public async ValueTask InitializeAsync() =>
        _lab = await Lab.StartAsync(new LabOptions
        {
            Scenarios = ["good"],
            HandshakeTimeout = HandshakeTimeout,
            RequestTimeout = HandshakeTimeout,
        }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    // The verdicts are what .NET on OpenSSL (Linux) records. Garbage, plain HTTP, a stall and a
    // truncated or reset ClientHello are judged by .NET itself; the two oversized claims reach the
    // TLS library, and another library may wait for the promised bytes until the deadline instead.
    [Theory]
    [InlineData(Attack.Garbage, nameof(LabEventKind.HandshakeFailed))]
    [InlineData(Attack.PlainHttp, nameof(LabEventKind.HandshakeFailed))]
    [InlineData(Attack.OversizedRecord, nameof(LabEventKind.TimedOut))] // the server waits for the 64 KiB it was promised, until the deadline
    [InlineData(Attack.HugeClientHello, nameof(LabEventKind.HandshakeFailed))] // OpenSSL: "excessive message size", at once
    [InlineData(Attack.HalfClientHello, nameof(LabEventKind.HandshakeFailed))]
    [InlineData(Attack.Stall, nameof(LabEventKind.TimedOut))]
    [InlineData(Attack.Reset, nameof(LabEventKind.HandshakeFailed))]
    [InlineData(Attack.ResetAfterHandshake, nameof(LabEventKind.BadRequest))] // recorded with what the handshake negotiated
    public async Task A_misbehaving_client_costs_only_itself(Attack attack, string expectedOutcome)
    {
        // By name: the outcome kinds are the lab's own (internal), and a public test method cannot take one.
        var expected = Enum.Parse<LabEventKind>(expectedOutcome);
        var ct = TestContext.Current.CancellationToken;
        var good = Lab["good"];

        var started = DateTimeOffset.UtcNow;
        var attacker = RunAttackAsync(attack, good.EndPoint, ct);
        var probes = await ProbeWhileAsync(attacker, ct);
        var exchange = await attacker;

        AssertAllPrompt(probes, $"while a client did {attack}");

        // The system reuses local port numbers quickly under load: match the time and endpoint too.
        var record = await Lab.WaitForConnectionAsync(
            r => r.Client?.Port == exchange.ClientPort && r.Scenario == "good" && r.AcceptedAt >= started.AddSeconds(-1),
            TimeSpan.FromSeconds(5),
            ct);
        var libraryDecides = attack is Attack.OversizedRecord or Attack.HugeClientHello && !OperatingSystem.IsLinux();
        Assert.True(record.Outcome == expected || (libraryDecides && record.Outcome is LabEventKind.HandshakeFailed or LabEventKind.TimedOut),
            $"The lab should have recorded the {attack} connection as {expected}; it recorded {record.Outcome}: {record.Error}");
        if (record.Outcome == LabEventKind.TimedOut)
        {
            AssertDroppedAtDeadline(attack, exchange);
        }

        switch (attack)
        {
            case Attack.PlainHttp:
                Assert.StartsWith("HTTP/1.1 400 Bad Request", exchange.Text, StringComparison.Ordinal);
                Assert.Contains("this port speaks TLS", exchange.Text, StringComparison.Ordinal);
                break;
            case Attack.HalfClientHello:
                Assert.Contains("middle of its ClientHello", record.ClientHelloError, StringComparison.Ordinal);
                break;
            case Attack.ResetAfterHandshake:
                Assert.True(record.HandshakeCompleted, $"The lab forgot the handshake of a client that reset afterwards: {record}");
                Assert.Equal("good.localhost", record.ServerNameIndication);
                Assert.Contains("went away after the handshake", record.Error, StringComparison.Ordinal);
                break;
        }

        Assert.True(await RawClient.EventuallyAsync(() => Lab.OpenConnections == 0, TimeSpan.FromSeconds(3), ct),
            $"After a client did {attack}, the lab still holds {Lab.OpenConnections} connection(s) open 3 s later.");
        var after = await TlsProbe.ConnectAsync(good.EndPoint, Lab.CreateClientOptions("good"), cancellationToken: ct);
        Assert.True(after.Succeeded, $"After a client did {attack}, a careful client was refused: {after.Explanation}");
    }

    [Fact]
    public async Task A_crowd_of_misbehaving_clients_at_once_costs_only_themselves()
    {
        var ct = TestContext.Current.CancellationToken;
        var good = Lab["good"];
        const int EachKind = 8;

        var attackers = Enum.GetValues<Attack>()
            .SelectMany(attack => Enumerable.Range(0, EachKind).Select(_ => (Attack: attack, Run: RunAttackAsync(attack, good.EndPoint, ct))))
            .ToList();
        var all = Task.WhenAll(attackers.Select(a => a.Run));
        var probes = await ProbeWhileAsync(all, ct);
        await all;

        AssertAllPrompt(probes, $"while {attackers.Count} misbehaving clients were connected");
        foreach (var (attack, run) in attackers.Where(a => a.Attack == Attack.Stall))
        {
            var exchange = await run;
            var record = await Lab.WaitForConnectionAsync(exchange.ClientPort, TimeSpan.FromSeconds(5));
            Assert.Equal(LabEventKind.TimedOut, record.Outcome);
            AssertDroppedAtDeadline(attack, exchange);
        }

        Assert.True(await RawClient.EventuallyAsync(() => Lab.OpenConnections == 0, TimeSpan.FromSeconds(3), ct),
            $"After {attackers.Count} misbehaving clients, the lab still holds {Lab.OpenConnections} connection(s) open 3 s later.");
    }

    private async Task<List<(HandshakeOutcome Outcome, TimeSpan Took)>> ProbeWhileAsync(Task attack, CancellationToken ct)
    {
        var good = Lab["good"];
        var probes = new List<(HandshakeOutcome, TimeSpan)>();
        while (!attack.IsCompleted || probes.Count < 3)
        {
            var clock = Stopwatch.StartNew();
            var outcome = await TlsProbe.ConnectAsync(good.EndPoint, Lab.CreateClientOptions("good"), timeout: TimeSpan.FromSeconds(5), cancellationToken: ct);
            probes.Add((outcome, clock.Elapsed));
            await Task.WhenAny(attack, Task.Delay(50, ct));
        }

        return probes;
    }

    private static void AssertAllPrompt(List<(HandshakeOutcome Outcome, TimeSpan Took)> probes, string situation)
    {
        foreach (var (outcome, took) in probes)
        {
            Assert.True(outcome.Succeeded && outcome.StatusLine == "HTTP/1.1 200 OK",
                $"A careful client was not served {situation}: {outcome}");
            Assert.True(took < Prompt,
                $"A careful client took {took.TotalMilliseconds:0} ms to be served {situation}; expected under {Prompt.TotalMilliseconds:0} ms (the bad client must not hold it up).");
        }
    }

    private static void AssertDroppedAtDeadline(Attack attack, RawExchange exchange)
    {
        Assert.True(exchange.ServerClosed, $"The lab never dropped the {attack} connection (waited {exchange.ClosedAfter.TotalSeconds:0.#} s).");
        Assert.True(exchange.ClosedAfter > HandshakeTimeout * 0.8 && exchange.ClosedAfter < HandshakeTimeout + TimeSpan.FromSeconds(2),
            $"The {attack} connection was dropped after {exchange.ClosedAfter.TotalSeconds:0.00} s; the handshake deadline is {HandshakeTimeout.TotalSeconds:0.#} s.");
    }

    private Task<RawExchange> RunAttackAsync(Attack attack, IPEndPoint target, CancellationToken ct) =>
        RawClient.AttackAsync(attack, target, Lab.CreateClientOptions("good"), HandshakeTimeout + TimeSpan.FromSeconds(5), ct);
}
