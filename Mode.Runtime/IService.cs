namespace Mode;

/// <summary>
/// A service: something that starts, runs and stops, and may own child services
/// (Mode's <c>ServiceT</c>). Implemented by <see cref="Service"/>; the interface exists so that a
/// proxy or a supervisor can be used wherever a service can. Disposing a service stops it.
/// </summary>
public interface IService : IAsyncDisposable
{
    /// <summary>The current lifecycle state.</summary>
    ServiceState State { get; }

    /// <summary><see langword="true"/> from the moment <see cref="StartAsync"/> begins until a restart resets it.</summary>
    bool IsStarted { get; }

    /// <summary><see langword="true"/> once the service, or its tree when unsupervised, has crashed.</summary>
    bool IsCrashed { get; }

    /// <summary>The exception of the first crash since the last start, or <see langword="null"/>.</summary>
    Exception? CrashReason { get; }

    /// <summary><see langword="true"/> when the service is stopping, stopped or crashed: loops should exit.</summary>
    bool ShouldStop { get; }

    /// <summary>The name used in logs and graphs (default: the class name).</summary>
    string Label { get; }

    /// <summary>The short name used in log prefixes and paths (default: the class name).</summary>
    string ShortLabel { get; }

    /// <summary>This service's node in the service tree.</summary>
    Node Beacon { get; }

    /// <summary>How many times the service (or one of its ancestors) was restarted.</summary>
    int RestartCount { get; }

    /// <summary>The supervisor notified when this service crashes, or <see langword="null"/>.</summary>
    ISupervisor? Supervisor { get; set; }

    /// <summary>Starts the service, then its children in order.</summary>
    /// <param name="cancellationToken">Passed to the start hooks.</param>
    /// <exception cref="InvalidOperationException">The service was already started and not reset.</exception>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts the service unless it was already started.</summary>
    /// <returns><see langword="true"/> if this call started it.</returns>
    Task<bool> MaybeStartAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops the service: its children in reverse order, then its background work. Idempotent and
    /// safe to call from many threads; every caller returns once the stop has completed.
    /// </summary>
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops, resets and starts the service again.</summary>
    Task RestartAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the service crashed with <paramref name="reason"/> (synchronously). Without a supervisor
    /// the whole beacon tree is marked crashed, which wakes <see cref="WaitUntilStoppedAsync"/>; with
    /// one, the supervisor is woken. A second call keeps the first <see cref="CrashReason"/>.
    /// </summary>
    void Crash(Exception reason);

    /// <summary>Resets a stopped service so it can start again (Mode's <c>service_reset</c>); recurses into children.</summary>
    void Reset();

    /// <summary>Completes when the service begins to stop, or crashes.</summary>
    Task WaitUntilStoppedAsync(CancellationToken cancellationToken = default);

    /// <summary>Signals that shutdown may complete (see <c>Service.WaitForShutdown</c>).</summary>
    void SetShutdown();

    /// <summary>Adds a child service (no-op if already added) and returns it. It is not started here.</summary>
    T AddDependency<T>(T service) where T : IService;

    /// <summary>Adds a child service and starts it if this service has started.</summary>
    Task<T> AddRuntimeDependencyAsync<T>(T service, CancellationToken cancellationToken = default) where T : IService;

    /// <summary>Stops a child service and removes it from this service.</summary>
    Task RemoveDependencyAsync(IService service, CancellationToken cancellationToken = default);

    /// <summary>Registers a resource disposed when the service stops (in reverse order of registration).</summary>
    T AddContext<T>(T context) where T : IDisposable;

    /// <summary>Registers a resource disposed asynchronously when the service stops.</summary>
    T AddAsyncContext<T>(T context) where T : IAsyncDisposable;
}
