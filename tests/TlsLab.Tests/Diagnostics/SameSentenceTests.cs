using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Zoo;

namespace TlsLab.Tests.Diagnostics;

/// <summary>
/// A refused certificate reads the same whether a learner explains it the lessons' way (SslStream,
/// a ValidationRecorder, Explain.Failure) or reads TlsClient's outcome: one failure, one sentence.
/// </summary>
public sealed class SameSentenceTests(LabFixture fixture)
{
    public static TheoryData<string> RefusedCertificates => new(ScenarioCatalog.All
        .Where(s => s.Tls && !s.ShouldConnect && s.Rejection is { HandshakeFails: false } && s.DotNetDiffers is null)
        .Select(s => s.Name));

    [Theory]
    [MemberData(nameof(RefusedCertificates))]
    public async Task The_lessons_path_and_the_probe_give_the_same_sentence(string name)
    {
        var lab = fixture.Lab;
        if (PlatformSupport.Problem(ScenarioCatalog.Find(name)!) is { } reason)
        {
            Assert.Skip($"'{name}' is not served on this platform: {reason}");
        }

        var cancellationToken = TestContext.Current.CancellationToken;
        var endPoint = lab[name].EndPoint;
        var lessons = await LessonsSentence(endPoint, lab.CreateClientOptions(name), cancellationToken);
        var outcome = await TlsClient.ConnectAsync(endPoint, lab.CreateClientOptions(name), cancellationToken: cancellationToken);

        Assert.False(outcome.Succeeded, $"'{name}' should have been refused, but TlsClient connected with {outcome.Protocol}.");
        Assert.Equal(lessons, outcome.Explanation);

        // The exception a learner prints says the same, not "rejected by the provided callback".
        Assert.NotNull(outcome.Error);
        Assert.Equal(outcome.Explanation, outcome.Error.Message);
        Assert.DoesNotContain("RemoteCertificateValidationCallback", outcome.Error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> LessonsSentence(System.Net.IPEndPoint endPoint, SslClientAuthenticationOptions options,
        CancellationToken cancellationToken)
    {
        var recorder = new ValidationRecorder();
        options.RemoteCertificateValidationCallback = recorder.Validate;
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken);
        }
        catch (AuthenticationException e)
        {
            return Explain.Failure(e, recorder);
        }

        Assert.Fail($"The lessons' client connected to {endPoint} with {tls.SslProtocol}; the scenario should have been refused.");
        return string.Empty;
    }
}
