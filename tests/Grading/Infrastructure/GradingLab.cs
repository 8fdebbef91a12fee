using TlsLab.Zoo;

[assembly: AssemblyFixture(typeof(TlsLab.Grading.GradingLab))]


namespace TlsLab.Grading;

/// <summary>One lab for every grading test in the assembly: starting it mints a dozen certificates.</summary>
public sealed class GradingLab : IAsyncLifetime
{
    private Lab? _lab;

    /// <summary>The running lab.</summary>
    public Lab Lab => _lab ?? throw new InvalidOperationException("The grading lab has not started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _lab = await Lab.StartAsync(new LabOptions
    {
        // Short deadlines: a grading run should never wait 10 s for a client that will not finish.
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
    });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }
}
