namespace Mode;

public abstract partial class Service
{
    /// <summary>
    /// Wraps one awaitable as a service (Mode's <c>Service.from_awaitable</c>). The task runs as the
    /// service's background work: when it completes the service stops itself, when it fails the
    /// service crashes, and stopping the service waits for it (at most <see cref="ShutdownTimeout"/>).
    /// </summary>
    /// <remarks>Unlike Mode, starting the service does not wait for the awaitable to finish.</remarks>
    /// <param name="task">The work the service runs.</param>
    /// <param name="name">The service's label.</param>
    /// <returns>A new, unstarted service.</returns>
    public static IService FromAwaitable(Task task, string name)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new AwaitableService(_ => task, name);
    }

    /// <summary>
    /// Like <see cref="FromAwaitable(Task, string)"/>, but the work is created at start and receives
    /// the service's <see cref="StoppingToken"/>, so a stop can cancel it.
    /// </summary>
    /// <param name="factory">Creates the work from the service's stopping token, at each start.</param>
    /// <param name="name">The service's label.</param>
    public static IService FromAwaitable(Func<CancellationToken, Task> factory, string name)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new AwaitableService(factory, name);
    }

    private sealed class AwaitableService : Service
    {
        private readonly Func<CancellationToken, Task> _factory;
        private readonly string _name;

        public AwaitableService(Func<CancellationToken, Task> factory, string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            _factory = factory;
            _name = name;
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
            await work.ConfigureAwait(ContinueOnCapturedContext);
            if (!ShouldStop)
            {
                // Finished: stop without awaiting (the stop itself waits for this future).
                _ = StopAsync();
            }
        }
    }
}
