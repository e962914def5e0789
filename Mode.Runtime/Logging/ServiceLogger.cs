using Microsoft.Extensions.Logging;

namespace Mode.Logging;

/// <summary>An <see cref="ILogger"/> that writes every line inside its service's <see cref="ServiceLogScope"/>.</summary>
internal sealed class ServiceLogger(ILogger inner, ServiceLogScope scope) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        using (inner.BeginScope(scope))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
