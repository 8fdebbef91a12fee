namespace TlsLab.Zoo;

/// <summary>What a correctly written client, trusting only the lab root, does with an endpoint.</summary>
public enum Expectation
{
    /// <summary>It connects and gets an answer.</summary>
    Ok,

    /// <summary>It refuses (or is refused) before a single byte of the request is sent.</summary>
    Reject,
}
