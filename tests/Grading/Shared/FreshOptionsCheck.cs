using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Grading;

/// <summary>
/// Concurrency and state for the options factories (exercises 2, 7, 8, 9): called twice in a row with different names and roots, and
/// then from several threads at once, each call returns options of its own. A static options object or chain policy, reused and
/// changed by the next call, shows up as the first caller's options suddenly naming the second caller's host or trusting its root.
/// </summary>
public static class FreshOptionsCheck
{
    /// <summary>Fails unless every call of <paramref name="create"/> returns its own options, untouched by the calls after it.</summary>
    /// <param name="create">The factory: (host, root) to options.</param>
    /// <param name="method">E.g. <c>ValidatingClient.CreateOptions</c>, for messages.</param>
    /// <param name="roots">Two different roots.</param>
    /// <param name="hint">The hint a failure points to.</param>
    public static void Expect(Func<string, X509Certificate2, SslClientAuthenticationOptions> create, string method, (X509Certificate2 First,
        X509Certificate2 Second) roots, Hint hint)
    {
        ArgumentNullException.ThrowIfNull(create);
        var (first, second) = roots;
        const string firstHost = "first-caller.localhost";
        const string secondHost = "second-caller.localhost";
        var call = $"{method}(\"{firstHost}\", root A), then {method}(\"{secondHost}\", root B), then 8 calls at once with 8 names";
        var a = Attempt.Call(call, hint, () => create(firstHost, first));
        var b = Attempt.Call(call, hint, () => create(secondHost, second));
        var problems = new List<string>();
        Check(a, firstHost, first, "the first call's options, after the second call", problems);
        Check(b, secondHost, second, "the second call's options", problems);
        if (a is not null && ReferenceEquals(a, b))
        {
            problems.Insert(0, "both calls returned the same SslClientAuthenticationOptions object");
        }
        else if (a?.CertificateChainPolicy is { } policy && ReferenceEquals(policy, b?.CertificateChainPolicy))
        {
            problems.Insert(0, "both calls' options share one X509ChainPolicy object");
        }

        if (problems.Count == 0)
        {
            var hosts = Enumerable.Range(0, 8).Select(i => $"caller-{i}.localhost").ToArray();
            var made = new SslClientAuthenticationOptions?[hosts.Length];
            try
            {
                Parallel.For(0, hosts.Length, i => made[i] = create(hosts[i], i % 2 == 0 ? first : second));
            }
            catch (AggregateException e)
            {
                throw Attempt.Unexpected(call, hint, e.InnerExceptions[0]);
            }

            for (var i = 0; i < hosts.Length && problems.Count == 0; i++)
            {
                Check(made[i], hosts[i], i % 2 == 0 ? first : second, $"the options of call {i + 1} of 8 made at once", problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new GradingFailure(
                $"{method} does not return options of their own on each call: {problems[0]}.",
                call,
                string.Join("; ", problems.Take(3)),
                "each call returns a new SslClientAuthenticationOptions with a new X509ChainPolicy, for its own host and root: no static field " +
                    "that the next call changes (options are shared by every connection that uses them)",
                hint);
        }
    }

    private static void Check(SslClientAuthenticationOptions? options, string host, X509Certificate2 root, string which, List<string> problems)
    {
        if (options is null)
        {
            problems.Add($"{which} are null");
            return;
        }

        if (options.TargetHost != host)
        {
            problems.Add($"{which} have TargetHost '{options.TargetHost}' instead of '{host}'");
        }

        if (options.CertificateChainPolicy is { TrustMode: X509ChainTrustMode.CustomRootTrust } policy)
        {
            var store = policy.CustomTrustStore.Cast<X509Certificate2>().ToList();
            if (!store.Any(c => c.RawData.AsSpan().SequenceEqual(root.RawData)))
            {
                problems.Add($"{which} do not trust their own root");
            }
            else if (store.Count > 1)
            {
                problems.Add($"{which} trust {store.Count} roots, another caller's among them");
            }
        }
    }
}
