using System.Net;
using System.Security.Authentication;
using TlsLab.Diagnostics;

namespace TlsLab.Grading;

/// <summary>What one GET through an <see cref="HttpClient"/> over the attendee's handler ended with.</summary>
/// <param name="Status">The HTTP status, when an answer came.</param>
/// <param name="Error">What the request threw, when it failed.</param>
/// <param name="Validation">What .NET's own certificate check found, before the handler's callback (if any) decided; null when no check ran.</param>
public sealed record HandlerOutcome(int? Status, Exception? Error, ValidationRecord? Validation)
{
    /// <summary>An answer came.</summary>
    public bool Succeeded => Status is not null;

    /// <summary>Refused the way HttpClient reports a TLS refusal: an HttpRequestException whose inner exception is an AuthenticationException.</summary>
    public bool RefusedByTls => Error is HttpRequestException { InnerException: AuthenticationException };

    /// <summary>In one line, for messages.</summary>
    public override string ToString()
    {
        var check = Validation is { } v ? $" [.NET's own check: policy errors {v.PolicyErrors}, chain status {v.ChainStatus}]" : string.Empty;
        return Succeeded
            ? $"HTTP {Status}: the client connected{check}"
            : $"{Attempt.OneLine(Error!)}{check}";
    }
}

/// <summary>
/// Sends requests through an HttpClient over a handler made by the attendee's code, and watches its certificate check: the handler's
/// callback (or, without one, .NET's own verdict) still decides; the watch only records what .NET found first, so a refusal can be
/// judged by its flags rather than by a platform's exception text.
/// </summary>
public sealed class HandlerRequest : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ValidationRecorder _recorder;
    private readonly HttpClient _client;

    /// <summary>Watches <paramref name="handler"/> (before its first request) and wraps it in a client that disposes it.</summary>
    public HandlerRequest(SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Handler = handler;
        var ssl = handler.SslOptions;
        HasOwnCallback = ssl.RemoteCertificateValidationCallback is not null;
        _recorder = ssl.RemoteCertificateValidationCallback is { } own ? new ValidationRecorder(own) : new ValidationRecorder();
        ssl.RemoteCertificateValidationCallback = _recorder.Validate;
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout };
    }

    /// <summary>True when the handler came with a RemoteCertificateValidationCallback of its own.</summary>
    public bool HasOwnCallback { get; }

    /// <summary>True when the call that made the handler added the root it was given to this user's Root store (the grader removed it).</summary>
    public bool RootAddedToStore { get; set; }

    /// <summary>The handler under test.</summary>
    public SocketsHttpHandler Handler { get; }

    /// <summary>
    /// GET https://<paramref name="endPoint"/>/ with <paramref name="host"/> in the Host header (HttpClient then checks that name and sends it
    /// as SNI), or with no Host header (the IP literal of the URI is the name checked).
    /// </summary>
    public async Task<HandlerOutcome> GetAsync(IPEndPoint endPoint, string? host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://{endPoint}/"));
        if (host is not null)
        {
            request.Headers.Host = $"{host}:{endPoint.Port}";
        }

        var before = _recorder.Last;
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken);
            return new HandlerOutcome((int)response.StatusCode, null, Seen(before));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return new HandlerOutcome(null, e, Seen(before));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    // Only a check made for this request: a pooled connection makes none.
    private ValidationRecord? Seen(ValidationRecord? before) => _recorder.Last is { } last && !ReferenceEquals(last, before) ? last : null;
}
