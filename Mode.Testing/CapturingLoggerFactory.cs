using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Mode.Logging;

namespace Mode.Testing;

/// <summary>One captured log line.</summary>
/// <param name="Level">The level.</param>
/// <param name="Category">The category (a service logs with its full type name).</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Scope">The innermost scope, rendered (<c>[^--Label]</c> for a service's scope), or <see langword="null"/>.</param>
/// <param name="Exception">The exception logged with the line, or <see langword="null"/>.</param>
public sealed record LogEntry(LogLevel Level, string Category, string Message, string? Scope, Exception? Exception)
{
    /// <summary>The label of the service that logged the line (from its <see cref="ServiceLogScope"/>), or <see langword="null"/>.</summary>
    public string? ServiceLabel { get; init; }

    /// <summary>Mode's rendering: <c>[^--Label]: message</c> when a scope is present.</summary>
    /// <returns>The line as text.</returns>
    public override string ToString() => Scope is null ? Message : $"{Scope}: {Message}";
}

/// <summary>An <see cref="ILoggerFactory"/> that keeps every line in memory, for assertions.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    [ThreadStatic]
    private static Stack<object>? t_scopes;

    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Done)> _waiters = [];

    /// <summary>The lowest level captured (default <see cref="LogLevel.Trace"/>).</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Trace;

    /// <summary>A snapshot of the captured lines, in order.</summary>
    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    /// <summary>The captured lines rendered as Mode renders them.</summary>
    public IReadOnlyList<string> Lines => _entries.Select(static e => e.ToString()).ToArray();

    /// <summary>Completes with the first line (already captured or future) that matches <paramref name="match"/>.</summary>
    /// <param name="match">Which line to wait for.</param>
    /// <returns>The line.</returns>
    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        lock (_waiters)
        {
            foreach (var entry in _entries)
            {
                if (match(entry))
                {
                    return Task.FromResult(entry);
                }
            }

            var done = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task;
        }
    }

    private void Add(LogEntry entry)
    {
        lock (_waiters)
        {
            _entries.Enqueue(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(entry))
                {
                    _waiters[i].Done.TrySetResult(entry);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state) where TState : notnull
        {
            var scopes = t_scopes ??= new Stack<object>();
            scopes.Push(state);
            return new Pop(scopes);
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var scope = t_scopes is { Count: > 0 } s ? s.Peek() : null;
            owner.Add(new LogEntry(logLevel, category, formatter(state, exception), scope?.ToString(), exception)
            {
                ServiceLabel = (scope as ServiceLogScope)?.Service.Label,
            });
        }
    }

    private sealed class Pop(Stack<object> scopes) : IDisposable
    {
        public void Dispose() => scopes.Pop();
    }
}
