[assembly: AssemblyFixture(typeof(TlsLab.Tests.LabFixture))]


namespace TlsLab.Tests;

/// <summary>One lab for the whole test assembly: starting it mints a dozen certificates.</summary>
public sealed class LabFixture : IAsyncLifetime
{
    private TlsLab.Zoo.Lab? _lab;

    public TlsLab.Zoo.Lab Lab => _lab ?? throw new InvalidOperationException("The lab fixture has not started.");

    public async ValueTask InitializeAsync() => _lab = await TlsLab.Zoo.Lab.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }
}
