
using Mode.Logging;

namespace Mode;

public abstract partial class Service
{
    /// <summary>A snapshot of this service's children, in the order they were added (the start order).</summary>
    public IReadOnlyList<IService> Children
    {
        get
        {
            lock (_sync)
            {
                return _cold?.Children is { } children ? children.ToArray() : [];
            }
        }
    }

    /// <summary>Whether a child was ever added (a lock-free hint for skipping work; the list is never unset).</summary>
    private bool HasChildren => Volatile.Read(ref _cold)?.Children is not null;

    /// <summary>Whether a context was ever added (a lock-free hint; the list is never unset).</summary>
    private bool HasContexts => Volatile.Read(ref _cold)?.Contexts is not null;

    private int ChildCount
    {
        get
        {
            lock (_sync)
            {
                return _cold?.Children?.Count ?? 0;
            }
        }
    }

    private IService? ChildAt(int index)
    {
        lock (_sync)
        {
            return _cold?.Children is { } children && index < children.Count ? children[index] : null;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Attaches the child's beacon under this service's and lets it inherit <see cref="TimeProvider"/>
    /// and <see cref="LoggerFactory"/> when it has none of its own. Adding an instance that is
    /// already a child does nothing (Mode appends it again), so restarts do not pile up children.
    /// </remarks>
    public T AddDependency<T>(T service) where T : IService
    {
        ArgumentNullException.ThrowIfNull(service);
        if (ReferenceEquals(service, this))
        {
            throw new ArgumentException($"Service '{Label}' cannot depend on itself.", nameof(service));
        }

        lock (_sync)
        {
            var children = Cold.Children ??= [];
            foreach (var existing in children)
            {
                if (ReferenceEquals(existing, service))
                {
                    return service;
                }
            }

            children.Add(service);
        }

        service.Beacon.Reattach(Beacon);
        PassAmbientTo(service);
        return service;
    }

    /// <inheritdoc/>
    public async Task<T> AddRuntimeDependencyAsync<T>(T service, CancellationToken cancellationToken = default) where T : IService
    {
        AddDependency(service);
        if (IsStarted)
        {
            await service.MaybeStartAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        }

        return service;
    }

    /// <inheritdoc/>
    public async Task RemoveDependencyAsync(IService service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        await service.StopAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
        lock (_sync)
        {
            _cold?.Children?.Remove(service);
        }

        service.Beacon.Detach(Beacon);
    }

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="existing"/> was among the children.</summary>
    internal void ReplaceDependency(IService existing, IService replacement)
    {
        var attached = false;
        lock (_sync)
        {
            var children = _cold?.Children;
            var index = children?.FindIndex(c => ReferenceEquals(c, existing)) ?? -1;
            if (index >= 0)
            {
                children![index] = replacement;
                attached = true;
            }
        }

        if (!attached)
        {
            AddDependency(replacement);
            return;
        }

        existing.Beacon.Detach(Beacon);
        replacement.Beacon.Reattach(Beacon);
        PassAmbientTo(replacement);
    }

    /// <summary>
    /// Passes this service's ambient settings to <paramref name="child"/> (or to the real service
    /// behind a <see cref="ServiceProxy"/>): the clock and logger factory when the child has none of
    /// its own and has not started, the <see cref="ServiceThread"/> context preference, and the tree's
    /// <see cref="BlockingDetector"/>. Every path that adds a child calls it, and the start calls it
    /// again right before each child starts, so settings given after the child was added reach it too.
    /// </summary>
    private void PassAmbientTo(IService child)
    {
        if (AsService(child) is not { } service)
        {
            return;
        }

        var cold = _cold;
        if (!service.IsStarted && cold is not null)
        {
            if (service._cold?.TimeProvider is null && cold.TimeProvider is { } clock)
            {
                service.Cold.TimeProvider = clock;
            }

            if (service._cold?.StartTimeout is null && cold.StartTimeout is { } startTimeout)
            {
                service.Cold.StartTimeout = startTimeout;
            }

            if (service._cold?.LoggerFactory is null && cold.LoggerFactory is { } factory)
            {
                service.Cold.LoggerFactory = factory;
                service._log = null;
            }
        }

        if (service._cold?.BlockingDetector is null && cold?.BlockingDetector is { } detector)
        {
            service.Cold.BlockingDetector = detector;
        }

        if (ContinueOnCapturedContext)
        {
            service.ContinueOnCapturedContext = true;
        }
    }

    /// <summary>The <see cref="Service"/> that <paramref name="service"/> is, or stands for as a (chain of) <see cref="ServiceProxy"/>.</summary>
    private static Service? AsService(IService service)
    {
        while (service is ServiceProxy proxy)
        {
            service = proxy.Target;
        }

        return service as Service;
    }

    /// <summary>Removes <paramref name="service"/> from the children without stopping it.</summary>
    internal void DiscardDependency(IService service)
    {
        lock (_sync)
        {
            _cold?.Children?.Remove(service);
        }

        service.Beacon.Detach(Beacon);
    }

    private async Task StopChildrenAsync(CancellationToken cancellationToken)
    {
        for (var i = ChildCount - 1; i >= 0; i--)
        {
            var child = ChildAt(i);
            if (child is null)
            {
                continue;
            }

            try
            {
                await child.StopAsync(cancellationToken).ConfigureAwait(ContinueOnCapturedContext);
            }
            catch (Exception ex)
            {
                ServiceLog.ChildStopFailed(Log, ex, child.Label);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Contexts are disposed when the service stops, or when its start fails, newest first.</remarks>
    public T AddContext<T>(T context) where T : IDisposable
    {
        ArgumentNullException.ThrowIfNull(context);
        AddContextObject(context, isAsync: false);
        return context;
    }

    /// <inheritdoc/>
    public T AddAsyncContext<T>(T context) where T : IAsyncDisposable
    {
        ArgumentNullException.ThrowIfNull(context);
        AddContextObject(context, isAsync: true);
        return context;
    }

    private void AddContextObject(object context, bool isAsync)
    {
        lock (_sync)
        {
            // The stop closes the run's background list before it releases the contexts.
            if (!_backgroundClosed)
            {
                (Cold.Contexts ??= []).Add((context, isAsync));
                return;
            }
        }

        // This run's stop has begun releasing contexts (a hook that outlived the stop added this
        // one): release it now rather than never.
        _ = DisposeContextAsync(context, isAsync);
    }

    private async Task DisposeContextsAsync()
    {
        while (true)
        {
            object context;
            bool isAsync;
            lock (_sync)
            {
                var contexts = _cold?.Contexts;
                if (contexts is null || contexts.Count == 0)
                {
                    return;
                }

                (context, isAsync) = contexts[^1];
                contexts.RemoveAt(contexts.Count - 1);
            }

            await DisposeContextAsync(context, isAsync).ConfigureAwait(ContinueOnCapturedContext);
        }
    }

    /// <summary>Disposes one context; a failure is logged, never thrown.</summary>
    private async Task DisposeContextAsync(object context, bool isAsync)
    {
        try
        {
            if (isAsync)
            {
                await ((IAsyncDisposable)context).DisposeAsync().ConfigureAwait(ContinueOnCapturedContext);
            }
            else
            {
                ((IDisposable)context).Dispose();
            }
        }
        catch (Exception ex)
        {
            ServiceLog.ContextDisposeFailed(Log, ex, context.GetType().Name);
        }
    }
}
