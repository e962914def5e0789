namespace Mode.Testing;

/// <summary>The exception <see cref="ServiceHarness.InjectFaultAsync"/> throws from a task, timer or cron job by default.</summary>
public sealed class InjectedFaultException : Exception
{
    /// <summary>Creates the exception for the work named <paramref name="work"/>.</summary>
    /// <param name="work">The task's, timer's or cron job's name.</param>
    public InjectedFaultException(string work)
        : base($"Fault injected into {work} by the test.")
    {
        Work = work;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public InjectedFaultException()
        : this("a background method")
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public InjectedFaultException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Work = "";
    }

    /// <summary>The work the fault was injected into.</summary>
    public string Work { get; }
}
