namespace TlsLab.Zoo;

/// <summary>Another name to reach an endpoint under, and whether a correct client accepts the endpoint's certificate for it.</summary>
/// <param name="Host">The name to send as SNI and validate (it resolves to the loopback address like every <c>.localhost</c> name).</param>
/// <param name="Accepted">True when a correct client connects under this name.</param>
/// <param name="Why">One sentence for the page.</param>
internal sealed record AlternativeHost(string Host, bool Accepted, string Why);
