using TlsLab.Zoo;

[assembly: AssemblyFixture(typeof(TlsLab.Grading.GradingLab))]


namespace TlsLab.Grading;

/// <summary>One lab for every grading test in the assembly: starting it mints a dozen certificates.</summary>
public sealed class GradingLab : IAsyncLifetime
{
    private Lab? _lab;

    // True when tlslab grade --watch lent us its lab: it outlives this fixture and is not ours to stop.
    private bool _borrowed;

    /// <summary>
    /// The lab's settings. Short deadlines: a grading run should never wait 10 s for a client that will not
    /// finish. <c>tlslab grade --watch</c> starts the lab it keeps warm between saves with these same settings.
    /// </summary>
    public static LabOptions Options => new()
    {
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>The running lab.</summary>
    public Lab Lab => _lab ?? throw new InvalidOperationException("The grading lab has not started.");

    /// <summary>A fixture around a lab that someone else started and will stop (<c>tlslab grade --watch</c>, which keeps one lab warm).</summary>
    public static GradingLab Borrowing(Lab lab) => new() { _lab = lab ?? throw new ArgumentNullException(nameof(lab)), _borrowed = true };

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _lab ??= await Lab.StartAsync(Options);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_lab is not null && !_borrowed)
        {
            await _lab.DisposeAsync();
        }
    }
}
