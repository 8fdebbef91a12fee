namespace TlsLab.Grading.WrongAnswers;

/// <summary>
/// Each known wrong answer (the classes in this folder) fails the grading task written to catch it,
/// with the hint that explains why it is wrong. The tasks run exactly as in the attendee's test run;
/// only the implementation behind <see cref="Attendee"/> is swapped.
/// </summary>
public sealed class WrongAnswersFailTests(GradingLab fixture)
{
    private static readonly Implementations Right = Attendee.Compiled;

    /// <summary>A wrong answer, the implementation that contains it, and the tasks (with hints) that must catch it.</summary>
    private sealed record WrongAnswer(string Name, Implementations Implementation, params (string Task, int Hint)[] MustFail);

    private static readonly WrongAnswer[] Cases =
    [
        new("1: the talk's request (bare \\n, no Host)",
            Right with { PlainSocket = Right.PlainSocket with { BuildRequest = TalkStyleRequest.BuildRequest } },
            ("1:BuildRequest_uses_CRLF_line_endings_and_a_Host_header", 2)),
        new("1: one read for the whole answer",
            Right with { PlainSocket = Right.PlainSocket with { GetStatusLineAsync = SingleRead.GetStatusLineAsync } },
            ("1:GetStatusLineAsync_sends_that_request_and_reads_a_whole_line", 5)),

        new("2: an accept-all validation callback",
            Right with { Validation = Right.Validation with { CreateOptions = AcceptAllValidation.CreateOptions } },
            [.. ValidationGrader.RefusedScenarios.Select(s => ($"2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason({s})", 3))]),
        new("2: a callback that ignores RemoteCertificateNameMismatch",
            Right with { Validation = Right.Validation with { CreateOptions = IgnoresNameMismatch.CreateOptions } },
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(wrong-host)", 3)),
        new("2: the system store plus any root (AllowUnknownCertificateAuthority)",
            Right with { Validation = Right.Validation with { CreateOptions = SystemStorePlusAnyRoot.CreateOptions } },
            ("2:CreateOptions_refuses_each_broken_endpoint_for_its_own_reason(self-signed)", 3)),
        new("2: a client that swallows AuthenticationException",
            Right with { Validation = Right.Validation with { GetStatusLineAsync = SwallowsFailures.GetStatusLineAsync } },
            ("2:GetStatusLineAsync_lets_a_refused_certificate_surface", 5)),
        new("2: plain HTTP to a TLS port",
            Right with { Validation = Right.Validation with { GetStatusLineAsync = NoTls.GetStatusLineAsync } },
            ("2:GetStatusLineAsync_gets_200_OK_over_TLS", 5)),

        new("3: TLS 1.0 and 1.1 re-enabled",
            Right with { ProtocolFloor = Right.ProtocolFloor with { AtLeastTls12 = ReenablesTls10And11.AtLeastTls12 } },
            ("3:AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older", 2)),
        new("3: protocols left to the operating system",
            Right with { ProtocolFloor = Right.ProtocolFloor with { AtLeastTls12 = LeavesItToTheOs.AtLeastTls12 } },
            ("3:AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older", 2)),
        new("3: fresh options that drop TargetHost and trust",
            Right with { ProtocolFloor = Right.ProtocolFloor with { AtLeastTls12 = FreshOptions.AtLeastTls12 } },
            ("3:AtLeastTls12_keeps_TargetHost_and_trust", 3),
            ("3:AtLeastTls12_still_reaches(good)", 3)),
        new("3: 'TLS 1.3 only' that still offers TLS 1.2",
            Right with { ProtocolFloor = Right.ProtocolFloor with { OnlyTls13 = Tls13OnlyThatAllows12.OnlyTls13 } },
            ("3:OnlyTls13_offers_TLS_1_3_alone", 4),
            ("3:OnlyTls13_is_refused_by_tls12_only_and_reaches_tls13_only(tls12-only)", 4)),

        new("4: a callback that forgives a name mismatch",
            Right with { Hostname = new HostnameApi(ForgivesNameMismatch.ConnectAsync) },
            ("4:Wrong_host_is_refused_as_a_name_mismatch", 2),
            ("4:Good_validated_as_another_name_is_refused", 2)),
        new("4: validating the address instead of the name",
            Right with { Hostname = new HostnameApi(ValidatesTheAddress.ConnectAsync) },
            ("4:Good_validated_as_another_name_is_refused", 2)),
        new("4: a refusal without its flags",
            Right with { Hostname = new HostnameApi(ForgetsTheFlags.ConnectAsync) },
            ("4:Wrong_host_is_refused_as_a_name_mismatch", 5),
            ("4:A_chain_problem_is_reported_with_its_flags_and_a_reason(expired)", 5)),

        new("5: a server that sends no intermediates",
            Right with { Server = Right.Server with { Load = LeafOnlyCredentials.Load } },
            ("5:Load_reads_the_key_the_certificate_and_the_intermediate", 3),
            ("5:The_server_sends_the_full_chain", 3)),
        new("5: one client at a time",
            Right with { Server = Right.Server with { Start = OneClientAtATimeServer.Serial } },
            ("5:The_server_keeps_serving_while_clients_stall_mid_handshake", 6)),
        new("5: no error handling in the accept loop",
            Right with { Server = Right.Server with { Start = OneClientAtATimeServer.SerialWithoutErrorHandling } },
            ("5:The_server_survives_clients_that_send_garbage", 6)),

        new("6: a cipher list that still allows CBC",
            Right with
            {
                Ciphers = new CipherApi(() => CipherListWithCbc.MozillaIntermediate, context => OperatingSystem.IsWindows()
                    ? throw new PlatformNotSupportedException()
                    : CipherListWithCbc.CreateServerOptions(context)),
            },
            ("6:MozillaIntermediate_is_the_profile_and_nothing_else", 2),
            ("6:The_server_refuses_a_client_that_offers_only_CBC", 2)),
        new("6: ECDSA-only TLS 1.2 suites, no TLS 1.3",
            Right with
            {
                Ciphers = new CipherApi(() => EcdsaOnlyTls12List.MozillaIntermediate, context => OperatingSystem.IsWindows()
                    ? throw new PlatformNotSupportedException()
                    : EcdsaOnlyTls12List.CreateServerOptions(context)),
            },
            ("6:MozillaIntermediate_is_the_profile_and_nothing_else", 3),
            ("6:The_server_negotiates_an_AEAD_suite(Rsa2048, Tls12)", 4)),
        new("6: the list never applied as a CipherSuitesPolicy",
            Right with { Ciphers = Right.Ciphers with { CreateServerOptions = ListNeverApplied.CreateServerOptions } },
            ("6:The_server_refuses_a_client_that_offers_only_CBC", 5)),
    ];

    public static TheoryData<string> Names => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_known_wrong_answer_fails_the_task_meant_to_catch_it(string name)
    {
        var wrong = Cases.Single(c => c.Name == name);
        foreach (var (id, hint) in wrong.MustFail)
        {
            var task = Proofs.GradingTask.Find(id);
            GradingFailure? failure = null;
            using (Attendee.Use(wrong.Implementation))
            {
                try
                {
                    await task.RunAsync(fixture);
                }
                catch (GradingFailure e)
                {
                    failure = e;
                }
            }

            Assert.True(failure is not null, $"The wrong answer '{name}' passed {id}; the grader should have caught it.");
            Assert.False(failure.NotStarted, $"'{name}' failed {id} as 'not started', which says nothing about the wrong answer.");
            Assert.True(failure.Hint == new Hint(task.Exercise, hint),
                $"'{name}' failed {id} but pointed at {failure.Hint} instead of hint {hint}:{Environment.NewLine}{failure.Message}");
        }
    }

    [Fact]
    public void Every_named_task_exists()
    {
        Assert.All(Cases.SelectMany(c => c.MustFail), m => Proofs.GradingTask.Find(m.Task));
    }
}
