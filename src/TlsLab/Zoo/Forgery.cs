namespace TlsLab.Zoo;

/// <summary>The certificate an <see cref="Interceptor"/> presents to the client in place of the real server's.</summary>
public enum Forgery
{
    /// <summary>A certificate it signed itself, with exactly the names the real one has: only a client that trusts anything takes it.</summary>
    SelfSigned,

    /// <summary>A genuine lab certificate, from the lab's own CA, issued to another name (<c>attacker.localhost</c>): the CA vouches for the
    /// attacker, not for the server. Only the name check stops it.</summary>
    OtherName,

    /// <summary>One from an impostor CA whose root and intermediate carry the lab CAs' names, with the server's names: it looks right to anyone
    /// who compares names, and only the keys (the signatures) tell it apart.</summary>
    ImpostorCa,

    /// <summary>The real server's certificate, which is public, without its private key, which is not: the interceptor cannot complete a handshake
    /// with it, whatever the client accepts.</summary>
    RealCertificateWithoutKey,
}
