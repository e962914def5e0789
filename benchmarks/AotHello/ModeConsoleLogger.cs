using System.Globalization;
using Microsoft.Extensions.Logging;

/// <summary>
/// Writes Mode's log format, <c>[2026-11-21 15:47:12,159: INFO]: [^--Label]: message</c>, taking the
/// prefix from the scope the line is written in (every service line is written inside a
/// <c>Mode.Logging.ServiceLogScope</c>, whose <c>ToString()</c> is the prefix). It needs nothing from
/// Mode, so AotLogFloor compiles the same file.
/// </summary>
internal sealed class ModeConsoleLoggerProvider(TextWriter output) : ILoggerProvider
{
    private readonly Lock _lock = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() => output.Flush();

    private void Write(LogLevel level, string prefix, string message, Exception? exception)
    {
        var now = TimeProvider.System.GetLocalNow();
        var line = string.Create(CultureInfo.InvariantCulture, $"[{now:yyyy-MM-dd HH:mm:ss,fff}: {Name(level)}]: {prefix}{message}");
        lock (_lock)
        {
            output.WriteLine(line);
            if (exception is not null)
            {
                output.WriteLine(exception.ToString());
            }
        }
    }

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };

    private sealed class Logger(ModeConsoleLoggerProvider provider) : ILogger
    {
        [ThreadStatic]
        private static object? t_scope;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            var previous = t_scope;
            t_scope = state;
            return new Restore(previous);
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var prefix = t_scope is { } scope ? scope + ": " : "";
                provider.Write(logLevel, prefix, formatter(state, exception), exception);
            }
        }

        private sealed class Restore(object? previous) : IDisposable
        {
            public void Dispose() => t_scope = previous;
        }
    }
}

/// <summary>The smallest <see cref="ILoggerFactory"/>: one provider, nothing else.</summary>
internal sealed class SingleProviderLoggerFactory(ILoggerProvider provider) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("This factory has exactly one provider.");

    public void Dispose()
    {
    }
}
