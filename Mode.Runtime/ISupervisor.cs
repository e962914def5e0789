namespace Mode;

/// <summary>
/// Receives the crashes of the services it supervises (Mode's <c>SupervisorStrategy.wakeup</c>).
/// A service whose <see cref="IService.Supervisor"/> is set does not mark its beacon tree crashed;
/// its supervisor decides what happens instead.
/// </summary>
public interface ISupervisor
{
    /// <summary>
    /// Called by <see cref="IService.Crash"/> once per crash, on the crashing thread, right after the
    /// service was marked crashed. Must return quickly: do the restart work asynchronously.
    /// </summary>
    /// <param name="service">The service that crashed.</param>
    void Wakeup(IService service);
}
