using Microsoft.Extensions.Logging;

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
                return _children is null ? [] : _children.ToArray();
            }
        }
    }

    /// <summary>Whether a child was ever added (a lock-free hint for skipping work; the list is never unset).</summary>
    private bool HasChildren => Volatile.Read(ref _children) is not null;

    /// <summary>Whether a context was ever added (a lock-free hint; the list is never unset).</summary>
    private bool HasContexts => Volatile.Read(ref _contexts) is not null;

    private int ChildCount
    {
        get
        {
            lock (_sync)
            {
                return _children?.Count ?? 0;
            }
        }
    }

    private IService? ChildAt(int index)
    {
        lock (_sync)
        {
            return _children is not null && index < _children.Count ? _children[index] : null;
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
            _children ??= [];
            foreach (var existing in _children)
            {
                if (ReferenceEquals(existing, service))
                {
                    return service;
                }
            }

            _children.Add(service);
        }

        service.Beacon.Reattach(Beacon);
        if (service is Service child)
        {
            child.InheritAmbientFrom(this);
        }
        else if (service is ServiceProxy { Target: Service proxied })
        {
            proxied.InheritAmbientFrom(this);
        }

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
            _children?.Remove(service);
        }

        service.Beacon.Detach(Beacon);
    }

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="existing"/> was among the children.</summary>
    internal void ReplaceDependency(IService existing, IService replacement)
    {
        var attached = false;
        lock (_sync)
        {
            var index = _children?.FindIndex(c => ReferenceEquals(c, existing)) ?? -1;
            if (index >= 0)
            {
                _children![index] = replacement;
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
        if (replacement is Service child)
        {
            child.InheritAmbientFrom(this);
        }
    }

    /// <summary>Removes <paramref name="service"/> from the children without stopping it.</summary>
    internal void DiscardDependency(IService service)
    {
        lock (_sync)
        {
            _children?.Remove(service);
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
                Log.LogError(ex, "Error while stopping child {Child}", child.Label);
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
            (_contexts ??= []).Add((context, isAsync));
        }
    }

    private async Task DisposeContextsAsync()
    {
        while (true)
        {
            object context;
            bool isAsync;
            lock (_sync)
            {
                if (_contexts is null || _contexts.Count == 0)
                {
                    return;
                }

                (context, isAsync) = _contexts[^1];
                _contexts.RemoveAt(_contexts.Count - 1);
            }

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
                Log.LogError(ex, "Error while disposing context {Context}", context.GetType().Name);
            }
        }
    }
}
