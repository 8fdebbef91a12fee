namespace TlsLab.Zoo;

/// <summary>Credentials that may still be minting when their owner stops.</summary>
internal static class MintingCredentials
{
    /// <summary>
    /// Disposes the credentials once minted, without waiting: a lab stopped right after it started should not
    /// wait half a second for an RSA key nobody will use. A mint that fails because the PKI is already gone
    /// is observed here, so it never surfaces as an unobserved task exception.
    /// </summary>
    public static void DisposeWhenMinted(this Task<EndpointCredentials> minting) =>
        minting.ContinueWith(static done =>
        {
            if (done.IsCompletedSuccessfully)
            {
                done.Result.Dispose();
            }
            else
            {
                _ = done.Exception;
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
