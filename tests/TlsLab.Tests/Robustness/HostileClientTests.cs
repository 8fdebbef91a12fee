using System.Diagnostics;
using System.Net;
using TlsLab.Client;
using TlsLab.Zoo;

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
    // Far enough away that a careful client on a loaded machine never meets it (on a two-core machine
    // at load 50, with 64 bad clients being handled at once, one took 3.5 s to be served and the lab
    // took over 2 s to read 512 bytes of garbage), near enough that the stalling clients, which must
    // wait for it, keep the tests short.
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    // A loopback handshake takes milliseconds; being held up by a bad client would take the whole
    // deadline. Half of it leaves a loaded machine plenty of room and still tells the two apart; the
    // order checks below tell them apart without any clock.
    private static readonly TimeSpan Prompt = HandshakeTimeout / 2;

    // How much later than its deadline the lab may drop a stalled client, counted from when the client
    // finished sending, on a machine that may be slow to run either side.
    private static readonly TimeSpan DropLeeway = TimeSpan.FromSeconds(5);

    // How long the lab may take to close its side of every connection once the clients are done.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

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
        if (attack is Attack.Stall or Attack.OversizedRecord)
        {
            // Not a matter of timing: a careful client that had to wait behind this one would be served
            // only after the lab dropped it.
            Assert.True(probes[0].AttackerStillConnected,
                $"The first careful client was served only after the lab had dropped the {attack} client; it should not have had to wait for it.");
        }

        // The system reuses local port numbers quickly under load: match the time and endpoint too.
        var record = await Lab.WaitForConnectionAsync(
            r => r.Client?.Port == exchange.ClientPort && r.Scenario == "good" && r.AcceptedAt >= started.AddSeconds(-1),
            Settle,
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

        Assert.True(await RawClient.EventuallyAsync(() => Lab.OpenConnections == 0, Settle, ct),
            $"After a client did {attack}, the lab still holds {Lab.OpenConnections} connection(s) open {Settle.TotalSeconds:0} s later (waited for " +
                "it to close every connection).");
        var after = await TlsClient.ConnectAsync(good.EndPoint, Lab.CreateClientOptions("good"), cancellationToken: ct);
        Assert.True(after.Succeeded, $"After a client did {attack}, a careful client was refused: {after.Explanation}");
    }

    [Fact]
    public async Task A_crowd_of_misbehaving_clients_at_once_costs_only_themselves()
    {
        var ct = TestContext.Current.CancellationToken;
        var good = Lab["good"];
        const int eachKind = 8;

        var attackers = Enum.GetValues<Attack>()
            .SelectMany(attack => Enumerable.Range(0, eachKind).Select(_ => (Attack: attack, Run: RunAttackAsync(attack, good.EndPoint, ct))))
            .ToList();
        var all = Task.WhenAll(attackers.Select(a => a.Run));
        var probes = await ProbeWhileAsync(all, ct);
        await all;

        AssertAllPrompt(probes, $"while {attackers.Count} misbehaving clients were connected");
        Assert.True(probes[0].AttackerStillConnected,
            $"The first careful client was served only after the lab had dropped all {attackers.Count} misbehaving clients (the stalling ones wait " +
                $"for the {HandshakeTimeout.TotalSeconds:0} s deadline); it should not have had to wait for them.");
        foreach (var (attack, run) in attackers.Where(a => a.Attack == Attack.Stall))
        {
            var exchange = await run;
            var record = await Lab.WaitForConnectionAsync(exchange.ClientPort, Settle);
            Assert.Equal(LabEventKind.TimedOut, record.Outcome);
            AssertDroppedAtDeadline(attack, exchange);
        }

        Assert.True(await RawClient.EventuallyAsync(() => Lab.OpenConnections == 0, Settle, ct),
            $"After {attackers.Count} misbehaving clients, the lab still holds {Lab.OpenConnections} connection(s) open {Settle.TotalSeconds:0} s " +
                "later (waited for it to close every connection).");
    }

    // Careful clients one after another until the attack is over (at least three). Each probe notes
    // whether the attacker was still connected when it was served.
    private async Task<List<(HandshakeOutcome Outcome, TimeSpan Took, bool AttackerStillConnected)>> ProbeWhileAsync(Task attack, CancellationToken ct)
    {
        var good = Lab["good"];
        var probes = new List<(HandshakeOutcome, TimeSpan, bool)>();
        while (!attack.IsCompleted || probes.Count < 3)
        {
            var clock = Stopwatch.StartNew();
            var outcome = await TlsClient.ConnectAsync(good.EndPoint, Lab.CreateClientOptions("good"), timeout: HandshakeTimeout * 2, cancellationToken: ct);
            probes.Add((outcome, clock.Elapsed, !attack.IsCompleted));
            await Task.WhenAny(attack, Task.Delay(50, ct)); // spacing between probes, not a wait for anything
        }

        return probes;
    }

    private static void AssertAllPrompt(List<(HandshakeOutcome Outcome, TimeSpan Took, bool AttackerStillConnected)> probes, string situation)
    {
        foreach (var (outcome, took, _) in probes)
        {
            Assert.True(outcome.Succeeded && outcome.StatusLine == "HTTP/1.1 200 OK",
                $"A careful client was not served {situation}: {outcome}");
            Assert.True(took < Prompt,
                $"A careful client took {took.TotalMilliseconds:0} ms to be served {situation}; expected under {Prompt.TotalMilliseconds:0} ms (the " +
                    "bad client must not hold it up).");
        }
    }

    private static void AssertDroppedAtDeadline(Attack attack, RawExchange exchange)
    {
        Assert.True(exchange.ServerClosed, $"The lab never dropped the {attack} connection (waited {exchange.ClosedAfter.TotalSeconds:0.#} s).");

        // Not before the deadline: counted from before the client connected, which is before the lab's clock started.
        Assert.True(exchange.OpenFor > HandshakeTimeout * 0.9,
            $"The {attack} connection was dropped {exchange.OpenFor.TotalSeconds:0.00} s after the client started connecting; the handshake deadline " +
                $"is {HandshakeTimeout.TotalSeconds:0.#} s, so that is too early.");

        // And at the deadline, not long after it: counted from when the client had finished sending.
        Assert.True(exchange.ClosedAfter < HandshakeTimeout + DropLeeway,
            $"The {attack} connection was dropped {exchange.ClosedAfter.TotalSeconds:0.00} s after the client finished sending; the handshake " +
                $"deadline is {HandshakeTimeout.TotalSeconds:0.#} s, so it should have gone within {DropLeeway.TotalSeconds:0} s of it.");
    }

    private Task<RawExchange> RunAttackAsync(Attack attack, IPEndPoint target, CancellationToken ct) =>
        RawClient.AttackAsync(attack, target, Lab.CreateClientOptions("good"), HandshakeTimeout + DropLeeway + TimeSpan.FromSeconds(5), ct);
}
