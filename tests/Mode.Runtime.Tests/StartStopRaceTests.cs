using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Mode.Testing;

namespace Mode.Runtime.Tests;

/// <summary>
/// <c>StartAsync</c> and <c>StopAsync</c> of one service at the same moment. Whatever the
/// interleaving, <c>OnStopAsync</c> never runs before an <c>OnStartAsync</c> of the same run: a stop
/// claimed before the start entered its hook keeps the hook from running at all, and a stop claimed
/// after that runs its hooks once the start hook has been called. Each test holds the start at one
/// point (a blocked thread: the points are synchronous) while the stop runs.
/// </summary>
public class StartStopRaceTests
{
    private static readonly TimeSpan Guard = BoundedWait.DefaultTimeout;

    [Fact]
    public async Task StopAsync_ClaimedBetweenTheStartsLastCheckAndOnStart_OnStartNeverRunsAfterOnStop()
    {
        // "Starting..." is logged after the start's last check and before OnStartAsync: holding the
        // log line holds the start exactly in that window.
        var hold = new HoldingLoggerFactory(startingEventId: 1001);
        var service = new Ordered { LoggerFactory = hold };

        var start = Task.Run(() => service.StartAsync());
        Assert.True(hold.Entered.Wait(Guard), "the start never logged 'Starting...'");
        var stop = service.StopAsync();
        hold.Release();
        await start.WaitAsync(Guard);
        await stop.WaitAsync(Guard);

        Assert.Equal(["stop"], service.Hooks);
        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Equal(0, service.LiveTasks);
    }

    [Fact]
    public async Task StopAsync_WhileOnStartIsInItsSynchronousPart_RunsOnStopAfterIt()
    {
        var service = new Ordered();
        var inStart = service.BlockNextStart();

        var start = Task.Run(() => service.StartAsync());
        Assert.True(inStart.Entered.Wait(Guard), "OnStartAsync was never called");
        var stop = service.StopAsync();

        // The start hook has not returned yet: the stop waits for it before its own hooks.
        Assert.Equal(["start"], service.Hooks);
        Assert.False(stop.IsCompleted);

        inStart.Release();
        await start.WaitAsync(Guard);
        await stop.WaitAsync(Guard);

        Assert.Equal(["start", "stop"], service.Hooks);
        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Equal(0, service.LiveTasks);
    }

    [Fact]
    public async Task StopAsync_CalledAndAwaitedInsideOnStart_DoesNotWaitForItself()
    {
        Ordered? service = null;
        service = new Ordered { OnStart = () => service!.StopAsync() };

        await service.StartAsync().WaitAsync(Guard);

        Assert.Equal(["start", "stop"], service.Hooks);
        Assert.Equal(ServiceState.Shutdown, service.State);
        Assert.Equal(0, service.LiveTasks);
    }

    [Fact]
    public async Task StopAsync_WhileOnStartNeverReturnsFromItsSynchronousPart_IsBoundedByShutdownTimeout()
    {
        var clock = new VirtualClock();
        var service = new Ordered { TimeProvider = clock, ShutdownTimeout = TimeSpan.FromSeconds(5) };
        var inStart = service.BlockNextStart();

        var start = Task.Run(() => service.StartAsync());
        Assert.True(inStart.Entered.Wait(Guard), "OnStartAsync was never called");
        var stop = service.StopAsync();
        await clock.WaitForArmedTimersAsync().WaitAsync(Guard);
        clock.Advance(TimeSpan.FromSeconds(5));
        await stop.WaitAsync(Guard);

        Assert.Equal(["start", "stop"], service.Hooks);
        Assert.Equal(ServiceState.Shutdown, service.State);

        inStart.Release();
        await start.WaitAsync(Guard);
        Assert.Equal(0, service.LiveTasks);
    }

    [Fact]
    public async Task StartOfAnEarlierRun_ResumingAfterTheParentRestarted_StartsNothingInTheNewRun()
    {
        // A child's start is held in OnFirstStartAsync while its parent restarts: the restart stops
        // the child, resets it and starts it again (a new run). The held start then resumes: it
        // belongs to the run that was stopped, and must not call OnStartAsync in the new one.
        var child = new Ordered();
        var parent = new Ordered();
        await parent.StartAsync().WaitAsync(Guard);
        var held = child.HoldFirstStart();
        var add = parent.AddRuntimeDependencyAsync(child);
        await held.Entered.WaitAsync(Guard);

        await parent.RestartAsync().WaitAsync(Guard);
        Assert.Equal(ServiceState.Running, child.State);
        held.Release();
        await add.WaitAsync(Guard);

        Assert.Equal(["stop", "start"], child.Hooks);
        Assert.Equal(ServiceState.Running, child.State);
        await parent.StopAsync().WaitAsync(Guard);
        Assert.Equal(["stop", "start", "stop"], child.Hooks);
        Assert.Equal(0, child.LiveTasks);
    }

    /// <summary>An asynchronous hold: <see cref="Entered"/> completes when a hook reaches it, which then waits for <see cref="Release"/>.</summary>
    private sealed class Gate
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public Task PassAsync()
        {
            _entered.TrySetResult();
            return _released.Task;
        }
    }

    /// <summary>A synchronous hold: <see cref="Entered"/> is set when a thread reaches it, which then blocks until <see cref="Release"/>.</summary>
    private sealed class Block
    {
        private readonly ManualResetEventSlim _released = new();

        public ManualResetEventSlim Entered { get; } = new();

        public void Release() => _released.Set();

        public void Pass()
        {
            Entered.Set();
            _released.Wait(Guard);
        }
    }

    /// <summary>Records its stop and start hooks in order; a background task counts in <see cref="LiveTasks"/>.</summary>
    private sealed class Ordered : Service
    {
        private readonly ConcurrentQueue<string> _hooks = new();
        private Block? _startBlock;
        private Gate? _firstStartGate;
        private int _liveTasks;

        public Func<Task>? OnStart { get; init; }

        public string[] Hooks => _hooks.ToArray();

        public int LiveTasks => Volatile.Read(ref _liveTasks);

        public Block BlockNextStart() => _startBlock = new Block();

        public Gate HoldFirstStart() => _firstStartGate = new Gate();

        protected override async ValueTask OnFirstStartAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _firstStartGate, null) is { } gate)
            {
                await gate.PassAsync();
            }
        }

        protected override void ConfigureWiring(ServiceWiring wiring)
        {
            base.ConfigureWiring(wiring);
            wiring.AddTask("Ordered.Work", static (s, ct) => new ValueTask(((Ordered)s).WorkAsync(ct)));
        }

        protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            _hooks.Enqueue("start");
            Interlocked.Exchange(ref _startBlock, null)?.Pass();
            if (OnStart is { } onStart)
            {
                await onStart();
            }
        }

        protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
        {
            _hooks.Enqueue("stop");
            return default;
        }

        private async Task WorkAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _liveTasks);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                Interlocked.Decrement(ref _liveTasks);
            }
        }
    }

    /// <summary>Blocks the thread that logs the given event id, once, until released.</summary>
    private sealed class HoldingLoggerFactory(int startingEventId) : ILoggerFactory, ILogger
    {
        private readonly ManualResetEventSlim _released = new();
        private int _held;

        public ManualResetEventSlim Entered { get; } = new();

        public void Release() => _released.Set();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == startingEventId && Interlocked.Exchange(ref _held, 1) == 0)
            {
                Entered.Set();
                _released.Wait(Guard);
            }
        }
    }
}
