namespace Mode;

public abstract partial class Service
{
    /// <summary>
    /// Wraps one awaitable as a service (Mode's <c>Service.from_awaitable</c>). The task runs as the
    /// service's background work: when it completes the service stops itself, and when it fails
    /// while the service runs the service crashes. A stop does not wait for it: Mode cancels the
    /// wrapped coroutine, but a <see cref="Task"/> from outside cannot be cancelled, so the service
    /// stops watching it at once (the task itself is left to whoever created it).
    /// </summary>
    /// <remarks>
    /// Unlike Mode, starting the service does not wait for the awaitable to finish. To have a stop
    /// cancel the work and wait for it, use <see cref="FromAwaitable(Func{CancellationToken, Task}, string)"/>.
    /// </remarks>
    /// <param name="task">The work the service runs.</param>
    /// <param name="name">The service's label.</param>
    /// <returns>A new, unstarted service.</returns>
    public static IService FromAwaitable(Task task, string name)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new AwaitableService(_ => task, name, abandonOnStop: true);
    }

    /// <summary>
    /// Like <see cref="FromAwaitable(Task, string)"/>, but the work is created at start and receives
    /// the service's <see cref="StoppingToken"/>, so a stop can cancel it; the stop waits for it
    /// (at most <see cref="ShutdownTimeout"/>).
    /// </summary>
    /// <param name="factory">Creates the work from the service's stopping token, at each start.</param>
    /// <param name="name">The service's label.</param>
    public static IService FromAwaitable(Func<CancellationToken, Task> factory, string name)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new AwaitableService(factory, name, abandonOnStop: false);
    }

    private sealed class AwaitableService : Service
    {
        private readonly Func<CancellationToken, Task> _factory;
        private readonly string _name;

        // True for a Task given from outside: it never sees the stopping token, so waiting for it
        // in a stop could only end at ShutdownTimeout.
        private readonly bool _abandonOnStop;

        public AwaitableService(Func<CancellationToken, Task> factory, string name, bool abandonOnStop)
        {
            ArgumentNullException.ThrowIfNull(name);
            _factory = factory;
            _name = name;
            _abandonOnStop = abandonOnStop;
            MundaneLevel = Microsoft.Extensions.Logging.LogLevel.Debug;
        }

        public override string Label => _name;

        protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            _ = AddFuture(RunAsync(_factory(StoppingToken)), _name);
            return default;
        }

        private async Task RunAsync(Task work)
        {
            if (_abandonOnStop)
            {
                // The stop cancels this wait (an OperationCanceledException while stopping is the
                // normal end of background work), not the task.
                work = work.WaitAsync(StoppingToken);
            }

            await work.ConfigureAwait(ContinueOnCapturedContext);
            if (!ShouldStop)
            {
                // Finished: stop without awaiting (the stop itself waits for this future).
                _ = StopAsync();
            }
        }
    }
}
