using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TlsLab.Client;
using TlsLab.Zoo;

namespace TlsLab.Tests.Robustness;

/// <summary>Starting and stopping labs: ports are freed, clashes and typos are explained.</summary>
public sealed class LabLifecycleTests
{
    [Fact]
    public async Task Disposing_the_lab_closes_open_connections_and_frees_every_port()
    {
        var ct = TestContext.Current.CancellationToken;

        // Dispose must close the stalled connection rather than wait for its handshake deadline; with the
        // deadline a minute away, a generous bound on dispose still tells the two apart on a loaded machine.
        var stalledDeadline = TimeSpan.FromSeconds(60);
        var disposeBound = TimeSpan.FromSeconds(15);
        var lab = await StartBelowEphemeralPortsAsync(new LabOptions { HandshakeTimeout = stalledDeadline }, ct);
        int[] ports;
        Socket? stalled = null;
        try
        {
            ports = lab.Endpoints.Select(e => e.Port).ToArray();
            var served = await TlsClient.ConnectAsync(lab["good"].EndPoint, lab.CreateClientOptions("good"), cancellationToken: ct);
            Assert.True(served.Succeeded, served.Explanation);
            stalled = await RawClient.ConnectAsync(lab["good"].EndPoint, ct);
            Assert.True(await RawClient.EventuallyAsync(() => lab.OpenConnections == 1, TimeSpan.FromSeconds(10), ct),
                $"The lab should count the stalled connection as open; it counts {lab.OpenConnections} (waited 10 s for it).");

            var clock = Stopwatch.StartNew();
            await lab.DisposeAsync();
            Assert.True(clock.Elapsed < disposeBound,
                $"Disposing a lab with a stalled client took {clock.Elapsed.TotalSeconds:0.0} s (the client's handshake deadline is " +
                    $"{stalledDeadline.TotalSeconds:0} s away); it should close the connection, not wait for its deadline.");

            var seen = await RawClient.WaitForCloseAsync(stalled, TimeSpan.FromSeconds(10), ct);
            Assert.True(seen.ServerClosed, "The stalled client's connection was still open after the lab was disposed.");
        }
        finally
        {
            stalled?.Dispose();
            await lab.DisposeAsync();
        }

        var stillTaken = new List<string>();
        foreach (var port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                stillTaken.Add($"{port} ({e.SocketErrorCode})");
            }
        }

        Assert.True(stillTaken.Count == 0, $"After the lab was disposed these ports could not be bound again: {string.Join(", ", stillTaken)}.");
    }

    [Fact]
    public async Task Disposing_the_lab_while_clients_are_still_arriving_is_clean()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var round = 0; round < 8; round++)
        {
            // The clients never send a byte; with their deadline a minute away, a dispose that waited for it
            // would blow the 30 s bound below rather than pass slowly.
            var lab = await Lab.StartAsync(new LabOptions
            {
                Scenarios = ["plaintext", "good"],
                HandshakeTimeout = TimeSpan.FromSeconds(60),
                RequestTimeout = TimeSpan.FromSeconds(60)
            }, ct);
            var clients = new List<Socket>();
            try
            {
                var connecting = Enumerable.Range(0, 40)
                    .Select(i => RawClient.ConnectAsync(lab.Endpoints[i % 2].EndPoint, ct))
                    .ToList();
                await Task.WhenAll(connecting);
                clients.AddRange(connecting.Select(c => c.Result));

                // Some connections are accepted but not yet being served: dispose must cope with those too.
                var disposing = lab.DisposeAsync().AsTask();
                var error = await Record.ExceptionAsync(() => disposing.WaitAsync(TimeSpan.FromSeconds(30), ct));
                Assert.True(error is null, $"Disposing a lab while 40 clients were arriving threw (round {round + 1}): {error}");
            }
            finally
            {
                foreach (var client in clients)
                {
                    client.Dispose();
                }

                await lab.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_second_lab_on_the_same_base_port_is_refused_with_the_port_and_what_to_do()
    {
        var ct = TestContext.Current.CancellationToken;
        var (first, basePort) = await StartOnFreeBasePortAsync(["good"], ct);
        await using (first)
        {
            var goodPort = first["good"].Port;

            // plaintext (BasePort + 0) is free and gets bound first; good (BasePort + 1) clashes.
            var refused = await Assert.ThrowsAsync<LabStartException>(() =>
                Lab.StartAsync(new LabOptions { BasePort = basePort, Scenarios = ["plaintext", "good"] }, ct));

            Assert.Contains(goodPort.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
            Assert.Contains("already in use", refused.Message, StringComparison.Ordinal);
            Assert.Contains("'good'", refused.Message, StringComparison.Ordinal);
            Assert.Contains("--base-port", refused.Message, StringComparison.Ordinal); // what to do with the command
            Assert.Contains("LabOptions.BasePort", refused.Message, StringComparison.Ordinal); // and in code

            // The failed start let go of the port it had already bound, and the first lab still works.
            using (var listener = new TcpListener(IPAddress.Loopback, basePort))
            {
                listener.Start();
            }

            var outcome = await TlsClient.ConnectAsync(first["good"].EndPoint, first.CreateClientOptions("good"), cancellationToken: ct);
            Assert.True(outcome.Succeeded, $"The first lab stopped serving after a second lab failed to start next to it: {outcome.Explanation}");
        }
    }

    [Fact]
    public async Task An_unknown_scenario_name_is_refused_with_the_list_of_known_names()
    {
        var refused = await Assert.ThrowsAsync<LabStartException>(() =>
            Lab.StartAsync(new LabOptions { Scenarios = ["good", "expird"] }, TestContext.Current.CancellationToken));

        Assert.Contains("'expird'", refused.Message, StringComparison.Ordinal);
        Assert.All(ScenarioCatalog.Names, name => Assert.Contains(name, refused.Message, StringComparison.Ordinal));
    }

    // The OS gives out a free port; the scenarios are placed so that the one under test lands on it.
    private static async Task<(Lab Lab, int BasePort)> StartOnFreeBasePortAsync(IReadOnlyList<string> scenarios, CancellationToken ct)
    {
        var lastIndex = ScenarioCatalog.Names.ToList().FindIndex(n => n == scenarios[^1]);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            int free;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                free = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var basePort = free - lastIndex;
            if (basePort < 1024 || !IsFree(basePort))
            {
                continue;
            }

            try
            {
                return (await Lab.StartAsync(new LabOptions { BasePort = basePort, Scenarios = scenarios }, ct), basePort);
            }
            catch (LabStartException)
            {
                // Someone else took the port in the meantime; try another.
            }
        }

        throw new InvalidOperationException("Found no free pair of loopback ports in 20 attempts.");
    }

    // Ports the OS hands out (port 0) come from its ephemeral range, so a port this lab frees could be handed
    // straight to another test running in parallel, and "cannot bind it again" would blame the lab. Ports
    // from 20000 to 32767 lie below the ephemeral range of Linux (32768+), Windows and macOS (49152+).
    private static async Task<Lab> StartBelowEphemeralPortsAsync(LabOptions options, CancellationToken ct)
    {
        var count = ScenarioCatalog.Names.Count;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var basePort = Random.Shared.Next(20000, 32768 - count);
            if (!Enumerable.Range(basePort, count).All(IsFree))
            {
                continue;
            }

            try
            {
                return await Lab.StartAsync(options with { BasePort = basePort }, ct);
            }
            catch (LabStartException)
            {
                // Something else on the machine holds one of them; try another block.
            }
        }

        throw new InvalidOperationException($"Found no block of {count} free loopback ports from 20000 to 32767 in 20 attempts.");
    }

    private static bool IsFree(int port)
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
