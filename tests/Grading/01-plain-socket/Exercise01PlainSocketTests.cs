namespace TlsLab.Grading;

/// <summary>Exercise 1, exercises/01-plain-socket: an HTTP/1.1 request over a plain TCP socket.</summary>
[Trait("exercise", "1")]
public sealed class Exercise01PlainSocketTests(GradingLab fixture)
{
    [Task(1)]
    [Fact]
    public void BuildRequest_uses_CRLF_line_endings_and_a_Host_header() =>
        PlainSocketGrader.RequestIsWellFormed(PlainSocketApi.Current);

    [Task(2)]
    [Fact]
    public Task GetStatusLineAsync_sends_that_request_and_reads_a_whole_line() =>
        PlainSocketGrader.SendsTheRequestAndReadsAWholeLineAsync(PlainSocketApi.Current, TestContext.Current.CancellationToken);

    [Task(3)]
    [Fact]
    public Task GetStatusLineAsync_gets_200_OK_from_the_plaintext_endpoint() =>
        PlainSocketGrader.GetsOkFromThePlaintextEndpointAsync(fixture.Lab, PlainSocketApi.Current, TestContext.Current.CancellationToken);

    [Task(4)]
    [Fact]
    public Task GetStatusLineAsync_fails_when_the_server_closes_without_answering() =>
        PlainSocketGrader.FailsWhenTheServerClosesWithoutAnsweringAsync(PlainSocketApi.Current, TestContext.Current.CancellationToken);

    [Task(5)]
    [Fact]
    public Task Null_arguments_get_an_ArgumentNullException() =>
        NullArgumentCheck.ExpectAsync(new Hint(1, 4),
            new NullArgumentCheck.Case("PlainHttpClient.GetStatusLineAsync(null, \"example.localhost\", \"/\")", "endPoint",
                () => PlainSocketApi.Current.GetStatusLineAsync(null!, "example.localhost", "/", TestContext.Current.CancellationToken)));
}
