using Mode.Internal;

namespace Mode;

/// <summary>
/// A service that stands for another one (Mode's <c>ServiceProxy</c>): every <see cref="IService"/>
/// member is forwarded to <see cref="Service"/>, which a subclass creates lazily. Use it for an
/// object that must look like a service from the moment it is constructed without building its real
/// service (and everything that one owns) that early — the tutorial's <c>App</c>.
/// </summary>
/// <remarks>
/// <para>Only <see cref="Label"/> and <see cref="ShortLabel"/> are the proxy's own (its class name, as
/// in Mode); <see cref="Beacon"/> is the real service's node, so logs and graphs show the real service.
/// A crash that reaches the proxy through the tree (it is a child of another service) is forwarded to
/// the real service.</para>
/// <para>Thread-safety is that of the real service; <see cref="Service"/> must return the same
/// instance every time.</para>
/// </remarks>
public abstract class ServiceProxy : IService, ICrashable
{
    /// <summary>Creates the proxy. The real service is not created here.</summary>
    protected ServiceProxy()
    {
    }

    /// <summary>
    /// The real service every member is forwarded to. Create it lazily on first access and return the
    /// same instance afterwards.
    /// </summary>
    protected abstract IService Service { get; }

    /// <summary>The proxied service, for the runtime (e.g. to pass on a parent's clock and logger factory).</summary>
    internal IService Target => Service;

    /// <summary>The proxy's own name: by default its class name (Mode's <c>label</c> of a proxy).</summary>
    public virtual string Label => DefaultLabels.Of(GetType());

    /// <summary>The proxy's own short name; by default the same as <see cref="Label"/>.</summary>
    public virtual string ShortLabel => Label;

    /// <inheritdoc/>
    public ServiceState State => Service.State;

    /// <inheritdoc/>
    public bool IsStarted => Service.IsStarted;

    /// <inheritdoc/>
    public bool IsCrashed => Service.IsCrashed;

    /// <inheritdoc/>
    public Exception? CrashReason => Service.CrashReason;

    /// <inheritdoc/>
    public bool ShouldStop => Service.ShouldStop;

    /// <inheritdoc/>
    public Node Beacon => Service.Beacon;

    /// <inheritdoc/>
    public int RestartCount => Service.RestartCount;

    /// <inheritdoc/>
    public ISupervisor? Supervisor
    {
        get => Service.Supervisor;
        set => Service.Supervisor = value;
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken = default) => Service.StartAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<bool> MaybeStartAsync(CancellationToken cancellationToken = default) => Service.MaybeStartAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken = default) => Service.StopAsync(cancellationToken);

    /// <inheritdoc/>
    public Task RestartAsync(CancellationToken cancellationToken = default) => Service.RestartAsync(cancellationToken);

    /// <inheritdoc/>
    public void Crash(Exception reason) => Service.Crash(reason);

    /// <inheritdoc/>
    public void Reset() => Service.Reset();

    /// <inheritdoc/>
    public Task WaitUntilStoppedAsync(CancellationToken cancellationToken = default) => Service.WaitUntilStoppedAsync(cancellationToken);

    /// <inheritdoc/>
    public void SetShutdown() => Service.SetShutdown();

    /// <inheritdoc/>
    public T AddDependency<T>(T service) where T : IService => Service.AddDependency(service);

    /// <inheritdoc/>
    public Task<T> AddRuntimeDependencyAsync<T>(T service, CancellationToken cancellationToken = default) where T : IService =>
        Service.AddRuntimeDependencyAsync(service, cancellationToken);

    /// <inheritdoc/>
    public Task RemoveDependencyAsync(IService service, CancellationToken cancellationToken = default) =>
        Service.RemoveDependencyAsync(service, cancellationToken);

    /// <inheritdoc/>
    public T AddContext<T>(T context) where T : IDisposable => Service.AddContext(context);

    /// <inheritdoc/>
    public T AddAsyncContext<T>(T context) where T : IAsyncDisposable => Service.AddAsyncContext(context);

    /// <summary>Stops the real service if it was started (see <see cref="IAsyncDisposable"/>).</summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Service.DisposeAsync();
    }

    void ICrashable.MarkCrashed(Exception reason)
    {
        switch (Service)
        {
            case global::Mode.Service service:
                service.MarkCrashed(reason);
                break;
            case ICrashable crashable:
                crashable.MarkCrashed(reason);
                break;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"<{Label}: {State}>";
}
