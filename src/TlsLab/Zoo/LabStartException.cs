namespace TlsLab.Zoo;

/// <summary>The lab could not start; the message says what to do about it.</summary>
internal sealed class LabStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LabStartException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LabStartException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public LabStartException(string message)
        : base(message)
    {
    }
}
