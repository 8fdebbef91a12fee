using System.Net;

namespace TlsLab.Zoo;

/// <summary>How to start a <see cref="Lab"/>. The defaults suit notebooks and tests.</summary>
public sealed record LabOptions
{
    /// <summary>
    /// The address to listen on. Loopback by default: the zoo serves deliberately broken TLS and
    /// must not be reachable from the meetup's Wi-Fi unless someone asks for it.
    /// </summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// Null for free ephemeral ports (never a clash). Otherwise scenario N of
    /// <see cref="ScenarioCatalog.All"/> listens on BasePort + N, so the ports are stable across runs.
    /// </summary>
    public int? BasePort { get; init; }

    /// <summary>Null for every scenario this platform can serve; otherwise just these (by name).</summary>
    public IReadOnlyList<string>? Scenarios { get; init; }

    /// <summary>A client that has not finished its handshake by then is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A client that has not sent a whole HTTP request head by then gets 408 and is dropped.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Called for every connection event; must be quick and must not throw.</summary>
    internal Action<LabEvent>? OnEvent { get; init; }

    /// <summary>
    /// Where the PKI's "now" comes from: every certificate the lab mints (expired = ended yesterday,
    /// not-yet-valid = begins next month) is dated by it. The system clock unless a test fixes it.
    /// </summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Opt-in: a file to write the TLS secrets of every connection this process makes or serves (NSS key-log format, owner-only,
    /// labelled). It decrypts the traffic, for the lab, Wireshark and anyone who gets it: never share it. Linux only; elsewhere,
    /// and when this process has already made a TLS connection, the lab starts without it and <see cref="Lab.KeyLogProblem"/> says why.
    /// </summary>
    public string? KeyLogFile { get; init; }

    /// <summary>How many recent connections the lab remembers for <see cref="Lab.Connections"/>.</summary>
    public int ConnectionHistory { get; init; } = 512;
}
