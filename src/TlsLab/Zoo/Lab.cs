using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;
using TlsLab.Wire;

namespace TlsLab.Zoo;

/// <summary>
/// The workshop's zoo of good and broken TLS endpoints on loopback, with its own throwaway PKI.
/// <code>
/// await using var lab = await Lab.StartAsync();
/// var good = lab["good"];   // connect to good.EndPoint, validate good.Host, trust ChainPolicies.TrustOnly(lab.RootCertificate)
/// </code>
/// </summary>
public sealed class Lab : IAsyncDisposable
{
    private readonly List<EndpointServer> _servers;
    private readonly ConcurrentQueue<ConnectionRecord> _history = new();
    private readonly LabOptions _options;
    private readonly object _waitersLock = new();
    private readonly List<(Func<ConnectionRecord, bool> Match, TaskCompletionSource<ConnectionRecord> Done)> _waiters = [];
    private int _disposed;

    private readonly RevocationServer _revocation;

    private Lab(WorkshopPki pki, RevocationServer revocation, LabOptions options, List<EndpointServer> servers, IReadOnlyList<SkippedScenario> skipped)
    {
        Pki = pki;
        _revocation = revocation;
        _options = options;
        _servers = servers;
        Skipped = skipped;
        Endpoints = servers.Select(s => new LabEndpoint(s.Scenario, options.BindAddress, s.Port)).ToArray();
    }

    /// <summary>The lab's PKI; its root is the only thing a lab client should trust.</summary>
    public WorkshopPki Pki { get; }

    /// <summary>
    /// The lab root certificate (no private key): the same instance on every read, owned by the
    /// lab and disposed with it. Add it to a trust store or a chain policy; do not dispose it.
    /// </summary>
    public X509Certificate2 RootCertificate => Pki.RootCertificate;

    /// <summary>The running endpoints, in catalogue order.</summary>
    public IReadOnlyList<LabEndpoint> Endpoints { get; }

    /// <summary>Null when key logging is on or was not asked for (<see cref="LabOptions.KeyLogFile"/>); otherwise why it is off.</summary>
    public string? KeyLogProblem { get; private set; }

    /// <summary>Scenarios this platform cannot serve, with the reason.</summary>
    internal IReadOnlyList<SkippedScenario> Skipped { get; }

    /// <summary>How many connections are open right now, over all endpoints.</summary>
    public int OpenConnections => _servers.Sum(s => s.OpenConnections);

    /// <summary>Connection tasks the lab still tracks (for tests: zero once every connection is over).</summary>
    internal int TrackedTasks => _servers.Sum(s => s.TrackedTasks);

    /// <summary>The most recent connections (oldest first), as the lab saw them.</summary>
    public IReadOnlyList<ConnectionRecord> Connections => _history.ToArray();

    /// <summary>The endpoint for a scenario name.</summary>
    public LabEndpoint this[string name] => Endpoint(name);

    /// <summary>
    /// Starts every scenario (or those in <see cref="LabOptions.Scenarios"/>) and returns once all listen.
    /// The keys and certificates are minted on the thread pool, each scenario's in parallel, so the
    /// caller's thread is free at once. The lab does not wait for an RSA key (up to half a second to make):
    /// its endpoint listens at once, and its first handshake waits for the key instead.
    /// </summary>
    /// <exception cref="LabStartException">A name is unknown, or a port cannot be bound; the message says what to do.</exception>
    public static async Task<Lab> StartAsync(LabOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LabOptions();
        CheckBasePort(options.BasePort);
        var wanted = SelectScenarios(options);
        var skipped = new List<SkippedScenario>();
        var servable = new List<(Scenario Scenario, int Index)>();
        foreach (var (scenario, index) in wanted)
        {
            if (PlatformSupport.Problem(scenario) is { } problem)
            {
                skipped.Add(new SkippedScenario(scenario.Name, problem));
            }
            else
            {
                servable.Add((scenario, index));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Before any TLS connection of the lab: .NET reads the key-log setting once, at the first handshake.
        var keyLogProblem = options.KeyLogFile is { } keyLog ? await SslKeyLogging.TryEnableAsync(keyLog, cancellationToken).ConfigureAwait(false) : null;
        var time = options.Time;

        // Every certificate names the lab's CRL and OCSP addresses, so the revocation service listens before anything is minted.
        var revocation = RevocationServer.Listen(options.BindAddress, options.RequestTimeout);
        WorkshopPki pki;
        try
        {
            pki = await Task.Run(() => new WorkshopPki(time, KeyKind.EcdsaP256, revocation.BaseUri), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await revocation.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        revocation.Start(pki);

        // Minting is CPU work (RSA key generation above all): one task per scenario, spread over the cores.
        var credentials = servable
            .Select(s => s.Scenario.Tls ? Task.Run(() => ScenarioCredentials.Create(s.Scenario, pki), CancellationToken.None) : null)
            .ToArray();
        var servers = new List<EndpointServer>();
        Lab? lab = null;
        try
        {
            // An ECDSA key takes about a millisecond: wait for those, so a mistake in minting surfaces here.
            await Task.WhenAll(credentials.Where((c, i) => c is not null && servable[i].Scenario.Key != KeyKind.Rsa2048).Select(c => c!))
                .WaitAsync(cancellationToken).ConfigureAwait(false);

            // Clients often send their leaf alone; the server knows its own intermediate, as real servers are configured to.
            var clientPolicy = ChainPolicies.TrustOnly(pki.RootCertificate);
            clientPolicy.ExtraStore.Add(pki.Intermediate.PublicCertificate);
            for (var i = 0; i < servable.Count; i++)
            {
                var (scenario, index) = servable[i];
                var port = options.BasePort is { } basePort ? basePort + index : 0;
                var listener = Listen(options.BindAddress, port, scenario.Name);
                servers.Add(new EndpointServer(scenario, listener, credentials[i], clientPolicy, options, r => lab?.OnCompleted(r),
                    () => lab?.Endpoints ?? []));
                credentials[i] = null; // the server owns them now
            }

            lab = new Lab(pki, revocation, options, servers, skipped) { KeyLogProblem = keyLogProblem };
            foreach (var server in servers)
            {
                server.Start();
            }

            return lab;
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var unused in credentials)
            {
                unused?.DisposeWhenMinted();
            }

            await revocation.DisposeAsync().ConfigureAwait(false);
            pki.Dispose();
            throw;
        }
    }

    /// <summary>Where the lab's CAs publish their CRLs and OCSP answers (<c>http://127.0.0.1:PORT/pki/RUN/</c>).</summary>
    internal Uri RevocationBase => _revocation.BaseUri;

    /// <summary>How many CRL and OCSP requests the lab has answered.</summary>
    internal int RevocationAnswers => _revocation.Answered;

    /// <summary>The endpoint for a scenario name; the exception lists the names that exist.</summary>
    public LabEndpoint Endpoint(string name)
    {
        var endpoint = Endpoints.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        if (endpoint is not null)
        {
            return endpoint;
        }

        var skipped = Skipped.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        throw new KeyNotFoundException(skipped is not null
            ? $"The scenario '{name}' is not served on this platform: {skipped.Reason}"
            : $"There is no running scenario '{name}'. Running: {string.Join(", ", Endpoints.Select(e => e.Name))}.");
    }

    /// <summary>
    /// Client options for an endpoint, the way a careful client sets them: the endpoint's name as
    /// TargetHost, and trust in the lab root only (<see cref="ChainPolicies.TrustOnly"/>, the one way the kit builds that
    /// policy). Protocols are left to the OS default.
    /// </summary>
    public SslClientAuthenticationOptions CreateClientOptions(string name) => new()
    {
        TargetHost = Endpoint(name).Host,
        CertificateChainPolicy = ChainPolicies.TrustOnly(RootCertificate),
    };

    /// <summary>Writes the lab root certificate as PEM (creating the folder) and returns the full path.</summary>
    public string WriteRootCertificate(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, PemExport.Certificate(Pki.RootCertificate));
        return full;
    }

    /// <summary>The lowest port the lab listens on when told which ports to use.</summary>
    internal const int LowestPort = 1024;

    /// <summary>Scenario N listens on BasePort + N, so the whole range must be a port range.</summary>
    private static void CheckBasePort(int? basePort)
    {
        // One rule wherever a base port comes from: the whole range lies in 1024-65535. Ports below 1024 belong to the system's
        // services and need administrator rights; a lab run as root would otherwise take them over.
        var highest = IPEndPoint.MaxPort - (ScenarioCatalog.All.Count - 1);
        if (basePort is { } port && (port < LowestPort || port > highest))
        {
            throw new LabStartException(
                $"Base port {port} is out of range: scenario N listens on BASE+N, so the {ScenarioCatalog.All.Count} scenarios need ports {port} to " +
                    $"{(long)port + ScenarioCatalog.All.Count - 1}, and the lab listens only on ports {LowestPort} to {IPEndPoint.MaxPort} (those " +
                    "below are the system's and need administrator rights). " +
                $"Choose a base port from {LowestPort} to {highest} (--base-port for 'tlslab serve', LabOptions.BasePort in code), or leave it unset to get " +
                    "free ports.");
        }
    }

    /// <summary>
    /// Writes a TLS endpoint's certificate, chain and private key as PEM into <paramref name="directory"/>
    /// (<c>NAME.crt.pem</c>, <c>NAME.chain.pem</c>, <c>NAME.key.pem</c>, the key readable by the owner only),
    /// so that another server (<c>openssl s_server</c>, a Python lesson) can present exactly the same identity.
    /// The lab's keys live for one run and protect nothing; never export a real server's key like this.
    /// </summary>
    public PemFiles WriteServerCredentials(string name, string directory)
    {
        var endpoint = Endpoint(name);
        var credentials = CredentialsOf(name)
            ?? throw new InvalidOperationException($"The scenario '{endpoint.Name}' serves plain HTTP; it has no certificate or key.");
        return PemExport.Write(directory, endpoint.Name, credentials.Leaf, credentials.SentIntermediates);
    }

    /// <summary>What a running endpoint presents (owned by its server); null for plain HTTP.</summary>
    internal EndpointCredentials? CredentialsOf(string name)
    {
        var endpoint = Endpoint(name);
        return _servers.Single(s => s.Scenario == endpoint.Scenario).Credentials;
    }

    /// <summary>
    /// Waits for the lab to finish with a connection matching <paramref name="match"/> (for example
    /// the one from a client's local port), including ones already finished.
    /// </summary>
    public Task<ConnectionRecord> WaitForConnectionAsync(Func<ConnectionRecord, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForMatchAsync(match, timeout, cancellationToken);

    /// <summary>
    /// Waits for the connection whose client used <paramref name="clientPort"/> as its local port.
    /// The system reuses local ports across destinations, so a connection still being served from
    /// that port wins over an older one in the history.
    /// </summary>
    public Task<ConnectionRecord> WaitForConnectionAsync(int clientPort, TimeSpan? timeout = null)
    {
        lock (_waitersLock)
        {
            // A connection still being served from that port is the one meant; wait for exactly it
            // (it may finish any moment, so the history is checked for it too).
            var serving = _servers.Select(s => s.ServingId(clientPort)).FirstOrDefault(id => id is not null);
            Func<ConnectionRecord, bool> match = serving is { } id ? r => r.Id == id : r => r.Client?.Port == clientPort;
            return WaitForMatchAsync(match, timeout ?? TimeSpan.FromSeconds(10), CancellationToken.None);
        }
    }

    private Task<ConnectionRecord> WaitForMatchAsync(Func<ConnectionRecord, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        TaskCompletionSource<ConnectionRecord> done;
        lock (_waitersLock)
        {
            var existing = _history.LastOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            done = new TaskCompletionSource<ConnectionRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
        }

        return WaitAsync();

        async Task<ConnectionRecord> WaitAsync()
        {
            try
            {
                return await done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The lab saw no matching connection within {timeout.TotalSeconds:0.#} s.");
            }
            finally
            {
                lock (_waitersLock)
                {
                    _waiters.RemoveAll(w => w.Done == done);
                }
            }
        }
    }


    /// <summary>Stops every listener, closes every connection and frees every port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Task.WhenAll(_servers.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
        await _revocation.DisposeAsync().ConfigureAwait(false);
        Pki.Dispose();
    }

    private void OnCompleted(ConnectionRecord record)
    {
        lock (_waitersLock)
        {
            _history.Enqueue(record);
            while (_history.Count > _options.ConnectionHistory && _history.TryDequeue(out _))
            {
            }

            foreach (var waiter in _waiters.Where(w => w.Match(record)).ToList())
            {
                waiter.Done.TrySetResult(record);
            }
        }

        if (_options.OnEvent is { } onEvent)
        {
            var message = record.Error ?? (record.HandshakeCompleted ? $"{record.Protocol} {record.CipherSuite}" : "answered");
            try
            {
                onEvent(new LabEvent(DateTimeOffset.UtcNow, record.Scenario, record.Client, record.Outcome, message));
            }
#pragma warning disable CA1031 // A logging callback that throws must not take a connection (or the lab) down with it.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private static List<(Scenario Scenario, int Index)> SelectScenarios(LabOptions options)
    {
        var all = ScenarioCatalog.All.Select((s, i) => (s, i)).ToList();
        if (options.Scenarios is null)
        {
            return all;
        }

        var unknown = options.Scenarios.Where(n => ScenarioCatalog.Find(n) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new LabStartException(
                $"Unknown scenario {string.Join(", ", unknown.Select(n => $"'{n}'"))}. Known scenarios: {string.Join(", ", ScenarioCatalog.Names)}.");
        }

        return all.Where(p => options.Scenarios.Any(n => string.Equals(n, p.s.Name, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    private static TcpListener Listen(IPAddress address, int port, string scenario)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start(backlog: 1024);
            return listener;
        }
        catch (SocketException e)
        {
            listener.Stop();
            throw new LabStartException(e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse =>
                    $"Port {port} on {address} is already in use (needed by scenario '{scenario}'). Stop the program using it (another 'tlslab serve' " +
                        "or lab?), or choose other ports: --base-port for 'tlslab serve', LabOptions.BasePort in code; leave it unset to get free ports.",
                SocketError.AddressNotAvailable =>
                    $"Cannot listen on {address}: this machine has no such address. Use 127.0.0.1 (the default) or one of this machine's addresses.",
                SocketError.AccessDenied =>
                    $"Not allowed to listen on {address}:{port} (ports below 1024 need administrator rights). Choose a base port above 1024: " +
                        "--base-port for 'tlslab serve', LabOptions.BasePort in code.",
                _ => $"Cannot listen on {address}:{port} for scenario '{scenario}': {e.Message}",
            }, e);
        }
    }
}
