namespace TlsLab.Cli.Probe;

/// <summary>The attempt or time limit is used up; what was found so far still stands.</summary>
internal sealed class ProbeBudgetException(string message) : Exception(message);

/// <summary>
/// Keeps a probe polite and bounded: a cap on connections, a deadline for the whole probe, and never more
/// than a few connections at once. Every connection of a probe goes through here.
/// </summary>
internal sealed class ProbeBudget : IDisposable
{
    private readonly ProbeSettings _settings;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _deadline;
    private int _attempts;

    public ProbeBudget(ProbeSettings settings, CancellationToken cancellationToken)
    {
        _settings = settings;
        _slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _deadline.CancelAfter(settings.MaxTime);
        Cancellation = cancellationToken;
    }

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The caller's own cancellation (Ctrl+C), as opposed to the probe's deadline.</summary>
    public CancellationToken Cancellation { get; }

    public CancellationToken Deadline => _deadline.Token;

    /// <summary>Sends one hand-made hello over a fresh connection.</summary>
    /// <exception cref="ProbeBudgetException">No attempts or time left.</exception>
    /// <exception cref="ProbeConnectException">The TCP connection failed.</exception>
    public Task<ServerAnswer> SendAsync(ClientHelloSpec spec) =>
        RunAsync(token => HelloExchange.SendAsync(_settings.EndPoint, ClientHelloWriter.Write(spec), _settings.Timeout, token));

    /// <summary>Runs one connection's worth of work inside the limits.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work)
    {
        if (Interlocked.Increment(ref _attempts) > _settings.MaxAttempts)
        {
            Interlocked.Decrement(ref _attempts);
            throw new ProbeBudgetException($"the limit of {_settings.MaxAttempts} connections was reached");
        }

        try
        {
            await _slots.WaitAsync(_deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
        {
            throw new ProbeBudgetException($"the probe's time limit of {_settings.MaxTime.TotalSeconds:0} s ran out");
        }

        try
        {
            return await work(_deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
        {
            throw new ProbeBudgetException($"the probe's time limit of {_settings.MaxTime.TotalSeconds:0} s ran out");
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _deadline.Dispose();
    }
}
