using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>What <see cref="HostnameCheck.ConnectAsync"/> found out.</summary>
/// <param name="Connected">True when the handshake completed and the certificate was accepted.</param>
/// <param name="PolicyErrors">The policy errors .NET reported (None when connected).</param>
/// <param name="ChainStatus">Every chain status flag of the built chain (NoError when the chain was fine).</param>
/// <param name="Reason">One sentence for a person: what happened and, on a refusal, why.</param>
public sealed record HostnameCheckResult(
    bool Connected,
    SslPolicyErrors PolicyErrors,
    X509ChainStatusFlags ChainStatus,
    string Reason);
