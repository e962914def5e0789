using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mode.Logging;

/// <summary>
/// The Worker's own small <see cref="ILoggerFactory"/>: a minimum level, a list of providers and one
/// scope stack shared by them (so <see cref="ServiceLogScope"/> reaches every provider). It touches no
/// global state. Microsoft.Extensions.Logging's factory would do, but costs size in a NativeAOT binary.
/// </summary>
internal sealed class WorkerLoggerFactory : ILoggerFactory
{
    private readonly object _lock = new();
    private readonly LoggerExternalScopeProvider _scopes = new();
    private readonly ConcurrentDictionary<string, CompositeLogger> _loggers = new(StringComparer.Ordinal);
    private ILoggerProvider[] _providers = [];
    private bool _disposed;

    public WorkerLoggerFactory(LogLevel minimumLevel) => MinimumLevel = minimumLevel;

    public LogLevel MinimumLevel { get; }

    public IReadOnlyList<ILoggerProvider> Providers => Volatile.Read(ref _providers);

    public void AddProvider(ILoggerProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (provider is ISupportExternalScope scoped)
            {
                scoped.SetScopeProvider(_scopes);
            }

            Volatile.Write(ref _providers, [.. _providers, provider]);
            foreach (var logger in _loggers.Values)
            {
                logger.Add(provider);
            }
        }
    }

    public ILogger CreateLogger(string categoryName)
    {
        ArgumentNullException.ThrowIfNull(categoryName);
        lock (_lock)
        {
            return _loggers.GetOrAdd(categoryName, static (name, factory) => new CompositeLogger(factory, name), this);
        }
    }

    public void Dispose()
    {
        ILoggerProvider[] providers;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            providers = _providers;
        }

        foreach (var provider in providers)
        {
            try
            {
                provider.Dispose();
            }
            catch (Exception)
            {
                // Disposing a provider must not keep the others open.
            }
        }
    }

    private sealed class CompositeLogger : ILogger
    {
        private readonly WorkerLoggerFactory _factory;
        private readonly string _category;
        private (ILogger Logger, bool ExternalScope)[] _inner;

        public CompositeLogger(WorkerLoggerFactory factory, string category)
        {
            _factory = factory;
            _category = category;
            _inner = [.. factory._providers.Select(p => (p.CreateLogger(category), p is ISupportExternalScope))];
        }

        // Called under the factory's lock.
        public void Add(ILoggerProvider provider) =>
            Volatile.Write(ref _inner, [.. _inner, (provider.CreateLogger(_category), provider is ISupportExternalScope)]);

        public bool IsEnabled(LogLevel logLevel)
        {
            if (logLevel == LogLevel.None || logLevel < _factory.MinimumLevel)
            {
                return false;
            }

            foreach (var (logger, _) in Volatile.Read(ref _inner))
            {
                if (logger.IsEnabled(logLevel))
                {
                    return true;
                }
            }

            return false;
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.None || logLevel < _factory.MinimumLevel)
            {
                return;
            }

            foreach (var (logger, _) in Volatile.Read(ref _inner))
            {
                try
                {
                    if (logger.IsEnabled(logLevel))
                    {
                        logger.Log(logLevel, eventId, state, exception, formatter);
                    }
                }
                catch (Exception)
                {
                    // A failing provider must not crash the service that logs.
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            var shared = _factory._scopes.Push(state);
            List<IDisposable>? own = null;
            foreach (var (logger, externalScope) in Volatile.Read(ref _inner))
            {
                if (!externalScope && logger.BeginScope(state) is { } scope)
                {
                    (own ??= []).Add(scope);
                }
            }

            return own is null ? shared : new Scopes(shared, own);
        }
    }

    private sealed class Scopes(IDisposable shared, List<IDisposable> own) : IDisposable
    {
        public void Dispose()
        {
            for (var i = own.Count - 1; i >= 0; i--)
            {
                own[i].Dispose();
            }

            shared.Dispose();
        }
    }
}
