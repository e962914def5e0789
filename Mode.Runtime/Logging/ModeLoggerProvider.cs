using Microsoft.Extensions.Logging;

namespace Mode.Logging;

/// <summary>
/// An <see cref="ILoggerProvider"/> that writes Mode's log format to a <see cref="TextWriter"/>:
/// <c>[2026-11-21 15:47:12,159: INFO]: [^--Webserver]: Starting...</c>, the prefix taken from the
/// innermost <see cref="ServiceLogScope"/> (every <see cref="Service"/> logs inside one). The Worker
/// uses it for its console and log-file output; add it to any <see cref="ILoggerFactory"/> to get the
/// same lines there.
/// </summary>
/// <remarks>
/// Thread-safe: each line (with its exception) is written with one call under a lock. Writes after
/// <see cref="Dispose"/> are dropped. The timestamp is the local time of the given
/// <see cref="System.TimeProvider"/>.
/// </remarks>
public sealed class ModeLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly object _lock = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private bool _disposed;

    /// <summary>Creates a provider writing to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where lines go (for example <see cref="Console.Error"/>).</param>
    /// <param name="colors">Colour lines by level with ANSI escape codes (only for a terminal).</param>
    /// <param name="timeProvider">The clock of the timestamps (default <see cref="TimeProvider.System"/>).</param>
    /// <param name="ownsWriter">Dispose <paramref name="writer"/> with the provider.</param>
    public ModeLoggerProvider(TextWriter writer, bool colors = false, TimeProvider? timeProvider = null, bool ownsWriter = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        Colors = colors;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _ownsWriter = ownsWriter;
    }

    /// <summary>Whether lines are coloured.</summary>
    public bool Colors { get; }

    /// <summary>The clock of the timestamps.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Lines below this level are not written (default <see cref="LogLevel.Trace"/>: all).</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Trace;

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new ModeLogger(this);

    /// <inheritdoc/>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        ArgumentNullException.ThrowIfNull(scopeProvider);
        _scopes = scopeProvider;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Flush();
            if (_ownsWriter)
            {
                _writer.Dispose();
            }
        }
    }

    private void Write(string line)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _writer.Write(line + "\n");
            _writer.Flush();
        }
    }

    private sealed class ModeLogger(ModeLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!IsEnabled(logLevel))
            {
                return;
            }

            // The innermost ServiceLogScope names the service (ForEachScope goes outermost first).
            var holder = new string?[1];
            provider._scopes.ForEachScope(
                static (scope, h) =>
                {
                    if (scope is ServiceLogScope serviceScope)
                    {
                        h[0] = serviceScope.Prefix;
                    }
                },
                holder);
            var prefix = holder[0];
            var message = formatter(state, exception);
            var line = ModeLogFormat.Format(provider.TimeProvider.GetLocalNow(), logLevel, prefix, message, exception, provider.Colors);
            provider.Write(line);
        }
    }
}
